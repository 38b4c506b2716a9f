// Unusual activity (issue 12, point 8): many summaries by one person within a few minutes,
// lookups outside working hours, repeated lookups that found no child. Each rule trips at its
// threshold and not below it; the thresholds come from configuration; information governance
// sees the flags on its home page and the unusual-activity page.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  noMatchBursts, outOfHoursLookups, summaryBursts, unusualActivitySettings, type UnusualActivitySettings,
} from '../src/audit/unusual-activity.ts';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 10, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const settings: UnusualActivitySettings = {
  summariesPerWindow: 4, windowMinutes: 5, workingHours: { start: '08:00', end: '18:00' }, noMatchLookups: 3, noMatchWindowMinutes: 60,
};
/** Far enough back for the fixed dates below, whatever today is. */
const DAYS = 3650;

/** Rows for one made-up person at the given times (ISO, UTC); returns their name. */
async function looks(action: 'view_summary' | 'lookup', times: string[], options: { found?: boolean; reason?: string | null } = {}): Promise<string> {
  const name = `Person ${randomUUID().slice(0, 8)}`;
  for (const at of times) {
    await db().sql`
      insert into access_log (at, issuer, subject, user_name, organisation_id, organisation_name, role, child_id, action, fields_released, reason, request_id)
      values (${at}, 'https://idp.example', ${name}, ${name}, null, 'Canal Wharf Surgery', 'health.gp',
              ${options.found === false ? null : randomUUID()}, ${action}, '{}', ${options.reason ?? null}, ${randomUUID()})`;
  }
  return name;
}
const minutesAfter = (start: string, minutes: number) => new Date(new Date(start).getTime() + minutes * 60_000).toISOString();
const times = (start: string, minutes: number[]) => minutes.map((m) => minutesAfter(start, m));
const who = <T extends { userName: string }>(found: T[], name: string): T[] => found.filter((f) => f.userName === name);

describe('many summaries by one person within the window', () => {
  const start = '2026-03-10T10:00:00Z';

  it('trips at the threshold (the window’s ends included), not below it, nor spread wider', async () => {
    const at = await looks('view_summary', times(start, [0, 1, 2, 5])); // 4 within 5 minutes, the ends included
    const below = await looks('view_summary', times(start, [0, 1, 2])); // 3
    const spread = await looks('view_summary', times(start, [0, 2, 4, 6])); // 4, but never 4 within 5 minutes
    const found = await summaryBursts(db().sql, settings, DAYS);
    expect(who(found, at)).toEqual([expect.objectContaining({ peak: 4, from: new Date(start), to: new Date(minutesAfter(start, 5)), organisationName: 'Canal Wharf Surgery', role: 'health.gp' })]);
    expect(who(found, below)).toEqual([]);
    expect(who(found, spread)).toEqual([]);
  });

  it('a run of overlapping windows is one burst; a later run is another', async () => {
    const name = await looks('view_summary', [...times(start, [0, 0.5, 1, 1.5, 2, 2.5, 3]), ...times(start, [60, 61, 62, 63])]);
    const found = who(await summaryBursts(db().sql, settings, DAYS), name);
    expect(found.map((b) => b.peak)).toEqual([4, 7]);
  });

  it('counts summaries only, not lookups', async () => {
    const name = await looks('lookup', times(start, [0, 1, 2, 3]));
    expect(who(await summaryBursts(db().sql, settings, DAYS), name)).toEqual([]);
  });
});

describe('lookups outside working hours (England’s time)', () => {
  // Tuesday 1 September 2026 is in British Summer Time (UTC+1); Monday 31 August is a bank holiday.
  it('trips before the start, from the end, at weekends and on bank holidays; not within the hours', async () => {
    const cases: Array<[string, boolean]> = [
      ['2026-09-01T06:59:00Z', true], // 07:59
      ['2026-09-01T07:00:00Z', false], // 08:00
      ['2026-09-01T16:59:00Z', false], // 17:59
      ['2026-09-01T17:00:00Z', true], // 18:00
      ['2026-09-05T11:00:00Z', true], // Saturday noon
      ['2026-08-31T11:00:00Z', true], // bank holiday noon
      ['2026-01-06T08:30:00Z', false], // Tuesday 08:30 in winter (GMT)
      ['2026-01-06T07:59:00Z', true], // 07:59 in winter
    ];
    for (const [at, flagged] of cases) {
      const name = await looks('lookup', [at]);
      const found = who(await outOfHoursLookups(db().sql, settings, DAYS), name);
      expect(found.length, at).toBe(flagged ? 1 : 0);
    }
  });

  it('one row per person and day, with how many', async () => {
    const name = await looks('lookup', ['2026-09-01T19:00:00Z', '2026-09-01T20:00:00Z', '2026-09-02T21:00:00Z', '2026-09-02T12:00:00Z']);
    const found = who(await outOfHoursLookups(db().sql, settings, DAYS), name);
    expect(found.map((f) => [f.day, f.lookups])).toEqual([['2026-09-02', 1], ['2026-09-01', 2]]);
  });

  it('follows the configured hours', async () => {
    const name = await looks('lookup', ['2026-09-01T06:30:00Z']); // 07:30
    expect(who(await outOfHoursLookups(db().sql, { ...settings, workingHours: { start: '07:00', end: '19:00' } }, DAYS), name)).toEqual([]);
  });
});

describe('repeated lookups that found no child', () => {
  const start = '2026-04-14T09:00:00Z';

  it('trips at the threshold within the window, not below it, nor for lookups that found a child or were refused', async () => {
    const at = await looks('lookup', times(start, [0, 30, 60]), { found: false });
    const below = await looks('lookup', times(start, [0, 30]), { found: false });
    const spread = await looks('lookup', times(start, [0, 40, 80]), { found: false });
    const found = await looks('lookup', times(start, [0, 1, 2]), { found: true });
    const refused = await looks('lookup', times(start, [0, 1, 2]), { found: false, reason: 'Refused: too many lookups in an hour' });
    const bursts = await noMatchBursts(db().sql, settings, DAYS);
    expect(who(bursts, at)).toEqual([expect.objectContaining({ peak: 3 })]);
    for (const name of [below, spread, found, refused]) expect(who(bursts, name)).toEqual([]);
  });
});

describe('thresholds in configuration', () => {
  it('are read from the environment, with defaults', () => {
    const config = loadConfig({ UNUSUAL_SUMMARIES_PER_WINDOW: '12', UNUSUAL_WINDOW_MINUTES: '2', WORKING_HOURS: '07:30-19:00', UNUSUAL_NO_MATCH_LOOKUPS: '4', UNUSUAL_NO_MATCH_WINDOW_MINUTES: '30' });
    expect(unusualActivitySettings(config)).toEqual({
      summariesPerWindow: 12, windowMinutes: 2, workingHours: { start: '07:30', end: '19:00' }, noMatchLookups: 4, noMatchWindowMinutes: 30,
    });
    expect(unusualActivitySettings(loadConfig({}))).toEqual({
      summariesPerWindow: 20, windowMinutes: 5, workingHours: { start: '08:00', end: '18:00' }, noMatchLookups: 5, noMatchWindowMinutes: 60,
    });
  });

  it('refuses nonsense, naming the variable', () => {
    for (const [name, value] of [['WORKING_HOURS', '18:00-08:00'], ['WORKING_HOURS', '8-6'], ['UNUSUAL_WINDOW_MINUTES', '0'], ['UNUSUAL_SUMMARIES_PER_WINDOW', '1']]) {
      expect(() => loadConfig({ [name!]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => loadConfig({ [name!]: value })).toThrow(new RegExp(name!));
    }
  });
});

describe('information governance sees it', () => {
  it('on its home page and the unusual-activity page, with a way to the entries behind each flag', async () => {
    // Now-ish, with the defaults: 20 summaries in 2 minutes, 5 lookups that found no one.
    const recent = new Date(Date.now() - 10 * 60_000).toISOString();
    const gp = await looks('view_summary', times(recent, Array.from({ length: 20 }, (_, i) => i * 0.1)));
    const fisher = await looks('lookup', times(recent, [0, 1, 2, 3, 4]), { found: false });
    const home = (await (await as('info-governance')).get('/')).html;
    const panel = /data-panel="unusual-activity"[\s\S]*?<\/section>/.exec(home)?.[0] ?? '';
    expect(panel).toContain(`${gp} (GP, Canal Wharf Surgery), 20 summaries within 5 minutes`);
    expect(panel).toContain(`${fisher} (GP, Canal Wharf Surgery), 5 lookups that found no child within 60 minutes`);

    const page = await (await as('info-governance')).get('/governance/unusual-activity');
    expect(page.status).toBe(200);
    const summaries = /data-testid="summary-bursts"[\s\S]*?<\/table>/.exec(page.html)?.[0] ?? '';
    expect(summaries).toContain(gp);
    expect(page.html).toContain('20 or more summaries opened by one person within 5 minutes.');
    expect(page.html).toContain('Lookups before 08:00 or from 18:00');
    expect(/data-testid="no-match-bursts"[\s\S]*?<\/table>/.exec(page.html)?.[0]).toContain(fisher);

    // Other roles: no panel, and the page is not found.
    expect((await (await as('gp-canal-wharf')).get('/')).html).not.toContain('data-panel="unusual-activity"');
  });

  it('a person the portal knows links to their entries in the access log', async () => {
    // The DSL opens summaries of their school's children, quickly.
    const dsl = await as('dsl-riverside');
    const children = [...(await dsl.get('/children')).html.matchAll(/href="\/children\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(children.length).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) expect((await dsl.get(`/children/${children[i % children.length]}`)).status).toBe(200);
    const page = await (await as('info-governance')).get('/governance/unusual-activity');
    const summaries = /data-testid="summary-bursts"[\s\S]*?<\/table>/.exec(page.html)?.[0] ?? '';
    const href = /<a class="govuk-link" href="([^"]*)">Sarah Collins<\/a>/.exec(summaries)?.[1]?.replace(/&amp;/g, '&');
    expect(href).toMatch(/^\/governance\/access-log\?user=[0-9a-f-]{36}&action=view_summary&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    const entries = await (await as('info-governance')).get(href!);
    expect(entries.status).toBe(200);
    expect(entries.html).toContain('data-testid="chosen-person">Sarah Collins');
    expect((/<table[^>]*data-testid="access-log"[\s\S]*?<\/table>/.exec(entries.html)?.[0] ?? '').match(/Viewed a summary/g)?.length).toBeGreaterThanOrEqual(20);
  });
});
