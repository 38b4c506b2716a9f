// The time-out warning (issue 12, point 3) in real headless Chromium, against a portal whose
// idle limit is 24 seconds (so the warning, at most two minutes before the end and otherwise
// halfway, opens 12 seconds after a page loads): the GOV.UK modal dialog opens with focus on it
// and a count-down, axe finds nothing, "Stay signed in" by keyboard starts the session's idle
// time again on the server, and when time runs out the page goes to "You have been signed out".
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

const IDLE_MS = 24_000;

describe.skipIf(skipBrowserJourneys)('the time-out warning in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
    [app, browser] = await Promise.all([startTestApp(db().sql, { timeouts: { idleMs: IDLE_MS, absoluteMs: 3_600_000 } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** The DSL's session as the database has it: when it was last active, and whether it is still valid. */
  const session = async () => (await db().sql<{ lastSeen: Date; valid: boolean }[]>`
    select s.last_seen_at as "lastSeen", s.last_seen_at > now() - make_interval(secs => ${IDLE_MS / 1000}) as valid
    from sessions s join users u on u.id = s.user_id where u.subject = 'dsl-riverside'`)[0];

  /** Every axe violation, whatever its impact, but for the signed-in bar's `region` (its own engineer is putting it in a landmark). */
  async function axeViolations(page: Page) {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).exclude('.app-account-bar').analyze();
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  }

  it('warns, keeps the session on "Stay signed in", and signs out when time runs out', async () => {
    const { page, problems } = await signInThroughBrowser(browser, app.baseUrl, 'Schools (development sign-in)', /Designated safeguarding lead — Riverside Primary School/);
    await page.goto(`${app.baseUrl}/children`);
    const loadedAt = Date.now();
    const dialog = page.locator('#timeout-warning');
    // Closed until the script opens it: without JavaScript it never shows.
    expect(await dialog.evaluate((d) => getComputedStyle(d).display)).toBe('none');
    // Something on the page has focus, to come back to after the warning.
    const back = page.getByRole('link', { name: 'Skip to main content' });
    await back.focus();

    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    expect(Date.now() - loadedAt).toBeGreaterThanOrEqual(IDLE_MS / 2 - 1_000);
    await expect(page.getByRole('dialog', { name: 'You’re about to be signed out' }).isVisible()).resolves.toBe(true);
    expect(await dialog.evaluate((d) => d === document.activeElement)).toBe(true);
    expect(await dialog.locator('[data-countdown]').textContent()).toMatch(/^You’ll be signed out in \d{1,2} seconds?\.$/);
    expect(await dialog.locator('[role="status"]').textContent()).toMatch(/^You’ll be signed out in \d{1,2} seconds?\.$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'time-out-warning');

    // "Stay signed in" by keyboard: the first thing Tab reaches in the dialog.
    const before = (await session())!;
    expect(before.valid).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Stay signed in');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await back.evaluate((link) => link === document.activeElement)).toBe(true);
    const after = (await session())!;
    expect(after.lastSeen.getTime()).toBeGreaterThan(before.lastSeen.getTime());
    // Past when the page would have timed out: the server still holds the session.
    await page.waitForTimeout(Math.max(0, loadedAt + IDLE_MS + 1_000 - Date.now()));
    expect(page.url()).toBe(`${app.baseUrl}/children`);
    expect((await session())!.valid).toBe(true);

    // Left alone, the warning comes back and, at the end, the page says the person is signed out.
    await page.waitForURL(/\/timed-out/, { timeout: 60_000 });
    await page.getByRole('heading', { level: 1, name: 'You have been signed out' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Answers you had given in a concern form have been kept');
    expect(await page.locator('main a[href^="tel:"]').count()).toBe(2);
    expect((await session())?.valid ?? false).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
