// The concern journey in real headless Chromium: a DSL raises a concern about a pupil (a field
// checked as it is left, "Why have they not been told?" revealed by "No", check answers and a
// Change link back to its question, confirmation); the front door finds it in the queue,
// confirms the match and decides; the DSL sees the decision and the feedback.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../../src/seed/demo-organisations.ts';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

// Skipped where there is no Chromium, except in CI (test/support/chromium.ts).
describe.skipIf(skipBrowserJourneys)('the concern journey in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;
  let pupil: { id: string; forename: string; surname: string };

  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
    [pupil] = (await db().sql`
      select c.id, c.forename, c.surname from children c
      join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
      where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed
        and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
      order by c.surname limit 1`) as never as [typeof pupil];
    expect(pupil).toBeDefined();
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const signInAs = (provider: string, account: RegExp) => signInThroughBrowser(browser, app.baseUrl, provider, account);

  /** axe's findings on the concern form: none allowed (the reveal is CSS, so no radio carries aria-expanded). */
  const formViolations = (page: Parameters<typeof seriousAccessibilityViolations>[0]) => seriousAccessibilityViolations(page);

  it('a DSL raises a concern, the front door matches and decides, the DSL sees the feedback', async () => {
    // The DSL, from the pupil's summary.
    const dsl = await signInAs('Schools (development sign-in)', /Designated safeguarding lead — Riverside Primary School/);
    await dsl.page.goto(`${app.baseUrl}/children/${pupil.id}`);
    await dsl.page.getByRole('button', { name: 'Raise a concern about this child' }).click();
    await dsl.page.getByRole('heading', { name: 'Raise a concern' }).waitFor();
    expect(await formViolations(dsl.page)).toEqual([]);

    // Several kinds: the main one is asked once they are ticked (after Continue).
    await dsl.page.locator('#categories').check(); // Neglect
    await dsl.page.getByRole('checkbox', { name: 'Domestic abuse' }).check();
    await dsl.page.getByLabel('What did you see, hear or were you told?').fill('Came in hungry again; no coat in the rain.');
    await dsl.page.getByLabel('Day').fill('20');
    await dsl.page.getByLabel('Month').fill('11');
    await dsl.page.getByLabel('Year').fill('2026');
    await dsl.page.getByLabel('The child’s own words (optional)').fill('Mum sleeps all day.');
    await dsl.page.locator('#immediateRisk-no').check();
    // The reason is hidden until "No" is chosen (GOV.UK conditional reveal), and hidden again by "Yes".
    const reason = dsl.page.getByLabel('Why have they not been told?');
    expect(await reason.isVisible()).toBe(false);
    await dsl.page.locator('#parentsAware-no').check();
    await reason.waitFor({ state: 'visible' });
    await dsl.page.locator('#parentsAware').check();
    await reason.waitFor({ state: 'hidden' });
    await dsl.page.locator('#parentsAware-no').check();
    // Left empty and tabbed past: htmx asks the server and shows the message beside the field.
    await reason.focus();
    await dsl.page.keyboard.press('Tab');
    await dsl.page.locator('#group-parentsNotAwareReason .govuk-error-message').getByText('Say why the parents or carers have not been told').waitFor();
    // …and the rest of what was typed is untouched.
    expect(await dsl.page.getByLabel('What did you see, hear or were you told?').inputValue()).toBe('Came in hungry again; no coat in the rain.');
    await reason.fill('Telling mum could put the child at greater risk.');
    await dsl.page.keyboard.press('Tab');
    await dsl.page.locator('#group-parentsNotAwareReason .govuk-error-message').waitFor({ state: 'detached' });
    await dsl.page.getByLabel('Phone number').fill('01632 960 001 ext 12');
    await dsl.page.getByRole('button', { name: 'Continue' }).click();

    // Two kinds ticked: which is the main one (the reason is still revealed, with its answer).
    await dsl.page.getByRole('group', { name: 'Which is the main concern?' }).getByLabel('Neglect').check();
    expect(await reason.inputValue()).toBe('Telling mum could put the child at greater risk.');
    await dsl.page.getByRole('button', { name: 'Continue' }).click();

    await dsl.page.getByRole('heading', { name: 'Check your answers before sending your concern' }).waitFor();
    expect(await dsl.page.textContent('main')).toContain('Mum sleeps all day.');
    expect(await dsl.page.textContent('main')).toContain('Neglect (main concern), Domestic abuse');
    expect(await seriousAccessibilityViolations(dsl.page)).toEqual([]);
    // A Change link per row goes back to its own question, with every answer, and back again.
    await dsl.page.getByRole('link', { name: 'Change the child’s own words' }).click();
    await dsl.page.waitForURL(/\/concerns\/new#childWords$/);
    const words = dsl.page.getByLabel('The child’s own words (optional)');
    expect(await words.inputValue()).toBe('Mum sleeps all day.');
    expect(await dsl.page.evaluate(() => document.querySelector(':target')?.id)).toBe('childWords');
    expect(await dsl.page.getByLabel('What did you see, hear or were you told?').inputValue()).toBe('Came in hungry again; no coat in the rain.');
    await words.fill('Mum sleeps all day. There is no food.');
    await dsl.page.getByRole('button', { name: 'Continue' }).click();
    await dsl.page.getByRole('heading', { name: 'Check your answers before sending your concern' }).waitFor();
    expect(await dsl.page.textContent('main')).toContain('Mum sleeps all day. There is no food.');
    await dsl.page.getByRole('button', { name: 'Send concern' }).click();
    await dsl.page.waitForURL(/\/concerns\/SPP-\d{4}-\d{6}\?sent=1$/);
    const reference = (await dsl.page.getByTestId('reference').textContent())!.trim();
    expect(reference).toMatch(/^SPP-\d{4}-\d{6}$/);
    await screenshot(dsl.page, 'concern-confirmation');

    // The front door: the queue (filtered with htmx), the concern, the match, the decision.
    const frontDoor = await signInAs('Council (development sign-in)', /Front-door \(MASH\) worker/);
    await frontDoor.page.getByRole('link', { name: 'Front door' }).click();
    await frontDoor.page.getByRole('heading', { name: 'Front door' }).waitFor();
    await frontDoor.page.getByLabel('From').selectOption('education');
    await frontDoor.page.waitForURL(/agency=education/);
    await frontDoor.page.getByRole('link', { name: reference }).click();
    await frontDoor.page.getByRole('heading', { name: `Concern ${reference}` }).waitFor();
    expect(await frontDoor.page.getByTestId('child-words').textContent()).toContain('Mum sleeps all day.');
    expect(await frontDoor.page.getByTestId('child-as-described').textContent()).toContain('Raised from the child’s record in the portal');
    expect(await seriousAccessibilityViolations(frontDoor.page)).toEqual([]);
    const suggested = frontDoor.page.getByLabel(`${pupil.forename} ${pupil.surname}`);
    expect(await suggested.isChecked()).toBe(true);
    expect(await frontDoor.page.getByTestId('match-reason').first().textContent()).toBe('The partner raised the concern about this child');
    await frontDoor.page.getByLabel('Early help').check();
    await frontDoor.page.getByLabel('Reason for the decision').fill('Needs met by a family support worker; no threshold for assessment.');
    await frontDoor.page.getByLabel('Feedback for the person who raised the concern').fill('Thank you. Early help will contact the family this week.');
    await frontDoor.page.getByRole('button', { name: 'Record decision' }).click();
    await frontDoor.page.getByTestId('recorded').waitFor();
    await screenshot(frontDoor.page, 'front-door-decided');

    // Back to the DSL: the decision and the feedback.
    await dsl.page.getByRole('link', { name: 'Your submissions', exact: true }).click();
    const row = dsl.page.locator('tr', { hasText: reference });
    await row.getByText('Decided').waitFor();
    expect(await row.getByTestId('decision').textContent()).toBe('Early help');
    expect(await row.textContent()).toContain('Thank you. Early help will contact the family this week.');
    expect(await row.textContent()).not.toContain('no threshold for assessment');

    expect(dsl.problems).toEqual([]);
    expect(frontDoor.problems).toEqual([]);
  });

  it('a time-out loses nothing: after signing in again the DSL is back on the form with every answer', async () => {
    const dsl = await signInAs('Schools (development sign-in)', /Designated safeguarding lead — Riverside Primary School/);
    await dsl.page.goto(`${app.baseUrl}/concerns/new`);
    await dsl.page.getByLabel('Last name').fill('Interrupted');
    await dsl.page.locator('#categories').check();
    await dsl.page.getByLabel('What did you see, hear or were you told?').fill('Written before the fire drill.');
    await dsl.page.locator('#parentsAware-no').check();
    await dsl.page.getByLabel('Why have they not been told?').fill('Dad is the concern.');
    // The session times out while the DSL is away (every session of this browser: one).
    await db().sql`update sessions set last_seen_at = now() - interval '2 hours'
                   where user_id = (select id from users where subject = 'dsl-riverside')`;
    await dsl.page.getByRole('button', { name: 'Continue' }).click();

    await dsl.page.waitForURL(/\/sign-in\?return_to=%2Fconcerns%2Fnew$/);
    await dsl.page.getByRole('button', { name: 'Schools (development sign-in)' }).click();
    // The provider may still know the DSL (its own session): then it sends them straight back.
    const account = dsl.page.getByRole('button', { name: /Designated safeguarding lead — Riverside Primary School/ });
    const back = dsl.page.waitForURL(`${app.baseUrl}/concerns/new`);
    await Promise.race([back, account.waitFor()]);
    if (!dsl.page.url().endsWith('/concerns/new')) await account.click();
    await back;
    await dsl.page.getByTestId('draft-banner').getByText('Your answers were kept').waitFor();
    expect(await dsl.page.getByLabel('Last name').inputValue()).toBe('Interrupted');
    expect(await dsl.page.getByLabel('What did you see, hear or were you told?').inputValue()).toBe('Written before the fire drill.');
    expect(await dsl.page.locator('#categories').isChecked()).toBe(true);
    expect(await dsl.page.getByLabel('Why have they not been told?').inputValue()).toBe('Dad is the concern.');
    expect(await dsl.page.getByLabel('Why have they not been told?').isVisible()).toBe(true);
  });
});
