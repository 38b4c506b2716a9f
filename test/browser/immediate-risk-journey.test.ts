// Issue 11, point 7, in real headless Chromium: the police raise an immediate-risk concern with
// a misspelt surname → the front door sees it at the top of the queue, finds the right child
// among the suggestions, assigns it, and passes it to the allocated social worker → the social
// worker sees it on their home page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/seed/insert.ts';
import { startTestApp, type RunningApp } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, signInThroughBrowser, skipBrowserJourneys } from '../support/browser.ts';
import { useTestDatabase } from '../support/database.ts';

describe.skipIf(skipBrowserJourneys)('an immediate-risk concern, start to finish, in Chromium', () => {
  const db = useTestDatabase();
  let app: RunningApp;
  let browser: Browser;
  let child: { forename: string; surname: string; day: number; month: number; year: number };

  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
    // An open, unsealed child allocated to Priya Desai (a demo social worker), whose surname is
    // long enough to misspell by one letter and unique with its date of birth.
    [child] = (await db().sql`
      select c.forename, c.surname, extract(day from c.date_of_birth)::int as day, extract(month from c.date_of_birth)::int as month,
             extract(year from c.date_of_birth)::int as year
      from children c join allocations a on a.child_id = c.id and a.end_date is null join social_workers w on w.id = a.social_worker_id
      where w.name = 'Priya Desai' and not c.sealed and length(c.surname) >= 5
        and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
        and (select count(*) from children d where d.date_of_birth = c.date_of_birth) = 1
      order by c.id limit 1`) as never as [typeof child];
    expect(child).toBeDefined();
    [app, browser] = await Promise.all([startTestApp(db().sql), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('police → front door → allocated social worker', async () => {
    const misspelt = `${child.surname.slice(0, -1)}${child.surname.endsWith('e') ? 'a' : 'e'}`;

    // The police officer, about a child they cannot see: what they know, with a misspelt surname.
    const police = await signInThroughBrowser(browser, app.baseUrl, 'Northbridge Police (development sign-in)', /Public protection officer/);
    await police.page.getByRole('link', { name: 'Raise a concern' }).click();
    await police.page.getByLabel('First name').fill(child.forename);
    await police.page.getByLabel('Last name').fill(misspelt);
    await police.page.locator('#dob-day').fill(String(child.day));
    await police.page.locator('#dob-month').fill(String(child.month));
    await police.page.locator('#dob-year').fill(String(child.year));
    await police.page.getByLabel('Neglect').check();
    await police.page.getByLabel('What did you see, hear or were you told?').fill('Found alone at home at 2am; no adult for hours.');
    await police.page.locator('#when-day').fill('30');
    await police.page.locator('#when-month').fill('11');
    await police.page.locator('#when-year').fill('2026');
    await police.page.locator('#immediateRisk').check();
    await police.page.locator('#parentsAware').check();
    await police.page.getByLabel('Phone number').fill('01632 960 777');
    await police.page.getByRole('button', { name: 'Continue' }).click();
    // Before the written record goes: phone now.
    await police.page.getByTestId('phone-now').waitFor();
    expect(await police.page.getByTestId('phone-now').locator('a[href^="tel:"]').count()).toBe(2);
    expect(await seriousAccessibilityViolations(police.page)).toEqual([]);
    await police.page.getByRole('button', { name: 'Send the written record' }).click();
    await police.page.waitForURL(/\/concerns\/SPP-\d{4}-\d{6}\?sent=1$/);
    const reference = (await police.page.getByTestId('reference').textContent())!.trim();
    expect(await police.page.getByTestId('immediate-risk-next').textContent()).toContain('within 2 hours');

    // The front door: it is at the top of the queue; the right child is suggested, though misspelt.
    const frontDoor = await signInThroughBrowser(browser, app.baseUrl, 'Northbridge City Council (development sign-in)', /Front-door \(MASH\) worker/);
    await frontDoor.page.goto(`${app.baseUrl}/front-door`);
    await frontDoor.page.locator('a[href^="/front-door/"]').first().click();
    await frontDoor.page.getByRole('heading', { name: `Concern ${reference}` }).waitFor();
    // Assign it to themselves (the only front-door worker who has signed in).
    await frontDoor.page.getByLabel('Give it to').selectOption({ index: 1 });
    await frontDoor.page.getByRole('button', { name: 'Assign' }).click();
    await frontDoor.page.getByTestId('assigned-to').getByText(/Nadia Hussain/).waitFor();
    // The misspelt child is found among the suggestions, with why.
    await frontDoor.page.getByLabel(`${child.forename} ${child.surname}`).check();
    expect(await frontDoor.page.textContent('main')).toContain('Same date of birth, similar last name');
    await frontDoor.page.getByLabel('Passed to the allocated social worker').check();
    await frontDoor.page.getByLabel('Reason for the decision').fill('Open to the team; the allocated worker will visit today.');
    await frontDoor.page.getByLabel('Feedback for the person who raised the concern').fill('Passed to the child’s social worker, who will visit today.');
    expect(await seriousAccessibilityViolations(frontDoor.page)).toEqual([]);
    await frontDoor.page.getByRole('button', { name: 'Record decision' }).click();
    await frontDoor.page.getByTestId('recorded').waitFor();
    await screenshot(frontDoor.page, 'immediate-risk-passed-to-worker');

    // The allocated social worker: on their home page.
    const worker = await signInThroughBrowser(browser, app.baseUrl, 'Northbridge City Council (development sign-in)', /Social worker — Assessment Team North/);
    const items = worker.page.getByTestId('notifications');
    await items.waitFor();
    expect(await items.textContent()).toContain(`The front door decided on ${reference}: Passed to the allocated social worker.`);

    for (const who of [police, frontDoor, worker]) expect(who.problems).toEqual([]);
  });
});
