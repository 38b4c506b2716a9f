// The lists of issue 12 (points 2 and 10) in real headless Chromium at a phone's width (390 px),
// checked by axe: a DSL filters their organisation's submissions, pages on and opens a receipt; a
// GP and the front door sort the children list by its header links (no JavaScript needed).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { raiseConcern } from '../support/concerns.ts';
import { useTestDatabase } from '../support/database.ts';
import { signIn } from '../support/sign-in.ts';

const PHONE = { width: 390, height: 844 };

describe.skipIf(skipBrowserJourneys)('the lists at 390 px in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 120, referenceDate: '2026-11-23' });
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
    const dsl = (await signIn(app, 'dsl-riverside')).client;
    // More than a page of them.
    for (let i = 0; i < 27; i++) await raiseConcern(dsl, app, { childForename: `Pupil${i}`, childSurname: 'Phonewidth' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** The page does not scroll sideways at phone width. */
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('a DSL filters the submissions, pages on and opens a receipt', async () => {
    const { page, problems } = await signInThroughBrowser(browser, app.baseUrl, 'Schools (development sign-in)', /Designated safeguarding lead — Riverside Primary School/);
    await page.setViewportSize(PHONE);
    await page.goto(`${app.baseUrl}/submissions`);
    await page.getByTestId('submissions').waitFor();
    expect(await page.getByTestId('submission-count').innerText()).toBe('27 concerns');
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'submissions-390');

    await page.getByRole('link', { name: 'Page 2' }).click();
    await page.waitForURL(/page=2/);
    expect(await page.locator('[data-testid="submissions"] tbody tr').count()).toBe(2);

    await page.getByLabel('Status').selectOption({ label: 'Sent' });
    await page.getByLabel('You', { exact: true }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=sent/);
    expect(page.url()).toContain('sentBy=me');
    expect(await page.getByTestId('submission-count').innerText()).toBe('27 concerns');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.locator('[data-testid="submissions"] tbody tr').first().getByRole('link').first().click();
    await page.getByTestId('child-named').waitFor();
    expect(await page.getByTestId('child-named').innerText()).toMatch(/^About Pupil26 Phonewidth \(as you named them\)/);
    expect(await page.locator('.govuk-panel').count()).toBe(0);
    expect(await page.locator('.govuk-tag').first().innerText()).toMatch(/sent/i);
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('the front door sorts the children by next review date, and a GP has no such column', async () => {
    const { page, problems } = await signInThroughBrowser(browser, app.baseUrl, 'Northbridge City Council (development sign-in)', /Front-door/);
    await page.setViewportSize(PHONE);
    await page.goto(`${app.baseUrl}/children`);
    await page.getByTestId('sort-nextReviewDate').click();
    await page.waitForURL(/sort=nextReviewDate/);
    expect(await page.locator('th[data-column="nextReviewDate"]').getAttribute('aria-sort')).toBe('ascending');
    await page.getByTestId('sort-nextReviewDate').click();
    await page.waitForURL(/order=descending/);
    expect(await page.locator('th[data-column="nextReviewDate"]').getAttribute('aria-sort')).toBe('descending');
    expect(await fitsWidth(page)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'children-sorted-390');
    expect(problems).toEqual([]);

    const gp = await signInThroughBrowser(browser, app.baseUrl, 'NHS (development sign-in, CIS2-style)', /GP — Canal/);
    await gp.page.setViewportSize(PHONE);
    await gp.page.goto(`${app.baseUrl}/children`);
    await gp.page.getByTestId('result-count').waitFor();
    expect(await gp.page.locator('th[data-column="nextReviewDate"]').count()).toBe(0);
    expect(await fitsWidth(gp.page)).toBe(true);
    expect(await seriousAccessibilityViolations(gp.page)).toEqual([]);
    expect(gp.problems).toEqual([]);
  });
});
