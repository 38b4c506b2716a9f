// The GOV.UK partials in views/partials/govuk/, rendered through the portal's own eta setup
// (src/web/views.ts), with and without an error: the classes and aria attributes GOV.UK Frontend's
// macros give, escaping of every value, and htmx attributes passed through.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createViews } from '../src/web/views.ts';

const views = createViews({ cache: false });

/** Renders one partial with a params object, as a template includes it. */
async function render(partial: string, params: Record<string, unknown>): Promise<string> {
  const app = new Hono();
  app.get('/', (c) => views.render(c, `partials/govuk/${partial}`, { params }));
  return (await app.request('/')).text();
}

/** The opening tag of the element with this id. */
const tagWithId = (html: string, id: string) => new RegExp(`<[a-z]+[^>]* id="${id}"[^>]*>`).exec(html)?.[0] ?? '';

describe('input', () => {
  const params = { id: 'referrerPhone', name: 'referrerPhone', type: 'tel', value: 'call <me>', label: { text: 'Phone number' }, hint: { text: 'A number' },
    attributes: { 'hx-post': '/concerns/new?check=referrerPhone&x="1"', 'hx-target': '#group-referrerPhone' }, formGroup: { attributes: { id: 'group-referrerPhone' } } };

  it('without an error: no error classes, described by its hint, htmx attributes escaped', async () => {
    const html = await render('input', params);
    expect(html).toContain('<div class="govuk-form-group" id="group-referrerPhone">');
    expect(html).toContain('<label class="govuk-label" for="referrerPhone">Phone number</label>');
    const input = tagWithId(html, 'referrerPhone');
    expect(input).toContain('class="govuk-input"');
    expect(input).toContain('type="tel"');
    expect(input).toContain('value="call &lt;me&gt;"');
    expect(input).toContain('aria-describedby="referrerPhone-hint"');
    expect(input).toContain('hx-post="/concerns/new?check=referrerPhone&amp;x=&quot;1&quot;"');
    expect(html).not.toContain('error');
  });

  it('with an error: the group, the input and aria-describedby say so, with a hidden "Error:"', async () => {
    const html = await render('input', { ...params, errorMessage: { text: 'Enter a <phone> number' } });
    expect(html).toContain('class="govuk-form-group govuk-form-group--error"');
    expect(html).toContain('<p id="referrerPhone-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter a &lt;phone&gt; number</p>');
    const input = tagWithId(html, 'referrerPhone');
    expect(input).toContain('class="govuk-input govuk-input--error"');
    expect(input).toContain('aria-describedby="referrerPhone-hint referrerPhone-error"');
  });
});

describe('textarea', () => {
  const params = { name: 'reason', rows: 4, value: '</textarea><script>', label: { text: 'Reason', classes: 'govuk-label--s' } };

  it('without an error', async () => {
    const html = await render('textarea', params);
    expect(html).toContain('<textarea class="govuk-textarea" id="reason" name="reason" rows="4">&lt;/textarea&gt;&lt;script&gt;</textarea>');
    expect(html).not.toContain('govuk-form-group--error');
  });

  it('with an error', async () => {
    const html = await render('textarea', { ...params, errorMessage: { text: 'Enter a reason' } });
    expect(html).toContain('govuk-form-group--error');
    expect(html).toContain('<textarea class="govuk-textarea govuk-textarea--error" id="reason" name="reason" rows="4" aria-describedby="reason-error">');
    expect(html).toContain('<span class="govuk-visually-hidden">Error:</span> Enter a reason');
  });
});

describe('select', () => {
  const params = { name: 'organisation', value: 'b', label: { text: 'Organisation' }, items: [{ value: '', text: 'Any' }, { value: 'b', text: 'B & Co' }] };

  it('without an error: the item with the value is selected', async () => {
    const html = await render('select', params);
    expect(html).toContain('<select class="govuk-select" id="organisation" name="organisation">');
    expect(html).toContain('<option value="b" selected>B &amp; Co</option>');
  });

  it('with an error', async () => {
    const html = await render('select', { ...params, errorMessage: { text: 'Choose one' } });
    expect(html).toContain('govuk-form-group--error');
    expect(html).toContain('<select class="govuk-select govuk-select--error" id="organisation" name="organisation" aria-describedby="organisation-error">');
  });
});

describe('date input', () => {
  const params = {
    id: 'dob', namePrefix: 'dob', fieldset: { legend: { text: 'Date of birth' } }, hint: { text: 'For example, 27 3 2015' },
    items: [{ name: 'day', value: '1' }, { name: 'month', value: '"2"' }, { name: 'year', value: '2015', attributes: { 'hx-post': '/x' } }],
    formGroup: { attributes: { id: 'group-dob' } },
  };

  it('without an error: <prefix>-day names and ids, widths, a group fieldset described by the hint', async () => {
    const html = await render('date-input', params);
    expect(html).toContain('<div class="govuk-form-group" id="group-dob">');
    expect(html).toContain('<fieldset class="govuk-fieldset" role="group" aria-describedby="dob-hint">');
    expect(html).toContain('<div class="govuk-date-input" id="dob">');
    expect(tagWithId(html, 'dob-day')).toMatch(/class="govuk-input govuk-date-input__input govuk-input--width-2" id="dob-day" name="dob-day" type="text" value="1" inputmode="numeric"/);
    expect(tagWithId(html, 'dob-month')).toContain('value="&quot;2&quot;"');
    expect(tagWithId(html, 'dob-year')).toContain('govuk-input--width-4');
    expect(tagWithId(html, 'dob-year')).toContain('hx-post="/x"');
    expect(html).toContain('<label class="govuk-label govuk-date-input__label" for="dob-day">Day</label>');
    expect(html).not.toContain('error');
  });

  it('with an error: every box gets the error style, and the fieldset is described by hint and error', async () => {
    const html = await render('date-input', { ...params, errorMessage: { text: 'The child’s date of birth must be a real date' } });
    expect(html).toContain('<div class="govuk-form-group govuk-form-group--error" id="group-dob">');
    expect(html).toContain('aria-describedby="dob-hint dob-error"');
    expect(html).toContain('<p id="dob-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> The child’s date of birth must be a real date</p>');
    for (const box of ['dob-day', 'dob-month', 'dob-year']) expect(tagWithId(html, box)).toContain('govuk-input--error');
  });

  it('with an error on one box only, only that box gets the error style', async () => {
    const items = [{ name: 'day', value: '1' }, { name: 'month', value: '13', error: true }, { name: 'year', value: '2015' }];
    const html = await render('date-input', { ...params, items, errorMessage: { text: 'Month must be between 1 and 12' } });
    expect(tagWithId(html, 'dob-month')).toContain('govuk-input--error');
    expect(tagWithId(html, 'dob-day')).not.toContain('govuk-input--error');
  });
});

describe('radios', () => {
  const params = {
    name: 'immediateRisk', value: 'no', classes: 'govuk-radios--inline', attributes: { 'data-testid': 'risk' },
    fieldset: { legend: { text: 'Is the child at immediate risk of harm?', classes: 'govuk-fieldset__legend--s' } },
    items: [{ id: 'immediateRisk', value: 'yes', text: 'Yes' }, { divider: 'or' }, { value: 'no', text: 'No <really>', hint: { text: 'A hint' } }],
  };

  it('without an error: the checked item, default ids, an item hint and the divider', async () => {
    const html = await render('radios', params);
    expect(html).toContain('<div class="govuk-radios govuk-radios--inline" data-testid="risk" data-module="govuk-radios">');
    expect(html).toContain('<input class="govuk-radios__input" id="immediateRisk" name="immediateRisk" type="radio" value="yes">');
    expect(html).toContain('<input class="govuk-radios__input" id="immediateRisk-3" name="immediateRisk" type="radio" value="no" checked aria-describedby="immediateRisk-3-item-hint">');
    expect(html).toContain('<label class="govuk-label govuk-radios__label" for="immediateRisk-3">No &lt;really&gt;</label>');
    expect(html).toContain('<div class="govuk-radios__divider">or</div>');
    expect(html).toContain('<fieldset class="govuk-fieldset">');
    expect(html).not.toContain('error');
  });

  it('with an error', async () => {
    const html = await render('radios', { ...params, errorMessage: { text: 'Select yes or no' } });
    expect(html).toContain('govuk-form-group--error');
    expect(html).toContain('<fieldset class="govuk-fieldset" aria-describedby="immediateRisk-error">');
    expect(html).toContain('<p id="immediateRisk-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Select yes or no</p>');
  });
});

describe('checkboxes', () => {
  const params = { name: 'agency', values: ['health'], hint: { text: 'Select all that apply' }, items: [{ value: 'education', text: 'Education' }, { value: 'health', text: 'Health' }] };

  it('without an error: checked from values; without a fieldset each box is described by the hint', async () => {
    const html = await render('checkboxes', params);
    expect(html).toContain('<input class="govuk-checkboxes__input" id="agency" name="agency" type="checkbox" value="education" aria-describedby="agency-hint">');
    expect(html).toContain('<input class="govuk-checkboxes__input" id="agency-2" name="agency" type="checkbox" value="health" checked aria-describedby="agency-hint">');
    expect(html).not.toContain('error');
  });

  it('with an error', async () => {
    const html = await render('checkboxes', { ...params, errorMessage: { text: 'Select an agency' } });
    expect(html).toContain('govuk-form-group--error');
    expect(html).toContain('aria-describedby="agency-hint agency-error"');
    expect(html).toContain('<span class="govuk-visually-hidden">Error:</span> Select an agency');
  });
});

describe('error summary', () => {
  it('lists each error as a link to its field, escaped', async () => {
    const html = await render('error-summary', { titleText: 'There is a problem', errorList: [{ text: 'Enter <b>', href: '#dob-day' }] });
    expect(html).toContain('<div class="govuk-error-summary" data-module="govuk-error-summary">');
    expect(html).toContain('<div role="alert">');
    expect(html).toContain('<h2 class="govuk-error-summary__title">There is a problem</h2>');
    expect(html).toContain('<ul class="govuk-list govuk-error-summary__list">');
    expect(html).toContain('<li><a href="#dob-day">Enter &lt;b&gt;</a></li>');
  });

  it('a description without a list', async () => {
    const html = await render('error-summary', { titleText: 'Your concern has not been sent', descriptionText: 'Send it again.' });
    expect(html).toContain('<p>Send it again.</p>');
    expect(html).not.toContain('govuk-error-summary__list');
  });
});

describe('summary list', () => {
  it('rows of key and value (text escaped, html as given), actions with hidden text, falsy rows skipped', async () => {
    const html = await render('summary-list', { attributes: { 'data-testid': 'account' }, rows: [
      { key: { text: 'What happened' }, value: { text: 'A <b>', classes: 'app-preserve-lines' } },
      null,
      { key: { text: 'Child' }, value: { html: '<a class="govuk-link" href="/children/1">Ann</a>' }, actions: { items: [{ href: '/x', text: 'Change', visuallyHiddenText: 'child' }] } },
    ] });
    expect(html).toContain('<dl class="govuk-summary-list" data-testid="account">');
    expect(html).toContain('<div class="govuk-summary-list__row govuk-summary-list__row--no-actions">');
    expect(html).toContain('<dd class="govuk-summary-list__value app-preserve-lines">A &lt;b&gt;</dd>');
    expect(html).toContain('<dd class="govuk-summary-list__value"><a class="govuk-link" href="/children/1">Ann</a></dd>');
    expect(html).toContain('<a class="govuk-link" href="/x">Change<span class="govuk-visually-hidden"> child</span></a>');
    expect(html.match(/class="govuk-summary-list__row[ "]/g)).toHaveLength(2);
  });
});

describe('pagination', () => {
  it('previous, the current page and next, with the landmark label', async () => {
    const html = await render('pagination', {
      landmarkLabel: 'Pages of results', previous: { href: '/children?page=1&name=a' }, next: { href: '/children?page=3' },
      items: [{ number: '2 of 3', href: '/children?page=2', current: true, visuallyHiddenText: 'Page 2 of 3' }],
    });
    expect(html).toContain('<nav class="govuk-pagination" aria-label="Pages of results">');
    expect(html).toContain('href="/children?page=1&amp;name=a" rel="prev"');
    expect(html).toContain('Previous<span class="govuk-visually-hidden"> page</span>');
    expect(html).toContain('<li class="govuk-pagination__item govuk-pagination__item--current"><a class="govuk-link govuk-pagination__link" href="/children?page=2" aria-label="Page 2 of 3" aria-current="page">2 of 3</a></li>');
    expect(html).toContain('href="/children?page=3" rel="next"');
  });

  it('with only next and no items, the block style', async () => {
    const html = await render('pagination', { next: { href: '/n', labelText: 'Page 2' } });
    expect(html).toContain('<nav class="govuk-pagination govuk-pagination--block" aria-label="Pagination">');
    expect(html).toContain('<span class="govuk-pagination__link-label">Page 2</span>');
    expect(html).not.toContain('govuk-pagination__prev');
  });
});

describe('params stay inside the partial', () => {
  it('a date input’s hint and error do not leak into its boxes', async () => {
    const html = await render('date-input', { id: 'when', namePrefix: 'when', hint: { text: 'For example' }, errorMessage: { text: 'Enter when' }, values: {} });
    expect(html.match(/class="govuk-hint"/g)).toHaveLength(1);
    expect(html.match(/class="govuk-error-message"/g)).toHaveLength(1);
    expect(html).not.toContain('govuk-form-group--error" id');
    expect(html.match(/govuk-form-group--error/g)).toHaveLength(1);
  });
});
