// The partnership's figures (issue 17, points 2 and 3). Every figure is recomputed here a second
// way — plain TypeScript over the rows fetched as they are (months in England's time, medians and
// percentiles by sorting, repeats by scanning each child's concerns) — from a generated year of
// concerns, decisions, looks and audits over the demo data, and must agree with the CSV the app
// serves. Then: who may see the figures (council management only; everyone else the 404 page),
// the period form's errors, small numbers suppressed in what is marked for sharing, and the chart.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../src/auth/roles.ts';
import { decisions } from '../src/concerns/decisions.ts';
import { figureIds, type FigureId } from '../src/figures/figures.ts';
import { referralSourceOf } from '../src/figures/referral-sources.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { countAccessLogDays } from '../src/audit/access-log-daily.ts';
import { generateFigureData } from '../bench/figures-data.ts';
import { readFileSync } from 'node:fs';
import { MATRIX_ACCOUNTS } from './support/matrix-accounts.ts';
import { readMarkdownTable } from './support/markdown-table.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

// Who may read the figures: the hand-written table in ./permission-matrix.md.
const MAY_READ = (() => {
  const { header, rows } = readMarkdownTable(readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8'), '### The figures matrix', 'permission-matrix.md');
  if (header.join(',') !== 'role,figures') throw new Error('the figures matrix\'s columns must be role, figures');
  const allowed = new Map<string, boolean>();
  for (const { cells, line } of rows) {
    if (cells[1] !== '✓' && cells[1] !== '—') throw new Error(`permission-matrix.md line ${line}: write ✓ or —`);
    for (const role of cells[0]!.split(',').map((r) => r.trim())) {
      if (!(role in roles)) throw new Error(`permission-matrix.md line ${line}: no role "${role}"`);
      allowed.set(role, cells[1] === '✓');
    }
  }
  return allowed;
})();

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const RISK_HOURS = 2;

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const londonDay = (at: Date) => dayFormat.format(at);
const londonMonth = (at: Date) => londonDay(at).slice(0, 7);

// The period asked for: the first of the month 12 months ago to today (England).
const NOW = new Date();
const today = londonDay(NOW);
const fromMonth = (() => { const d = new Date(`${today.slice(0, 7)}-01T12:00:00Z`); d.setUTCMonth(d.getUTCMonth() - 12); return d.toISOString().slice(0, 7); })();
const FROM = `${fromMonth}-01`;
const query = `?from-day=${FROM.slice(8)}&from-month=${FROM.slice(5, 7)}&from-year=${FROM.slice(0, 4)}&to-day=${today.slice(8)}&to-month=${today.slice(5, 7)}&to-year=${today.slice(0, 4)}`;
const months: string[] = [];
for (let m = fromMonth; m <= today.slice(0, 7);) { months.push(m); const d = new Date(`${m}-01T12:00:00Z`); d.setUTCMonth(d.getUTCMonth() + 1); m = d.toISOString().slice(0, 7); }
const inPeriod = (at: Date | null) => at !== null && londonDay(at) >= FROM && londonDay(at) <= today;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 300, referenceDate: today });
  // Ends four days ago, so every deadline has passed: "due" is then every concern.
  await generateFigureData(db().sql, { concerns: 1500, accessLogRows: 3000, audits: 60, end: new Date(NOW.getTime() - 4 * 86_400_000), days: 420 });
  app = await buildTestApp(db().sql);
});
afterAll(async () => {
  await app?.close();
});

async function csvOf(sub: string, id: FigureId, extra = '') {
  const res = await (await as(sub)).get(`/figures/${id}.csv${query}${extra}`);
  expect(res.status, res.html.slice(0, 300)).toBe(200);
  expect(res.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const [header, ...rows] = parse(res.html.replace(/^\uFEFF/, '')) as string[][];
  return { header: header!, rows, disposition: res.res.headers.get('content-disposition')! };
}

// --- The second way ------------------------------------------------------------------------
interface ConcernRow { role: string; organisation: string; child: string | null; received: Date; decided: Date | null; decision: string | null; risk: boolean; due: Date }
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const at = p * (s.length - 1);
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}
const pct = (n: number, d: number) => (d === 0 ? '' : String(Math.round((100 * n) / d)));
const dp1 = (v: number) => String(Math.round(v * 10) / 10);

async function expected(): Promise<Record<FigureId, string[][]>> {
  const sql = db().sql;
  const concerns = (await sql<Array<{ submitted_by_role: string; organisation_id: string; child_id: string | null; received_at: Date; decided_at: Date | null; decision: string | null; immediate_risk: boolean; decision_due_at: Date }>>`select * from concerns`)
    .map((c): ConcernRow => ({ role: c.submitted_by_role, organisation: c.organisation_id, child: c.child_id, received: c.received_at, decided: c.decided_at, decision: c.decision, risk: c.immediate_risk, due: c.decision_due_at }));
  const organisations = await sql<Array<{ id: string; kind: string; name: string }>>`select id, kind, name from organisations`;
  const enrolments = await sql<Array<{ organisation_id: string; kind: string; end_date: string | null }>>`select organisation_id, kind, end_date from child_organisation_relationships`;
  const looks = await sql<Array<{ at: Date; role: string; action: string }>>`select at, role, action from access_log`;
  const grades = await sql<Array<{ completed_at: Date | null; status: string; grade: string }>>`select a.completed_at, a.status, g.grade from case_audits a join case_audit_grades g on g.audit_id = a.id`;

  const received = concerns.filter((c) => inPeriod(c.received));
  const aboutChild = new Map<string, ConcernRow[]>();
  for (const c of concerns) if (c.child) aboutChild.set(c.child, [...(aboutChild.get(c.child) ?? []), c]);
  const decided = concerns.filter((c) => inPeriod(c.decided));
  const byMonth = <T,>(rows: T[], at: (r: T) => Date) => (m: string) => rows.filter((r) => londonMonth(at(r)) === m);

  const breakdown = (rows: ConcernRow[] | Array<{ key: string; at: Date }>, keys: string[], keyOf: (r: never) => string, at: (r: never) => Date) =>
    months.map((m) => {
      const inMonth = (rows as never[]).filter((r) => londonMonth(at(r)) === m);
      const counts = keys.map((k) => inMonth.filter((r) => keyOf(r) === k).length);
      return [m, ...counts.map(String), String(inMonth.length)];
    });

  const codes = ['2A', '3A', '3B', '3C', '3E', '6'];
  const schools = organisations.filter((o) => o.kind === 'school').sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
  const partnerRoles = Object.keys(roles).filter((r) => roles[r as keyof typeof roles].agency !== 'council');
  const agencies = [...new Set(partnerRoles.map((r) => roles[r as keyof typeof roles].agency))];
  const lookKeys = agencies.flatMap((a) => [`${a}|view_summary`, `${a}|lookup`]);
  const partnerLooks = looks.filter((l) => inPeriod(l.at) && partnerRoles.includes(l.role) && ['view_summary', 'lookup'].includes(l.action))
    .map((l) => ({ key: `${roles[l.role as keyof typeof roles].agency}|${l.action}`, at: l.at }));
  const completed = grades.filter((g) => g.status === 'completed' && inPeriod(g.completed_at)).map((g) => ({ key: g.grade, at: g.completed_at! }));
  const gradeKeys = ['exceeds_good', 'meets_good', 'does_not_meet_good'];

  return {
    'referral-sources': breakdown(received, codes, (c: ConcernRow) => referralSourceOf(c.role), (c: ConcernRow) => c.received),
    outcomes: breakdown(decided, decisions, (c: ConcernRow) => c.decision!, (c: ConcernRow) => c.decided!),
    timeliness: months.map((m) => {
      const rows = byMonth(received, (c) => c.received)(m);
      const due = rows.filter((c) => !c.risk && (c.decided || c.due <= NOW));
      const inTime = due.filter((c) => c.decided && c.decided <= c.due);
      const riskDue = rows.filter((c) => c.risk && (c.decided || c.received.getTime() + RISK_HOURS * 3_600_000 <= NOW.getTime()));
      const riskIn = riskDue.filter((c) => c.decided && c.decided.getTime() <= c.received.getTime() + RISK_HOURS * 3_600_000);
      return [m, String(due.length), String(inTime.length), pct(inTime.length, due.length), String(riskDue.length), String(riskIn.length), pct(riskIn.length, riskDue.length)];
    }),
    'time-to-decision': months.map((m) => {
      const hours = byMonth(decided, (c) => c.decided!)(m).map((c) => (c.decided!.getTime() - c.received.getTime()) / 3_600_000);
      return [m, String(hours.length), hours.length ? dp1(percentile(hours, 0.5)) : '', hours.length ? dp1(percentile(hours, 0.9)) : ''];
    }),
    'school-rates': months.flatMap((m) => schools.map((s) => {
      const n = byMonth(received, (c) => c.received)(m).filter((c) => c.organisation === s.id).length;
      const roll = enrolments.filter((e) => e.organisation_id === s.id && e.kind === 'enrolled' && e.end_date === null).length;
      return [m, s.name, String(n), String(roll), roll ? dp1((10_000 * n) / roll) : ''];
    })),
    repeats: months.map((m) => {
      const matched = byMonth(received, (c) => c.received)(m).filter((c) => c.child);
      const repeat = matched.filter((c) => {
        const yearBefore = new Date(c.received);
        yearBefore.setUTCMonth(yearBefore.getUTCMonth() - 12);
        return (aboutChild.get(c.child!) ?? []).some((p) => p.received < c.received && p.received >= yearBefore);
      });
      return [m, String(matched.length), String(repeat.length), pct(repeat.length, matched.length)];
    }),
    'partner-looks': breakdown(partnerLooks, lookKeys, (l: { key: string }) => l.key, (l: { at: Date }) => l.at),
    'audit-grades': breakdown(completed, gradeKeys, (g: { key: string }) => g.key, (g: { at: Date }) => g.at).map((row) => {
      const [e, mg, , total] = row.slice(1).map(Number) as [number, number, number, number];
      return [...row, pct(e + mg, total)];
    }),
  };
}

describe('each figure, recomputed from the rows', () => {
  let want: Record<FigureId, string[][]>;
  beforeAll(async () => { want = await expected(); });

  it.each(figureIds)('%s', async (id) => {
    const { header, rows, disposition } = await csvOf('tm-helen-whitaker', id);
    expect(header[0]).toBe('Marking');
    expect(disposition).toContain('internal-exact.csv');
    for (const row of rows) expect(row[0]).toBe('Internal: exact numbers, not for sharing outside the council');
    expect(rows.map((r) => r.slice(1))).toEqual(want[id]);
    // The generated data reaches every figure: no figure passes by being empty.
    expect(want[id].some((r) => r.slice(1).some((cell) => Number(cell) > 0))).toBe(true);
  });
});

describe('partners’ looks, with past days counted once by the background step', () => {
  it('are the same as counted from the live log alone', async () => {
    const before = await csvOf('info-governance', 'partner-looks');
    // A second node's count at the same moment finds the lock taken, or nothing left to count.
    const [first, second] = await Promise.all([countAccessLogDays(db().sql), countAccessLogDays(db().sql)]);
    expect([first, second].some((days) => (days ?? 0) > 300)).toBe(true);
    expect([first, second].filter((days) => (days ?? 0) > 0)).toHaveLength(1);
    const [{ days }] = await db().sql<[{ days: number }]>`select count(distinct day)::int as days from access_log_daily`;
    expect(days).toBeGreaterThan(300);
    expect(await countAccessLogDays(db().sql)).toBe(0);
    expect((await csvOf('info-governance', 'partner-looks')).rows).toEqual(before.rows);
    expect(before.rows.map((r) => r.slice(1))).toEqual((await expected())['partner-looks']);
  });
});

describe('who sees the figures', () => {
  it('every role has a row in the figures matrix', () => {
    for (const role of Object.keys(roles)) expect(MAY_READ.has(role), role).toBe(true);
  });

  it.each(MATRIX_ACCOUNTS)('$sub ($role): as the figures matrix says', async ({ sub, role }) => {
    const client = await as(sub);
    if (MAY_READ.get(role)) {
      const index = await client.get(`/figures${query}`);
      expect(index.status).toBe(200);
      for (const id of figureIds) {
        expect(index.html).toContain(`href="/figures/${id}?`);
        const page = await client.get(`/figures/${id}${query}`);
        expect(page.status, `${sub} ${id}`).toBe(200);
        expect(page.html).toContain(`data-figure="${id}"`);
        expect((await client.get(`/figures/${id}.csv${query}&view=shared`)).status).toBe(200);
      }
    } else {
      const notFound = (await client.get('/no-such-page')).html;
      for (const path of ['/figures', `/figures/outcomes${query}`, `/figures/outcomes.csv${query}`, `/figures/outcomes.csv${query}&view=shared`]) {
        const res = await client.get(path);
        expect(res.status, `${sub} ${path}`).toBe(404);
        expect(res.html).toBe(notFound);
      }
    }
  });

  it('a figure that does not exist is the 404 page too', async () => {
    expect((await (await as('tm-helen-whitaker')).get('/figures/nothing')).status).toBe(404);
  });
});

describe('the period', () => {
  it('says what is wrong by the field, and keeps what was typed', async () => {
    const page = await (await as('tm-helen-whitaker')).get('/figures/outcomes?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2026');
    expect(page.status).toBe(400);
    expect(page.html).toContain('govuk-error-summary');
    expect(page.html).toContain('href="#from-day"');
    expect(page.html).toContain('The start date must be a real date');
    expect(page.html).toMatch(/name="from-day"[^>]*value="31"/);
    expect(page.html).not.toContain('data-figure=');
  });

  it('refuses an end before the start', async () => {
    const page = await (await as('tm-helen-whitaker')).get('/figures?from-day=2&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026');
    expect(page.status).toBe(400);
    expect(page.html).toContain('The end date must be the same as or after the start date');
  });
});

describe('small numbers, in what is marked for sharing', () => {
  it('hides every count under 5, a second count beside a lone hidden one, and what is made from them', async () => {
    const exact = await csvOf('tm-helen-whitaker', 'referral-sources');
    const shared = await csvOf('tm-helen-whitaker', 'referral-sources', '&view=shared');
    expect(shared.disposition).toContain('for-sharing.csv');
    expect(shared.rows[0]![0]).toBe('For sharing: counts under 5 shown as "fewer than 5"');
    let hiddenAnywhere = false;
    shared.rows.forEach((row, r) => {
      const cells = row.slice(2);
      const exactCells = exact.rows[r]!.slice(2).map(Number);
      cells.forEach((cell, c) => {
        if (exactCells[c]! < 5) expect(cell).toBe('fewer than 5');
        else if (cell !== 'fewer than 5') expect(Number(cell)).toBe(exactCells[c]);
      });
      const parts = cells.slice(0, -1);
      const hidden = parts.filter((cell) => cell === 'fewer than 5').length;
      hiddenAnywhere ||= hidden > 0;
      // A shown total with exactly one hidden part would give it away.
      if (cells.at(-1) !== 'fewer than 5') expect(hidden).not.toBe(1);
    });
    expect(hiddenAnywhere).toBe(true);
  });

  it('suppresses a rate whose count or roll is suppressed', async () => {
    const shared = await csvOf('info-governance', 'school-rates', '&view=shared');
    for (const row of shared.rows) {
      if (row[3] === 'fewer than 5' || row[4] === 'fewer than 5') expect(row[5]).toBe('suppressed');
    }
    expect(shared.rows.some((r) => r[5] === 'suppressed')).toBe(true);
  });

  it('says on the page which it is', async () => {
    const client = await as('tm-helen-whitaker');
    const exact = await client.get(`/figures/outcomes${query}`);
    expect(exact.html).toContain('data-view="internal"');
    expect(exact.html).toContain('Exact numbers, for use inside the council');
    const shared = await client.get(`/figures/outcomes${query}&view=shared`);
    expect(shared.html).toContain('data-view="shared"');
    expect(shared.html).toContain('Marked for sharing.');
  });
});

describe('the chart', () => {
  it('is SVG named by its title and description, with no inline style', async () => {
    const page = await (await as('tm-helen-whitaker')).get(`/figures/timeliness${query}`);
    const svg = /<svg[^>]*>[\s\S]*?<\/svg>/.exec(page.html)![0];
    expect(svg).toMatch(/role="img" aria-labelledby="chart-timeliness-title chart-timeliness-desc"/);
    expect(svg).toContain('<title id="chart-timeliness-title">');
    expect(svg).toContain('<desc id="chart-timeliness-desc">');
    expect(svg).toMatch(/<path class="app-chart__line" d="M[\d.]+ [\d.]+ L/);
    expect(page.html).not.toMatch(/style=/);
    const bars = await (await as('tm-helen-whitaker')).get(`/figures/school-rates${query}`);
    expect(bars.html).toContain('data-chart="bar"');
    expect(bars.html).toMatch(/<rect class="app-chart__bar"/);
  });
});
