// Issue 14, point 7, in real headless Chromium: a police officer notifies about a household of
// two siblings at different schools and a pre-school child → each school and the front door see
// only their own child → one school's DSL acknowledges → the other school's notification is
// escalated at 08:30 → the officer sees both outcomes.
//
// THE CLOCK: the server here runs in this process (startTestApp), so the escalation is the real
// escalateOverdue (src/encompass/escalation.ts) called with a faked "now" — the notification's
// own due time, 08:30 on the next school day — exactly as the server's worker calls it with the
// real one. Nothing in the portal reads a faked time from the environment, so nothing in
// production can be made to believe it is another day.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdue } from '../../src/encompass/escalation.ts';
import { londonWallClock } from '../../src/concerns/working-days.ts';
import { DEMO_SCHOOLS, NORTHBRIDGE_COUNCIL } from '../../src/seed/demo-organisations.ts';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

const riverside = DEMO_SCHOOLS[0]!;
const northbridgeHigh = DEMO_SCHOOLS[6]!;
const household = [
  { forename: 'Maya', surname: 'Encombe', dob: ['4', '5', '2014'], school: riverside },
  { forename: 'Leo', surname: 'Encombe', dob: ['9', '9', '2011'], school: northbridgeHigh },
  { forename: 'Isla', surname: 'Encombe', dob: ['2', '2', '2024'], school: null },
] as const;
const POSTCODE = 'NB1 4XY';

describe.skipIf(skipBrowserJourneys)('a police notification about a household, start to finish, in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    const sql = db().sql;
    await seedDemoData(sql, { children: 30, referenceDate: '2026-11-23' });
    for (const child of household) {
      const [day, month, year] = child.dob;
      const [row] = await sql<{ id: string }[]>`
        insert into children (local_authority_id, forename, surname, date_of_birth, gender, address, postcode)
        values (${NORTHBRIDGE_COUNCIL.id}, ${child.forename}, ${child.surname}, ${`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`}, 'not_known', '1 Canal Row', ${POSTCODE})
        returning id`;
      if (child.school) await sql`insert into child_organisation_relationships (child_id, organisation_id, kind, start_date) values (${row!.id}, ${child.school.id}, 'enrolled', '2024-09-01')`;
    }
    [app, browser] = await Promise.all([startTestApp(sql), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function fillChild(page: Page, n: number, child: (typeof household)[number]) {
    await page.locator(`#child-${n}-forename`).fill(child.forename);
    await page.locator(`#child-${n}-surname`).fill(child.surname);
    await page.locator(`#child-${n}-dob-day`).fill(child.dob[0]);
    await page.locator(`#child-${n}-dob-month`).fill(child.dob[1]);
    await page.locator(`#child-${n}-dob-year`).fill(child.dob[2]);
    await page.locator(`#child-${n}-postcode`).fill(POSTCODE);
    await page.locator(`#child-${n}-present`).check();
    await page.locator(`#child-${n}-spokenTo-2`).check();
  }

  /** The text of a page's <main>, for what a reader sees (not attributes or scripts). */
  const mainText = (page: Page) => page.locator('main').innerText();

  it('police → two schools and the front door, each its own child → one acknowledges, the other escalates at 08:30 → the officer sees both', async () => {
    // The officer sends one notification about the household.
    const police = await signInThroughBrowser(browser, app.baseUrl, 'Northbridge Police (development sign-in)', /Public protection officer/);
    await police.page.getByRole('link', { name: 'Domestic abuse notifications' }).click();
    await police.page.getByRole('link', { name: 'Send a notification' }).click();
    await police.page.getByLabel('Police reference').fill('NB-20261201-0412');
    await police.page.locator('#incident-day').fill('1');
    await police.page.locator('#incident-month').fill('12');
    await police.page.locator('#incident-year').fill('2026');
    await police.page.getByLabel('Time of the incident').fill('21:40');
    await police.page.getByLabel('A short factual account').fill('Officers attended a domestic argument at the family home; the mother’s partner was arrested.');
    await fillChild(police.page, 1, household[0]);
    await police.page.getByRole('button', { name: 'Add another child' }).click();
    await fillChild(police.page, 2, household[1]);
    await police.page.getByRole('button', { name: 'Add another child' }).click();
    await fillChild(police.page, 3, household[2]);
    await police.page.locator('#contactName').fill('DC Sam Reid');
    await police.page.locator('#contactPhone').fill('01632 960 777');
    await police.page.getByRole('button', { name: 'Continue' }).click();
    // Told where each child goes before sending.
    await expect.poll(() => police.page.locator('[data-testid="goes-to-1"]').innerText()).toContain(riverside.name);
    expect(await police.page.locator('[data-testid="goes-to-2"]').innerText()).toContain(northbridgeHigh.name);
    expect(await police.page.locator('[data-testid="goes-to-3"]').innerText()).toMatch(/front door/i);
    await police.page.getByRole('button', { name: 'Send notification' }).click();
    await police.page.locator('[data-testid="sent-panel"]').waitFor();
    const incident = (await police.page.locator('[data-testid="reference"]').innerText()).trim();
    expect(incident).toMatch(/^OE-\d{4}-\d{6,}$/);

    const sql = db().sql;
    const destinations = await sql<{ id: string; reference: string; schoolId: string | null; dueAt: Date }[]>`
      select n.id, n.reference, n.school_id as "schoolId", n.due_at as "dueAt" from encompass_notifications n
      join encompass_incidents i on i.id = n.incident_id where i.reference = ${incident} order by n.reference`;
    expect(destinations).toHaveLength(3);
    const to = (schoolId: string | null) => destinations.find((d) => d.schoolId === schoolId)!;

    // Each school and the front door: its own child only.
    const seen = async (provider: string, account: RegExp, notification: { id: string }, own: string) => {
      const reader = await signInThroughBrowser(browser, app.baseUrl, provider, account);
      await reader.page.getByRole('link', { name: /^Police notifications/ }).click();
      await reader.page.locator(`a[href="/encompass/inbox/${notification.id}"]`).click();
      await reader.page.getByRole('heading', { level: 1 }).waitFor();
      const text = await mainText(reader.page);
      expect(text).toContain(own);
      for (const other of household.map((c) => c.forename).filter((name) => name !== own)) expect(text).not.toContain(other);
      expect(text).toContain('DC Sam Reid');
      return reader;
    };
    const riversideDsl = await seen('Schools (development sign-in)', /Designated safeguarding lead — Riverside Primary School/, to(riverside.id), 'Maya');
    const highDsl = await seen('Schools (development sign-in)', new RegExp(`Designated safeguarding lead — ${northbridgeHigh.name}`), to(northbridgeHigh.id), 'Leo');
    const frontDoor = await seen('Northbridge City Council (development sign-in)', /Front-door \(MASH\) worker/, to(null), 'Isla');
    expect(await seriousAccessibilityViolations(riversideDsl.page)).toEqual([]);

    // Riverside's DSL acknowledges, saying what the school will do.
    await riversideDsl.page.getByLabel('Key adult informed').check();
    await riversideDsl.page.getByLabel('Details').fill('Class teacher told before registration.');
    await riversideDsl.page.getByRole('button', { name: 'Acknowledge' }).click();
    await riversideDsl.page.locator('[data-testid="acknowledged-banner"]').waitFor();
    await screenshot(riversideDsl.page, 'encompass-acknowledged');

    // 08:30 on the next school day: the worker's step, on the faked clock.
    const due = to(northbridgeHigh.id).dueAt;
    expect(londonWallClock(due)).toMatchObject({ hour: 8, minute: 30 });
    const done = await escalateOverdue(sql, { now: due, frontDoorAfterMinutes: 60, publicUrl: app.baseUrl });
    expect(done.toDsls).toBe(1); // Northbridge High's; Riverside's was acknowledged
    const steps = await sql`select kind from encompass_events where notification_id = ${to(northbridgeHigh.id).id} and kind like 'escalated%'`;
    expect(steps.map((s) => s.kind)).toEqual(['escalated_to_dsls']);
    await highDsl.page.goto(`${app.baseUrl}/`);
    expect(await highDsl.page.locator('[data-testid="encompass-overdue"]').count()).toBe(1);

    // The officer sees both outcomes.
    await police.page.goto(`${app.baseUrl}/encompass`);
    const rows = police.page.locator('[data-testid="destination"]');
    const outcome = async (school: string) => rows.filter({ hasText: school }).first().innerText();
    expect(await outcome(riverside.name)).toMatch(/Acknowledged[\s\S]*Sarah Collins[\s\S]*Key adult informed[\s\S]*Class teacher told before registration/);
    expect(await outcome(northbridgeHigh.name)).toMatch(/other safeguarding leads alerted/);
    await screenshot(police.page, 'encompass-officer-outcomes');

    for (const who of [police, riversideDsl, highDsl, frontDoor]) expect(who.problems).toEqual([]);
  }, 180_000);
});
