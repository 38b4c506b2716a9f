// First journey: a visitor opens the start page in real headless Chromium.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, skipBrowserJourneys, watchForProblems } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

// Skipped where there is no Chromium, except in CI (test/support/chromium.ts).
describe.skipIf(skipBrowserJourneys)('the start page in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the start page, styled, accessible, with no CSP violations', async () => {
    // axe needs a page in an explicit context.
    const page = await (await browser.newContext()).newPage();
    const problems = watchForProblems(page);
    await page.goto(`${app.baseUrl}/`);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Safeguarding Partner Portal');
    await expect(page.getByRole('button', { name: 'Sign in' }).getAttribute('href')).resolves.toBe('/sign-in');
    // The stylesheet loaded and applied (GOV.UK Frontend's heading size, system font).
    const heading = page.getByRole('heading', { level: 1 });
    expect(await heading.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
    expect(await heading.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/system-ui/);
    // Our module script ran under the CSP.
    await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'));

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const file = await screenshot(page, 'start-page');
    expect(existsSync(file)).toBe(true);
    expect(problems).toEqual([]);
  });
});
