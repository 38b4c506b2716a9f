// Journey: a school's designated safeguarding lead signs in through the development identity
// provider in real headless Chromium, sees their name and school, and signs out.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, skipBrowserJourneys, watchForProblems } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

// Skipped where there is no Chromium, except in CI (test/support/chromium.ts).
describe.skipIf(skipBrowserJourneys)('signing in and out in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 20 });
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a DSL signs in and sees their name and school, then signs out', async () => {
    const page = await (await browser.newContext()).newPage();
    const problems = watchForProblems(page);

    page.setDefaultTimeout(10_000);
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Schools (development sign-in)' }).click();

    // The development identity provider's own page, on its own origin.
    await page.getByRole('button', { name: /Designated safeguarding lead — Riverside Primary School/ }).click();

    await page.waitForURL(`${app.baseUrl}/`);
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('Sarah Collins');
    await expect(page.getByTestId('user-organisation').textContent()).resolves.toBe('Riverside Primary School');
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('Designated safeguarding lead');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'signed-in-dsl');

    // The session cookie is not readable by scripts.
    expect(await page.evaluate(() => document.cookie)).not.toContain('portal_session');
    const [cookie] = (await page.context().cookies(app.baseUrl)).filter((c) => c.name === 'portal_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${app.baseUrl}/signed-out`);
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    expect((await page.context().cookies(app.baseUrl)).some((c) => c.name === 'portal_session')).toBe(false);
    expect(problems).toEqual([]);
  });
});
