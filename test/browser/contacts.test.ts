// Who to call (issue 12, point 1) in real headless Chromium at a phone's width (390 px): the
// contact strip and a summary's contact card fit, their numbers are tel: links, and axe finds
// nothing on the page.
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../../src/seed/demo-organisations.ts';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

describe.skipIf(skipBrowserJourneys)('who to call, at 390 px in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;
  let childId: string;
  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 80, referenceDate: '2026-11-23' });
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
    [{ id: childId }] = (await db().sql`
      select c.id from children c join child_organisation_relationships r on r.child_id = c.id and r.end_date is null
      join allocations a on a.child_id = c.id and a.end_date is null
      where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed
        and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
      order by c.id limit 1`) as never as [{ id: string }];
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a DSL’s summary: the strip and the contact card, with tel: links, fitting the width', async () => {
    const { page, problems } = await signInThroughBrowser(browser, app.baseUrl, 'Schools (development sign-in)', /Designated safeguarding lead — Riverside Primary School/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.baseUrl}/children/${childId}`);
    const strip = page.getByRole('complementary', { name: 'Who to call' });
    await expect(strip.getByRole('link', { name: '0113 496 0000' }).getAttribute('href')).resolves.toBe('tel:+441134960000');
    await expect(strip.getByRole('link', { name: '0113 496 0999' }).getAttribute('href')).resolves.toBe('tel:+441134960999');
    const card = page.getByTestId('contact-card');
    await expect(card.getByRole('heading', { name: 'Who to contact about this child' }).isVisible()).resolves.toBe(true);
    const tels = await card.locator('a[href^="tel:+44"]').count();
    expect(tels).toBe(4); // worker, team, duty, out of hours
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // Everything axe checks, whatever its impact, but the signed-in bar's `region` (its own
    // engineer is putting it in a landmark).
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).exclude('.app-account-bar').analyze();
    expect(results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
    await screenshot(page, 'contact-card-390');
    expect(problems).toEqual([]);
  });
});
