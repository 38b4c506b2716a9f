// This session's new pages in real headless Chromium at a phone's width (390 px), checked by axe:
// a partner adds information to a concern from its receipt; the council's information
// governance previews a child with a stated reason, reads the unusual-activity page, and finds
// the preview in the access log by the child's name.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../../src/seed/demo-organisations.ts';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { raiseConcern } from '../support/concerns.ts';
import { useTestDatabase } from '../support/database.ts';
import { signIn } from '../support/sign-in.ts';

const PHONE = { width: 390, height: 844 };

describe.skipIf(skipBrowserJourneys)('new pages at 390 px in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;
  let reference: string;
  let childId: string;

  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 80, referenceDate: '2026-11-23' });
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
    reference = await raiseConcern((await signIn(app, 'dsl-riverside')).client, app, { childSurname: 'Phonewidth' });
    [{ id: childId }] = (await db().sql`
      select c.id from children c join child_organisation_relationships r on r.child_id = c.id and r.end_date is null
      where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed order by c.id limit 1`) as never as [{ id: string }];
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** The page does not scroll sideways at phone width. */
  const fitsWidth = (page: import('playwright-core').Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('a DSL adds information to a concern from its receipt', async () => {
    const { page, problems } = await signInThroughBrowser(browser, app.baseUrl, 'Schools (development sign-in)', /Designated safeguarding lead — Riverside Primary School/);
    await page.setViewportSize(PHONE);
    await page.goto(`${app.baseUrl}/concerns/${reference}`);
    await page.getByRole('button', { name: 'Add this information' }).click();
    // Empty: the message by the field, in the error summary too.
    await page.locator('.govuk-error-summary').getByText('Enter what you want to add').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel('What do you want to add?').fill('Mum phoned: they are staying with her sister.');
    await page.getByRole('button', { name: 'Add this information' }).click();
    await page.getByTestId('added').waitFor();
    expect(await page.getByTestId('follow-up').innerText()).toContain('staying with her sister');
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'receipt-follow-up-390');
    // The 400s are the error pages this journey asks for on purpose.
    expect(problems.filter((p) => !/HTTP 400|status of 400/.test(p))).toEqual([]);
  });

  it('information governance previews with a reason, and reads unusual activity', async () => {
    const { page, problems } = await signInThroughBrowser(browser, app.baseUrl, 'Northbridge City Council (development sign-in)', /Information governance/);
    await page.setViewportSize(PHONE);
    await page.goto(`${app.baseUrl}/governance/view-as`);
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Designated safeguarding lead' });
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: DEMO_SCHOOLS[0]!.name });
    await page.getByLabel('Child’s record id').fill(childId);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('.govuk-error-summary').getByText('Enter why you are previewing this child’s record').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Why are you previewing this child’s record?').fill('Checking the school policy after a complaint');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('decisions').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'view-as-390');

    await page.goto(`${app.baseUrl}/governance/unusual-activity`);
    await page.getByRole('heading', { name: 'Unusual activity' }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // The access log: a child found by name (the preview above is an entry about them), a date
    // typed wrongly is in the error summary, and the entries name the child and the person.
    const [child] = (await db().sql`select forename, surname from children where id = ${childId}`) as never as [{ forename: string; surname: string }];
    await page.goto(`${app.baseUrl}/governance/access-log`);
    await page.getByLabel('Name, NHS number or record id').fill(`${child.forename} ${child.surname}`);
    await page.locator('#from-day').fill('31');
    await page.locator('#from-month').fill('2');
    await page.locator('#from-year').fill('2026');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.govuk-error-summary').getByText('The start date must be a real date').waitFor();
    expect(await page.locator('#from-day').inputValue()).toBe('31');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.locator('#from-day').fill('');
    await page.locator('#from-month').fill('');
    await page.locator('#from-year').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    const matches = page.getByTestId('child-matches');
    if (await matches.isVisible()) await matches.getByRole('link', { name: new RegExp(`${child.forename} ${child.surname}`) }).first().click();
    await page.getByTestId('access-log').waitFor();
    expect(await page.getByTestId('chosen-child').innerText()).toContain(`${child.forename} ${child.surname}`);
    expect(await page.getByTestId('access-log').innerText()).toContain('Martin Shaw');
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'access-log-390');
    // The 400s are the error pages this journey asks for on purpose.
    expect(problems.filter((p) => !/HTTP 400|status of 400/.test(p))).toEqual([]);
  });
});
