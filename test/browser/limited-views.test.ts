// Journeys in real headless Chromium: a DSL lists their pupils and opens one; an emergency
// department clinician looks the same child up by NHS number with a reason and sees the CP-IS
// set only; the child's social worker then sees both looks under "Viewed by".
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS, DEMO_SOCIAL_WORKERS } from '../../src/seed/demo-organisations.ts';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

// Skipped where there is no Chromium, except in CI (test/support/chromium.ts).
describe.skipIf(skipBrowserJourneys)('limited views in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;
  let child: { id: string; forename: string; surname: string; nhs_number: string };
  const priya = DEMO_SOCIAL_WORKERS.find((w) => w.name === 'Priya Desai')!;

  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 300, referenceDate: '2026-11-23' });
    const sql = db().sql;
    [child] = (await sql`
      select c.id, c.forename, c.surname, c.nhs_number from children c
      join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
      where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed and c.nhs_number is not null
        and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null and i.kind = 'child_protection')
      order by c.surname limit 1`) as never as [typeof child];
    expect(child).toBeDefined();
    // Make Priya Desai (a demo account) the allocated social worker.
    await sql`update allocations set end_date = current_date where child_id = ${child.id} and end_date is null`;
    await sql`insert into allocations (child_id, social_worker_id, start_date) values (${child.id}, ${priya.id}, current_date)`;
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const signInAs = (provider: string, account: RegExp) => signInThroughBrowser(browser, app.baseUrl, provider, account);

  it('a DSL lists their pupils and opens a summary', async () => {
    const { page, problems } = await signInAs('Schools (development sign-in)', /Designated safeguarding lead — Riverside Primary School/);
    await page.getByRole('link', { name: 'Your children' }).click();
    await page.getByRole('heading', { name: 'Children' }).waitFor();
    // Search as you type (htmx), then open the child.
    await page.getByLabel('Name').fill(child.surname);
    await page.waitForURL(/name=/);
    await page.getByRole('link', { name: `${child.forename} ${child.surname}` }).click();
    await page.getByRole('heading', { name: `${child.forename} ${child.surname}` }).waitFor();
    expect(await page.locator('[data-field="upn"]').count()).toBe(1);
    expect(await page.locator('[data-field="nhsNumber"]').count()).toBe(0);
    expect(await page.locator('[data-field="address"]').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'dsl-child-summary');
    expect(problems).toEqual([]);
  });

  it('an ED clinician looks the child up by NHS number with a reason and sees the CP-IS set only', async () => {
    const { page, problems } = await signInAs('NHS (development sign-in, CIS2-style)', /Emergency department clinician/);
    await page.getByRole('link', { name: 'Look up a child' }).click();
    // Bad input first: messages next to the fields, nothing lost.
    await page.getByLabel('By NHS number').check();
    await page.getByLabel('NHS number', { exact: true }).fill('123');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.getByLabel('NHS number', { exact: true }).inputValue()).toBe('123');
    // That page was answered 400 on purpose; anything after it must be clean.
    expect(problems.every((p) => p.includes('400'))).toBe(true);
    problems.length = 0;
    await page.getByLabel('NHS number', { exact: true }).fill(child.nhs_number);
    await page.getByLabel('Why are you looking this child up?').selectOption('Child attending the emergency department');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('heading', { name: 'Record found' }).waitFor();
    const shown = await page.locator('[data-field]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-field')));
    expect(shown.sort()).toEqual(['councilName', 'cpisStartDate', 'cpisStatus', 'dutyPhone', 'outOfHoursPhone']);
    expect(await page.content()).not.toContain(child.surname);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'ed-lookup');
    expect(problems).toEqual([]);
  });

  it('the child’s social worker sees both looks under “Viewed by”', async () => {
    const { page, problems } = await signInAs('Northbridge City Council (development sign-in)', /Social worker — Assessment Team North/);
    await page.goto(`${app.baseUrl}/children/${child.id}`);
    const viewedBy = page.locator('table[data-field="viewedBy"]');
    await viewedBy.waitFor();
    const text = await viewedBy.innerText();
    expect(text).toContain('Riverside Primary School');
    expect(text).toContain('Designated safeguarding lead');
    expect(text).toContain('Northbridge General Hospital Emergency Department');
    expect(text).toContain('Child attending the emergency department');
    await screenshot(page, 'social-worker-viewed-by');
    expect(problems).toEqual([]);
  });
});
