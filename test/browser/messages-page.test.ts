// Information governance's Messages page in real headless Chromium at a phone's width (390 px),
// checked by axe: the list with a failed message, retrying it by hand, and the home page's count.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concernReceivedForFrontDoor } from '../../src/notifications/messages.ts';
import { enqueue } from '../../src/notifications/outbox.ts';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

const PHONE = { width: 390, height: 844 };

describe.skipIf(skipBrowserJourneys)('the Messages page at 390 px in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 10, referenceDate: '2026-11-23' });
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
    for (const n of [1, 2]) {
      const text = concernReceivedForFrontDoor({ reference: `SPP-2026-00020${n}`, publicUrl: app.baseUrl });
      await enqueue(db().sql, { kind: 'concern_received', recipient: `front.door${n}@a-rather-long-council-domain.example.gov.uk`, ...text, dedupeKey: `browser-${n}` });
    }
    await db().sql`
      update outbox set failed_at = now(), attempts = 1,
        failure_reason = 'the recipient’s mail server says the address does not exist (Notify: permanent-failure)'
      where dedupe_key = 'browser-1'`;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('information governance sees the failure from home, reads the page and retries the message', async () => {
    const { page, problems } = await signInThroughBrowser(browser, app.baseUrl, 'Northbridge City Council (development sign-in)', /Information governance/);
    await page.setViewportSize(PHONE);
    await page.goto(app.baseUrl);
    await page.getByRole('link', { name: '1 e-mail could not be sent' }).click();
    await page.getByRole('heading', { name: 'Messages', exact: true }).waitFor();
    expect(await page.getByTestId('messages').locator('[data-message]').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'messages-390');

    await page.getByRole('button', { name: /^Retry/ }).click();
    await page.getByTestId('retried').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const [row] = await db().sql<{ failed: boolean }[]>`select failed_at is not null as failed from outbox where dedupe_key = 'browser-1'`;
    expect(row!.failed).toBe(false);
    expect(problems).toEqual([]);
  });
});
