// The presenters as plain functions: what the route has in, the view model out. No database, no
// HTTP. Each view model holds only data (no functions), its error lists follow the page's order
// with links to the right inputs, its select and radio items say which is chosen, its summary
// rows carry their fallbacks, and its pagination stops at the first and last pages.
import { describe, expect, it } from 'vitest';
import type { ReleasedChild, ReleasedConcern, Suggestion } from '../src/access/index.ts';
import type { AccessLogRow } from '../src/audit/access-log.ts';
import { presentChooseRole } from '../src/auth/presenter.ts';
import { presentChildList } from '../src/children/presenter.ts';
import { presentChildFields, presentChildSummary } from '../src/children/summary.ts';
import { answerNames, type Answers, type CheckedConcern } from '../src/concerns/form.ts';
import { presentConcernCheck, presentConcernForm, presentReceipt, presentSubmissions } from '../src/concerns/presenter.ts';
import { presentFrontDoorConcern, presentQueue } from '../src/front-door/presenter.ts';
import { searchParameters, type SearchValues } from '../src/governance/access-log-search.ts';
import { presentAccessLog, presentViewAs } from '../src/governance/presenter.ts';
import { presentLookupForm, presentLookupResult } from '../src/lookup/presenter.ts';
import { presentTrainingList, presentTrainingRecord } from '../src/training/presenter.ts';
import { errorList } from '../src/web/error-list.ts';

const NOW = new Date('2026-11-23T10:00:00Z');
const CHILD_ID = '3f2b8c1e-0000-4000-8000-000000000001';

/** Every path in a value at which a function sits. */
function functionsIn(value: unknown, path = 'it', seen = new Set<unknown>()): string[] {
  if (typeof value === 'function') return [path];
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  if (value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, inner]) => functionsIn(inner, `${path}.${key}`, seen));
}

const blank = (): Answers => Object.fromEntries(answerNames.map((name) => [name, ''])) as Answers;

const checked: CheckedConcern = {
  idempotencyKey: '3f2b8c1e-0000-4000-8000-00000000000a',
  childId: null,
  child: { forename: 'Ann', surname: null, dateOfBirth: null, nhsNumber: null, upn: null, address: null, postcode: null },
  category: 'neglect',
  whatHappened: 'No coat again.',
  happenedOn: '2026-11-20',
  childWords: null,
  immediateRisk: false,
  actionsTaken: null,
  parentsAware: false,
  parentsNotAwareReason: 'It would put her at risk',
  referrerPhone: '01632 960 001',
  referrerEmail: null,
};

function concern(overrides: Partial<ReleasedConcern> = {}): ReleasedConcern {
  return {
    id: '3f2b8c1e-0000-4000-8000-0000000000c1',
    reference: 'SPP-2026-000001',
    organisationId: '3f2b8c1e-0000-4000-8000-0000000000a1',
    childId: null,
    fields: ['submission', 'childIdentifiers', 'referrer', 'progress', 'outcome', 'decisionRecord'],
    category: 'physical_abuse',
    whatHappened: 'A bruise.',
    happenedOn: '2026-11-20',
    childWords: null,
    immediateRisk: true,
    actionsTaken: null,
    parentsAware: true,
    parentsNotAwareReason: null,
    childForename: 'Ann',
    childSurname: null,
    childDateOfBirth: null,
    childNhsNumber: null,
    childUpn: null,
    childAddress: null,
    childPostcode: 'NB1 1AA',
    organisationName: 'Riverside Primary',
    submittedByName: 'Sarah Collins',
    submittedByRole: 'education.dsl',
    referrerPhone: '01632 960 001',
    referrerEmail: null,
    receivedAt: new Date('2026-11-23T09:05:00Z'),
    decisionDueAt: new Date('2026-11-24T09:05:00Z'),
    status: 'received',
    decision: null,
    decidedAt: null,
    feedback: null,
    decisionReason: null,
    decidedByName: null,
    ...overrides,
  };
}

const child = (fields: ReleasedChild['fields'], values: Partial<ReleasedChild> = {}): ReleasedChild => ({ id: CHILD_ID, fields, ...values });

describe('the error summary list', () => {
  it('lists the errors in page order, linking each to its input', () => {
    const errors = { when: 'Enter when', form: 'Expired', category: 'Select one', unknown: 'Not on this page' };
    expect(errorList(errors, ['form', 'category', 'when'], { form: 'category', when: 'when-day' })).toEqual([
      { text: 'Expired', href: '#category' },
      { text: 'Select one', href: '#category' },
      { text: 'Enter when', href: '#when-day' },
    ]);
    expect(errorList({}, ['form'])).toEqual([]);
  });
});

describe('concerns', () => {
  it('the form lists errors top to bottom, dates linking to their day box', () => {
    const view = presentConcernForm(blank(), undefined, { referrerPhone: 'Enter a phone number', when: 'Enter when', dob: 'Enter a real date', form: 'Expired' });
    expect(view.title).toBe('Error: Raise a concern');
    expect(view.errorList.map((e) => e.href)).toEqual(['#category', '#dob-day', '#when-day', '#referrerPhone']);
    expect(view.errorMessages.referrerPhone).toEqual({ text: 'Enter a phone number' });
    expect(view.errorMessages.category).toBe(false);
    expect(view.caption).toBe('About a child');
  });

  it('the form checks the answer given, and names the known child', () => {
    const view = presentConcernForm({ ...blank(), category: 'self_harm', immediateRisk: 'no' }, { id: CHILD_ID, label: 'Ann Lee' }, {});
    expect(view.title).toBe('Raise a concern');
    expect(view.caption).toBe('About Ann Lee');
    expect(view.childKnown).toBe(true);
    expect(view.categoryItems[0]).toMatchObject({ id: 'category', value: 'neglect', checked: false });
    expect(view.categoryItems.filter((item) => item.checked).map((item) => item.id)).toEqual(['category-self_harm']);
    expect(view.immediateRiskItems.map((item) => [item.id, item.checked])).toEqual([['immediateRisk', false], ['immediateRisk-no', true]]);
    expect(view.parentsAwareItems.some((item) => item.checked)).toBe(false);
  });

  it('check your answers fills what was not given', () => {
    const view = presentConcernCheck(blank(), undefined, checked);
    const rows = Object.fromEntries([...view.childRows, ...view.concernRows].map((r) => [r.key.text, 'text' in r.value ? r.value.text : r.value.html]));
    expect(rows).toMatchObject({
      Name: 'Ann', 'Date of birth': 'Not known', 'NHS number': 'Not known', Address: 'Not known',
      'Kind of concern': 'Neglect', When: '20 November 2026', 'The child’s own words': 'None given', 'Actions already taken': 'None given',
      'Parents or carers know': 'No: It would put her at risk', 'Your email address': 'Not given',
    });
    expect(view.hiddenAnswers.map((field) => field.name)).toEqual([...answerNames]);
  });

  it('check your answers shows only the label of a child raised from their record', () => {
    const view = presentConcernCheck(blank(), { id: CHILD_ID, label: 'Ann Lee' }, checked, true);
    expect(view.childRows).toEqual([{ key: { text: 'Child' }, value: { text: 'Ann Lee' } }]);
    expect(view.title).toBe('Your concern has not been sent');
    expect(view.failed).toBe(true);
  });

  it('the receipt and the submissions resolve the decision and dates', () => {
    const decided = concern({ status: 'decided', decision: 'early_help', decidedAt: new Date('2026-11-23T11:30:00Z'), feedback: 'Thanks' });
    const receipt = presentReceipt(decided);
    expect(receipt).toMatchObject({ decided: true, decisionLabel: 'Early help', decidedAt: '23 November 2026, 11:30', receivedAt: '23 November 2026, 09:05' });
    expect(receipt.rows.find((r) => r.key.text === 'When')!.value).toEqual({ text: '20 November 2026' });
    const { submissions } = presentSubmissions([decided, concern()], NOW);
    expect(submissions.map((s) => [s.decided, s.decisionLabel, s.categoryLabel])).toEqual([[true, 'Early help', 'Physical abuse'], [false, null, 'Physical abuse']]);
    expect(submissions[1]!.due).toMatch(/left|Due in/);
  });
});

describe('the front door', () => {
  const queue = (page: number, pages: number, filters: { agency?: 'police' | null; category?: string | null } = {}) => presentQueue({
    concerns: [concern()], total: 60, page, pages, status: 'open', agency: filters.agency ?? null, category: filters.category ?? null, now: NOW,
  });

  it('selects the chosen filters, and nothing where none is chosen', () => {
    const view = queue(1, 3, { category: 'neglect' });
    expect(view.statusItems.filter((item) => item.selected).map((item) => item.value)).toEqual(['open']);
    expect(view.agencyItems.some((item) => item.selected)).toBe(false);
    expect(view.agencyItems[0]).toEqual({ value: '', text: 'Any agency', selected: false });
    expect(view.categoryItems.filter((item) => item.selected).map((item) => item.value)).toEqual(['neglect']);
    expect(queue(1, 3, { agency: 'police' }).agencyItems.filter((item) => item.selected).map((item) => item.text)).toEqual(['Police']);
  });

  it('paginates with the filters in each link, stopping at the first and last pages', () => {
    const first = queue(1, 3, { agency: 'police' }).pagination!;
    expect(first.previous).toBeNull();
    expect(first.next).toEqual({ href: '/front-door?status=open&agency=police&category=&page=2' });
    expect(first.items).toEqual([1, 2, 3].map((n) => ({ number: String(n), href: `/front-door?status=open&agency=police&category=&page=${n}`, current: n === 1, visuallyHiddenText: `Page ${n}` })));
    const last = queue(3, 3).pagination!;
    expect(last.previous).toEqual({ href: '/front-door?status=open&agency=&category=&page=2' });
    expect(last.next).toBeNull();
    expect(queue(1, 1).pagination).toBeNull();
  });

  it('shows each concern in the queue with its labels', () => {
    const [row] = queue(1, 1).concerns;
    expect(row).toMatchObject({ href: `/front-door/${concern().id}`, child: 'Ann', matched: false, categoryLabel: 'Physical abuse', from: 'Riverside Primary (Designated safeguarding lead)' });
    expect(row!.due).toEqual({ overdue: false, text: expect.any(String) });
  });

  const suggestion = (id: string, reason: string): Suggestion => ({
    child: child(['forename', 'surname', 'dateOfBirth', 'legalStatus'], { id, forename: 'Ann', surname: 'Lee', dateOfBirth: '2015-03-27', openKinds: ['child_in_need'] }),
    reason,
  });

  it('offers the suggested children, then "keep unmatched", checking the answer given', () => {
    const other = '3f2b8c1e-0000-4000-8000-000000000002';
    const view = presentFrontDoorConcern({
      concern: concern(), suggestions: [suggestion(CHILD_ID, 'Same <NHS> number'), suggestion(other, 'Same name')], matchedChild: null,
      answers: { match: other, decision: 'advice_given', reason: '', feedback: '' }, errors: { feedback: 'Enter feedback', match: 'Select one' }, recorded: false, now: NOW,
    });
    expect(view.matchItems.map((item) => ('divider' in item ? 'or' : `${item.id}:${item.checked}`))).toEqual([
      'match:false', `match-${other}:true`, 'or', 'match-unmatched:false',
    ]);
    const firstHint = (view.matchItems[0] as { hint: { html: string } }).hint.html;
    expect(firstHint).toBe('<strong data-testid="match-reason">Same &lt;NHS&gt; number</strong><br>Born 27 March 2015<br>Child in need');
    expect(view.decisionItems.filter((item) => item.checked).map((item) => item.id)).toEqual(['decision-advice_given']);
    expect(view.errorList).toEqual([{ text: 'Select one', href: '#match' }, { text: 'Enter feedback', href: '#feedback' }]);
    expect(view.title).toBe('Error: Concern SPP-2026-000001');
    expect(view.noSuggestions).toBe(false);
  });

  it('does not offer "keep unmatched" when the partner’s own child is suggested; with no suggestions it is the first radio', () => {
    const own = presentFrontDoorConcern({
      concern: concern({ childId: CHILD_ID }), suggestions: [suggestion(CHILD_ID, 'Chosen by the partner')], matchedChild: null,
      answers: { match: CHILD_ID, decision: '', reason: '', feedback: '' }, errors: {}, recorded: false, now: NOW,
    });
    expect(own.matchItems.map((item) => ('divider' in item ? 'or' : item.value))).toEqual([CHILD_ID]);
    const none = presentFrontDoorConcern({ concern: concern(), suggestions: [], matchedChild: null, answers: { match: '', decision: '', reason: '', feedback: '' }, errors: {}, recorded: false, now: NOW });
    expect(none.matchItems).toEqual([{ id: 'match', value: 'unmatched', text: 'None of these – keep unmatched', checked: false }]);
    expect(none.noSuggestions).toBe(true);
  });

  it('fills the child as described with "Not given", or leaves it out when raised from the record', () => {
    const view = presentFrontDoorConcern({ concern: concern(), suggestions: [], matchedChild: null, answers: { match: '', decision: '', reason: '', feedback: '' }, errors: {}, recorded: false, now: NOW });
    expect(view.childRows!.map((r) => ('text' in r.value ? r.value.text : ''))).toEqual(['Ann', 'Not given', 'Not given', 'Not given', 'NB1 1AA']);
    expect(view.senderRows.map((r) => ('text' in r.value ? r.value.text : ''))).toEqual([
      'Sarah Collins, Designated safeguarding lead, Riverside Primary', '23 November 2026, 09:05', '01632 960 001', 'Not given',
    ]);
    const fromRecord = presentFrontDoorConcern({
      concern: concern({ childId: CHILD_ID, childForename: null }), suggestions: [], matchedChild: null, answers: { match: '', decision: '', reason: '', feedback: '' }, errors: {}, recorded: false, now: NOW,
    });
    expect(fromRecord.childRows).toBeNull();
  });

  it('shows a decided concern’s decision with the matched child as an escaped link', () => {
    const view = presentFrontDoorConcern({
      concern: concern({ status: 'decided', decision: 'strategy_discussion', decidedAt: new Date('2026-11-23T11:30:00Z'), decidedByName: 'Nadia Hussain', decisionReason: 'Risk', feedback: 'Thanks' }),
      suggestions: [], matchedChild: { id: CHILD_ID, name: 'Ann <Lee>' }, answers: { match: '', decision: '', reason: '', feedback: '' }, errors: {}, recorded: true, now: NOW,
    });
    expect(view.recorded).toBe(true);
    expect(view.due).toBeNull();
    expect(view.decisionRows.map((r) => ('text' in r.value ? r.value.text : r.value.html))).toEqual([
      'Strategy discussion', 'Risk', 'Thanks', `<a class="govuk-link" href="/children/${CHILD_ID}">Ann &lt;Lee&gt;</a>`, '23 November 2026, 11:30 by Nadia Hussain',
    ]);
  });
});

describe('children', () => {
  const list = (page: number, pages: number, status: 'looked_after' | null = null) => presentChildList({
    children: [child(['forename', 'surname', 'legalStatus'], { forename: 'Ann', surname: 'Lee', openKinds: ['looked_after'] }), child(['legalStatus'], { openKinds: [] })],
    total: 51, page, pages, name: 'a&b', status, statuses: ['child_in_need', 'child_protection', 'looked_after'],
  });

  it('shows each child by released fields only, with a link where the name is not released', () => {
    const view = list(1, 3);
    expect(view.children).toEqual([
      { href: `/children/${CHILD_ID}`, name: 'Ann Lee', dateOfBirth: '', legalStatus: [{ text: 'Looked after', classes: 'govuk-tag--purple' }], nextReviewDate: '' },
      { href: `/children/${CHILD_ID}`, name: 'View summary', dateOfBirth: '', legalStatus: [{ text: 'No open involvement', classes: 'govuk-tag--grey' }], nextReviewDate: '' },
    ]);
    expect(view.countText).toBe('51 children');
  });

  it('says where more children match than were counted, and how to find one', () => {
    const view = presentChildList({ children: [], total: 1000, more: true, page: 1, pages: 40, name: '', status: null, statuses: ['looked_after'] });
    expect(view.countText).toBe('More than 1,000 children. Search by name or choose a legal status to find a child; pages go up to the first 1,000.');
  });

  it('selects the chosen legal status, and "Any" is never marked', () => {
    expect(list(1, 3).statusItems.some((item) => item.selected)).toBe(false);
    expect(list(1, 3, 'looked_after').statusItems.map((item) => [item.text, item.selected])).toEqual([
      ['Any', false], ['Child in need', false], ['Child protection plan', false], ['Looked after', true],
    ]);
  });

  it('paginates with the search in each link, stopping at the first and last pages', () => {
    expect(list(1, 3).pagination).toMatchObject({ landmarkLabel: 'Pages of results', previous: null, next: { href: '/children?name=a%26b&page=2' } });
    expect(list(3, 3, 'looked_after').pagination).toMatchObject({ previous: { href: '/children?name=a%26b&status=looked_after&page=2' }, next: null });
    expect(list(2, 3).pagination!.items).toEqual([
      { number: '1', href: '/children?name=a%26b', current: false, visuallyHiddenText: 'Page 1' },
      { number: '2', href: '/children?name=a%26b&page=2', current: true, visuallyHiddenText: 'Page 2' },
      { number: '3', href: '/children?name=a%26b&page=3', current: false, visuallyHiddenText: 'Page 3' },
    ]);
    expect(list(1, 1).pagination).toBeNull();
  });

  it('gives the child-fields partial only released fields, labelled, in their fixed order', () => {
    const fields = presentChildFields(child(['postcode', 'forename', 'workerName'], { forename: 'Ann', postcode: null, workerName: 'Priya Desai' }));
    expect(fields.rows).toEqual([
      { field: 'forename', label: 'First name', value: 'Ann' },
      { field: 'postcode', label: 'Postcode', value: 'Not recorded' },
      { field: 'workerName', label: 'Allocated social worker', value: 'Priya Desai' },
    ]);
    expect(fields.relationships).toBeNull();
    expect(fields.chronology).toBeNull();
    expect(fields.viewedBy).toBeNull();
  });

  it('names each chronology and viewed-by field', () => {
    const fields = presentChildFields(child(['chronology', 'viewedBy', 'relationships'], {
      currentRelationships: [{ organisationName: 'Riverside Primary', kind: 'enrolled', startDate: '2020-09-01' }],
      chronology: [{ occurredOn: '2026-11-20', eventType: 'Partner concern', sourceAgency: 'education',
        summary: 'Neglect concern raised by Riverside (SPP-2026-000001). Awaiting front-door decision.', concern: {
          reference: 'SPP-2026-000001', submittedByName: 'Sarah Collins', referrerPhone: '01632 960 001', whatHappened: 'No coat', childWords: null,
          immediateRisk: false, actionsTaken: null, parentsAware: false, parentsNotAwareReason: 'Risk', status: 'decided', decision: 'early_help', decidedOn: '2026-11-24',
        } }],
      viewedBy: [{ organisationName: 'Riverside Primary', role: 'education.dsl', userName: 'Sarah Collins', action: 'view_summary', reason: null, at: new Date('2026-11-23T09:05:00Z') }],
    }));
    expect(fields.relationships).toEqual({ label: 'Schools and health services', items: ['On roll at Riverside Primary since 1 September 2020'] });
    expect(fields.chronology).toEqual([{ occurredOn: '20 November 2026', eventType: 'Concern raised by a partner', sourceAgency: 'Education',
      summary: 'Neglect concern raised by Riverside (SPP-2026-000001).', status: 'Decided: Early help on 24 November 2026', concern: {
      whatHappened: 'No coat', childWords: null, immediateRisk: 'No', actionsTaken: null, parentsKnow: 'No: Risk', raisedBy: 'Sarah Collins, 01632 960 001',
    } }]);
    expect(fields.viewedBy).toEqual([{ at: '23 November 2026, 09:05', organisationName: 'Riverside Primary', roleTitle: 'Designated safeguarding lead', userName: 'Sarah Collins', reason: 'Viewed a summary' }]);
  });

  it('heads the summary with the name where released', () => {
    expect(presentChildSummary(child(['surname'], { surname: 'Lee' }), true)).toMatchObject({ heading: 'Lee', raiseConcernHref: `/concerns/new?child=${CHILD_ID}` });
    expect(presentChildSummary(child(['postcode'], { postcode: 'NB1 1AA' }), false)).toMatchObject({ heading: 'Child summary', raiseConcernHref: null });
  });
});

describe('lookup', () => {
  it('lists errors in page order, the date of birth linking to its day box, and keeps the reason chosen', () => {
    const input = { method: 'details', nhsNumber: '', surname: '', day: '31', month: '2', year: '2015', postcode: '', reason: 'Missing child enquiry' };
    const view = presentLookupForm(input, { postcode: 'Enter a postcode', dateOfBirth: 'Enter a real date', surname: 'Enter a last name' });
    expect(view.title).toBe('Error: Look up a child');
    expect(view.errorList.map((e) => e.href)).toEqual(['#surname', '#dob-day', '#postcode']);
    expect(view.methodItems.map((item) => item.checked)).toEqual([false, true]);
    expect(view.reasonItems.filter((item) => item.selected).map((item) => item.value)).toEqual(['Missing child enquiry']);
    expect(view.reasonItems[0]).toEqual({ value: '', text: 'Choose a reason', selected: false });
  });

  it('says what was found', () => {
    const typed = { method: 'nhs', nhsNumber: '9434765919', surname: '', day: '', month: '', year: '', postcode: '', reason: 'Missing child enquiry' };
    const checkedLookup = { query: { nhsNumber: '9434765919' }, reason: 'Missing child enquiry', incidentReference: null };
    expect(presentLookupResult(undefined, true, typed, checkedLookup, false)).toMatchObject({ title: 'More than one record matches', child: null });
    expect(presentLookupResult(child(['cpisStatus'], { openKinds: ['looked_after'] }), false, typed, checkedLookup, true).child!.rows)
      .toEqual([{ field: 'cpisStatus', label: 'Child protection or looked-after status', value: 'Looked after' }]);
  });
});

describe('governance', () => {
  const organisations = [{ id: '3f2b8c1e-0000-4000-8000-0000000000a1', name: 'Riverside Primary', kind: 'school' }];
  const blank = Object.fromEntries(searchParameters.map((name) => [name, ''])) as SearchValues;
  const values: SearchValues = { ...blank, organisation: organisations[0]!.id, action: 'lookup', 'from-day': 'x' };
  const row: AccessLogRow = {
    id: '7', at: new Date('2026-11-23T09:05:00Z'), chained: false, issuer: 'i', subject: 's', userId: 'u-1', userName: 'Sarah Collins', organisationId: organisations[0]!.id,
    organisationName: 'Riverside Primary', role: 'education.dsl', childId: CHILD_ID, action: 'view_summary', fieldsReleased: ['forename', 'madeUp'], reason: null, requestId: 'r',
  } as AccessLogRow;
  const named = new Map([[CHILD_ID, { id: CHILD_ID, forename: 'Ava', surname: 'Farah', dateOfBirth: '2015-01-04', nhsNumber: null }]]);

  it('the access log selects the filters chosen, names each entry and links to older ones', () => {
    const view = presentAccessLog({ values, errors: { from: 'Enter the start date', child: 'Enter a name' }, childOutcome: { kind: 'none' }, rows: [row], children: named, organisations, userName: null, older: '7' });
    expect(view.errorList).toEqual([{ text: 'Enter a name', href: '#child' }, { text: 'Enter the start date', href: '#from-day' }]);
    expect(view.organisationItems).toEqual([{ value: '', text: 'Any', selected: false }, { value: organisations[0]!.id, text: 'Riverside Primary', selected: true }]);
    expect(view.actionItems.filter((item) => item.selected).map((item) => item.text)).toEqual(['Looked a child up']);
    expect(view.entries[0]).toMatchObject({ at: '23 November 2026, 09:05', userName: 'Sarah Collins', roleTitle: 'Designated safeguarding lead', organisationName: 'Riverside Primary', actionLabel: 'Viewed a summary', released: 'First name, madeUp', reason: '' });
    expect(view.entries[0]!.child!.text).toContain('Ava Farah');
    expect(view.entries[0]!.child!.text).not.toContain(CHILD_ID.slice(0, 8));
    expect(view.olderHref).toContain('before=7');
    expect(view.searched).toBe(false); // errors: nothing searched, nothing to export
    expect(view.exportHref).toBeNull();
    const plain = presentAccessLog({ values: blank, errors: {}, childOutcome: { kind: 'none' }, rows: [{ ...row, fieldsReleased: [] }], children: new Map(), organisations, userName: null, older: null });
    expect(plain).toMatchObject({ olderHref: null, entries: [{ released: 'Nothing' }] });
    expect(plain.exportHref).toBe('/governance/access-log.csv'); // the whole log: no parameters
  });

  it('view as names free-text fields the role would get without showing them', () => {
    const view = presentViewAs({
      values: { role: 'council.front_door', organisation: '', worker: '', child: CHILD_ID, reason: 'Audit sample' }, errors: {}, organisations, workers: [],
      preview: { role: 'council.front_door', organisationName: 'Northbridge City Council', preview: {
        action: 'read', visible: true, child: null, fields: ['forename', 'chronology'], freeText: ['chronology'], recordDecision: { source: null, reason: '' },
        decisions: [
          { field: 'forename', label: 'First name', shown: true, source: 'council.yaml', reason: 'Open children' },
          { field: 'chronology', label: 'Chronology', shown: true, source: 'council.yaml', reason: 'Open children' },
        ],
      } },
    });
    expect(view.reason).toBe('Audit sample');
    expect(view.preview?.decisions.map((d) => d.shown)).toEqual(['Shown', 'Shown to the role (free text: not shown here)']);
  });

  it('view as selects what was chosen and describes the preview', () => {
    const view = presentViewAs({
      values: { role: 'education.dsl', organisation: '', worker: '', child: CHILD_ID, reason: 'Audit sample' }, errors: {}, organisations, workers: [{ id: 'w1', name: 'Priya Desai', teamId: 't1', team: 'Assessment Team North' }],
      preview: { role: 'education.dsl', organisationName: 'Riverside Primary', preview: {
        action: null, visible: false, child: null, fields: [], freeText: [], recordDecision: { source: 'policies/education.yaml', reason: 'Not on roll' },
        decisions: [{ field: 'forename', label: 'First name', shown: false, source: null, reason: 'No rule' }],
      } },
    });
    expect(view.roleItems.filter((item) => item.selected).map((item) => item.text)).toEqual(['Designated safeguarding lead']);
    expect(view.organisationItems.some((item) => item.selected)).toBe(false);
    expect(view.workerItems[1]).toEqual({ value: 'w1', text: 'Priya Desai, Assessment Team North', selected: false });
    expect(view.preview).toMatchObject({
      heading: 'As Designated safeguarding lead, Riverside Primary', child: null, withheld: { source: 'policies/education.yaml', reason: 'Not on roll' },
      decisions: [{ field: 'forename', label: 'First name', shown: 'Withheld', source: 'None', reason: 'No rule' }],
    });
    expect(presentViewAs({ values: { role: 'x', organisation: '', worker: '', child: '', reason: '' }, errors: { worker: 'Choose', role: 'Choose a role' }, organisations, workers: [] }))
      .toMatchObject({ title: 'Error: View as', errorList: [{ href: '#role' }, { href: '#worker' }], preview: null });
  });
});

describe('training and roles', () => {
  const partner = {
    id: '3f2b8c1e-0000-4000-8000-0000000000b1', name: 'Ollie Grant', email: null, assignments: [{ organisationName: 'Northbridge <High>', role: 'education.deputy_dsl' }],
    trainingCompletedOn: null, recordedByName: null, recordedAt: null, lastSignedInAt: new Date('2026-11-23T09:05:00Z'),
  };

  it('the record page links its one error to the day box and escapes the roles it lists', () => {
    const view = presentTrainingRecord(partner, { day: '40', month: '', year: '' }, 'Enter a real date');
    expect(view.title).toBe('Error: Record training for Ollie Grant');
    expect(view.errorList).toEqual([{ text: 'Enter a real date', href: '#completed-day' }]);
    expect(view.errorMessage).toEqual({ text: 'Enter a real date' });
    expect(view.rows).toEqual([
      { key: { text: 'Role' }, value: { html: 'Deputy designated safeguarding lead, Northbridge &lt;High&gt;<br>' } },
      { key: { text: 'Training now' }, value: { text: 'Not recorded' } },
    ]);
    expect(presentTrainingRecord(partner, { day: '', month: '', year: '' })).toMatchObject({ errorList: [], errorMessage: false, title: 'Record training for Ollie Grant' });
  });

  it('the list names the partner just recorded', () => {
    expect(presentTrainingList([partner], partner.id).recordedName).toBe('Ollie Grant');
    expect(presentTrainingList([partner], 'someone else').recordedName).toBeNull();
  });

  it('choose role makes one radio per assignment', () => {
    const assignments = [
      { organisationId: 'a', organisationName: 'Canal Wharf Surgery', role: 'health.gp' as const },
      { organisationId: 'b', organisationName: 'Bridge Street Practice', role: 'health.gp' as const },
    ];
    expect(presentChooseRole(assignments, 'Select the role').items).toEqual([
      { id: 'assignment', value: '0', text: 'GP, Canal Wharf Surgery' },
      { id: 'assignment-1', value: '1', text: 'GP, Bridge Street Practice' },
    ]);
    expect(presentChooseRole(assignments, 'Select the role').errorList).toEqual([{ text: 'Select the role', href: '#assignment' }]);
    expect(presentChooseRole(assignments)).toMatchObject({ title: 'Choose your role', errorList: [], errorMessage: false });
  });
});

describe('every view model is plain data', () => {
  const answers = blank();
  const none = { match: '', decision: '', reason: '', feedback: '' };
  const models: Record<string, unknown> = {
    concernForm: presentConcernForm(answers, undefined, { form: 'Expired' }),
    concernCheck: presentConcernCheck(answers, undefined, checked),
    receipt: presentReceipt(concern()),
    submissions: presentSubmissions([concern()], NOW),
    queue: presentQueue({ concerns: [concern()], total: 60, page: 2, pages: 3, status: 'all', agency: null, category: null, now: NOW }),
    frontDoorConcern: presentFrontDoorConcern({ concern: concern(), suggestions: [{ child: child(['forename']), reason: 'r' }], matchedChild: null, answers: none, errors: {}, recorded: false, now: NOW }),
    childList: presentChildList({ children: [child(['forename'])], total: 60, page: 2, pages: 3, name: '', status: null, statuses: ['looked_after'] }),
    childSummary: presentChildSummary(child(['forename', 'chronology', 'viewedBy', 'relationships'], { chronology: [], viewedBy: [], currentRelationships: [] }), true),
    lookupForm: presentLookupForm({ method: '', nhsNumber: '', surname: '', day: '', month: '', year: '', postcode: '', reason: '' }),
    lookupResult: presentLookupResult(child(['forename']), false, { method: 'nhs', nhsNumber: '9434765919', surname: '', day: '', month: '', year: '', postcode: '', reason: 'r' }, { query: { nhsNumber: '9434765919' }, reason: 'r', incidentReference: null }, true),
    accessLog: presentAccessLog({ values: Object.fromEntries(searchParameters.map((name) => [name, ''])) as SearchValues, errors: {}, childOutcome: { kind: 'none' }, rows: [], children: new Map(), organisations: [], userName: null, older: null }),
    viewAs: presentViewAs({ values: { role: '', organisation: '', worker: '', child: '', reason: '' }, errors: {}, organisations: [], workers: [] }),
    chooseRole: presentChooseRole([{ organisationId: 'a', organisationName: 'A', role: 'health.gp' }]),
  };

  it.each(Object.keys(models))('%s holds no functions', (name) => {
    expect(functionsIn(models[name])).toEqual([]);
  });

  it('the walk does find a function', () => {
    expect(functionsIn({ rows: [{ value: { text: () => 'x' } }] })).toEqual(['it.rows.0.value.text']);
  });
});
