// The eight figures (issue 17, point 2; definitions in docs/figures.md): each made from what the
// access module counted (src/access/figures.ts) into one table of cells by month, the groups of
// counts that add up to a total (for secondary suppression, ./suppress.ts), the figures derived
// from counts, and the series its chart draws. No SQL and no formatting here.
import type { Access, FigurePeriod, MonthCount } from '../access/index.ts';
import { roles, type Agency } from '../auth/roles.ts';
import { decisionLabels, decisions } from '../concerns/decisions.ts';
import { REFERRAL_SOURCE_OF_ROLE, REFERRAL_SOURCE_ORDER, REFERRAL_SOURCES } from './referral-sources.ts';
import { count, type Count, type Derived, type Group } from './suppress.ts';

export const figureIds = ['referral-sources', 'outcomes', 'timeliness', 'time-to-decision', 'school-rates', 'repeats', 'partner-looks', 'audit-grades'] as const;
export type FigureId = (typeof figureIds)[number];
export const isFigureId = (value: string): value is FigureId => (figureIds as readonly string[]).includes(value);

export const figureTitles: Record<FigureId, string> = {
  'referral-sources': 'Concerns by referral source',
  outcomes: 'Decisions by outcome',
  timeliness: 'Concerns decided in time',
  'time-to-decision': 'Time to decision',
  'school-rates': 'Concerns per 10,000 children, by school',
  repeats: 'Repeat concerns about a child within 12 months',
  'partner-looks': 'Partners’ views and lookups, by agency',
  'audit-grades': 'Case-file audit grades',
};

export type Cell =
  | { kind: 'text'; text: string }
  | { kind: 'count'; count: Count }
  | { kind: 'percent' | 'rate' | 'hours'; derived: Derived };

export interface Series { label: string; points: Array<Count | Derived> }

export interface FigureTable {
  id: FigureId;
  title: string;
  months: string[];
  /** Column headings; the first is the month. */
  columns: string[];
  rows: Cell[][];
  counts: Count[];
  groups: Group[];
  derived: Derived[];
  chart: { kind: 'line'; unit: 'count' | 'percent' | 'hours'; series: Series[] } | { kind: 'bar'; unit: 'rate'; bars: Array<{ label: string; value: Derived }> };
}

export interface FigureContext {
  period: FigurePeriod;
  /** YYYY-MM, every month of the period in order. */
  months: string[];
  riskHours: number;
  now: Date;
}

// ---- helpers ----------------------------------------------------------------------------------

const text = (t: string): Cell => ({ kind: 'text', text: t });

/** Counts by month and key, 0 where nothing was counted. */
function table(rows: MonthCount[]): (month: string, key: string) => number {
  const map = new Map(rows.map((r) => [`${r.month}|${r.key}`, r.count]));
  return (month, key) => map.get(`${month}|${key}`) ?? 0;
}

const ratio = (n: Count, d: Count, scale: number): number | null => (d.value === 0 ? null : (scale * n.value) / d.value);

/** One count per key and a total for each month; the counts add up to the total. */
function breakdown(ctx: FigureContext, id: FigureId, keys: Array<{ key: string; label: string }>, valueOf: (month: string, key: string) => number, extra?: { label: string; of: (parts: Count[], total: Count) => Derived }): FigureTable {
  const counts: Count[] = [];
  const groups: Group[] = [];
  const derived: Derived[] = [];
  const series: Series[] = keys.map((k) => ({ label: k.label, points: [] }));
  const rows = ctx.months.map((month) => {
    const parts = keys.map((k) => count(valueOf(month, k.key)));
    const total = count(parts.reduce((sum, p) => sum + p.value, 0));
    counts.push(...parts, total);
    groups.push({ parts, total });
    parts.forEach((p, i) => series[i]!.points.push(p));
    const row: Cell[] = [text(month), ...parts.map((p) => ({ kind: 'count' as const, count: p })), { kind: 'count', count: total }];
    if (extra) {
      const d = extra.of(parts, total);
      derived.push(d);
      row.push({ kind: 'percent', derived: d });
    }
    return row;
  });
  return {
    id, title: figureTitles[id], months: ctx.months,
    columns: ['Month', ...keys.map((k) => k.label), 'Total', ...(extra ? [extra.label] : [])],
    rows, counts, groups, derived, chart: { kind: 'line', unit: 'count', series },
  };
}

// ---- the figures ------------------------------------------------------------------------------

async function referralSources(access: Access, ctx: FigureContext): Promise<FigureTable> {
  const rows = await access.figures.referralSources(ctx.period);
  // Every code a partner role maps to, and any other that has concerns (10: unknown).
  const mapped = new Set<string>(Object.values(REFERRAL_SOURCE_OF_ROLE));
  for (const r of rows) mapped.add(r.key);
  const codes = REFERRAL_SOURCE_ORDER.filter((code) => mapped.has(code));
  return breakdown(ctx, 'referral-sources', codes.map((code) => ({ key: code, label: `${code} ${REFERRAL_SOURCES[code]}` })), table(rows));
}

async function outcomes(access: Access, ctx: FigureContext): Promise<FigureTable> {
  const rows = await access.figures.outcomes(ctx.period);
  return breakdown(ctx, 'outcomes', decisions.map((d) => ({ key: d, label: decisionLabels[d] })), table(rows));
}

async function timeliness(access: Access, ctx: FigureContext): Promise<FigureTable> {
  const rows = new Map((await access.figures.timeliness(ctx.period, ctx.riskHours, ctx.now)).map((r) => [r.month, r]));
  const counts: Count[] = [];
  const groups: Group[] = [];
  const derived: Derived[] = [];
  const series: Series[] = [{ label: 'Decided within one working day (%)', points: [] }, { label: 'Immediate risk: decided within the target (%)', points: [] }];
  const out = ctx.months.map((month) => {
    const r = rows.get(month) ?? { due: 0, inTime: 0, riskDue: 0, riskInTime: 0 };
    const [due, inTime, late, riskDue, riskInTime, riskLate] = [r.due, r.inTime, r.due - r.inTime, r.riskDue, r.riskInTime, r.riskDue - r.riskInTime].map(count) as [Count, Count, Count, Count, Count, Count];
    counts.push(due, inTime, late, riskDue, riskInTime, riskLate);
    groups.push({ parts: [inTime, late], total: due }, { parts: [riskInTime, riskLate], total: riskDue });
    const share: Derived = { value: ratio(inTime, due, 100), from: [inTime, due] };
    const riskShare: Derived = { value: ratio(riskInTime, riskDue, 100), from: [riskInTime, riskDue] };
    derived.push(share, riskShare);
    series[0]!.points.push(share);
    series[1]!.points.push(riskShare);
    return [text(month), { kind: 'count', count: due }, { kind: 'count', count: inTime }, { kind: 'percent', derived: share },
      { kind: 'count', count: riskDue }, { kind: 'count', count: riskInTime }, { kind: 'percent', derived: riskShare }] satisfies Cell[];
  });
  return {
    id: 'timeliness', title: figureTitles.timeliness, months: ctx.months,
    columns: ['Month', 'Due (not immediate risk)', 'Decided within one working day', 'Share within one working day (%)',
      'Due (immediate risk)', `Decided within ${ctx.riskHours} hours`, 'Share within the immediate-risk target (%)'],
    rows: out, counts, groups, derived, chart: { kind: 'line', unit: 'percent', series },
  };
}

async function timeToDecision(access: Access, ctx: FigureContext): Promise<FigureTable> {
  const rows = new Map((await access.figures.timeToDecision(ctx.period)).map((r) => [r.month, r]));
  const counts: Count[] = [];
  const derived: Derived[] = [];
  const series: Series[] = [{ label: 'Median (hours)', points: [] }, { label: '90th percentile (hours)', points: [] }];
  const out = ctx.months.map((month) => {
    const r = rows.get(month);
    const decided = count(r?.decided ?? 0);
    counts.push(decided);
    const median: Derived = { value: r ? r.medianHours : null, from: [decided] };
    const p90: Derived = { value: r ? r.p90Hours : null, from: [decided] };
    derived.push(median, p90);
    series[0]!.points.push(median);
    series[1]!.points.push(p90);
    return [text(month), { kind: 'count', count: decided }, { kind: 'hours', derived: median }, { kind: 'hours', derived: p90 }] satisfies Cell[];
  });
  return {
    id: 'time-to-decision', title: figureTitles['time-to-decision'], months: ctx.months,
    columns: ['Month', 'Decisions', 'Median hours to decision', '90th percentile hours to decision'],
    rows: out, counts, groups: [], derived, chart: { kind: 'line', unit: 'hours', series },
  };
}

async function schoolRates(access: Access, ctx: FigureContext): Promise<FigureTable> {
  const [schools, rows] = await Promise.all([access.figures.schoolRolls(), access.figures.concernsBySchool(ctx.period)]);
  const valueOf = table(rows);
  const counts: Count[] = [];
  const groups: Group[] = [];
  const derived: Derived[] = [];
  const rolls = new Map(schools.map((s) => [s.id, count(s.onRoll)]));
  counts.push(...rolls.values());
  const bySchool = new Map(schools.map((s) => [s.id, [] as Count[]]));
  const out: Cell[][] = [];
  for (const month of ctx.months) {
    const parts: Count[] = [];
    for (const school of schools) {
      const c = count(valueOf(month, school.id));
      const roll = rolls.get(school.id)!;
      const rate: Derived = { value: ratio(c, roll, 10_000), from: [c, roll] };
      parts.push(c);
      bySchool.get(school.id)!.push(c);
      derived.push(rate);
      out.push([text(month), text(school.name), { kind: 'count', count: c }, { kind: 'count', count: roll }, { kind: 'rate', derived: rate }]);
    }
    counts.push(...parts);
    // The month's schools add up to referral source 2A's count, which is shown.
    groups.push({ parts });
  }
  // The chart: each school's rate over the whole period (a total of its months: a group too).
  const bars = schools.map((school) => {
    const months = bySchool.get(school.id)!;
    const total = count(months.reduce((sum, c) => sum + c.value, 0));
    counts.push(total);
    groups.push({ parts: months, total });
    const roll = rolls.get(school.id)!;
    const value: Derived = { value: ratio(total, roll, 10_000), from: [total, roll] };
    derived.push(value);
    return { label: school.name, value };
  });
  return {
    id: 'school-rates', title: figureTitles['school-rates'], months: ctx.months,
    columns: ['Month', 'School', 'Concerns raised by the school', 'Children on roll now', 'Concerns per 10,000 children'],
    rows: out, counts, groups, derived, chart: { kind: 'bar', unit: 'rate', bars },
  };
}

async function repeats(access: Access, ctx: FigureContext): Promise<FigureTable> {
  const rows = new Map((await access.figures.repeats(ctx.period)).map((r) => [r.month, r]));
  const counts: Count[] = [];
  const groups: Group[] = [];
  const derived: Derived[] = [];
  const series: Series[] = [{ label: 'Repeat concerns (%)', points: [] }];
  const out = ctx.months.map((month) => {
    const r = rows.get(month) ?? { matched: 0, repeats: 0 };
    const [matched, repeat, first] = [r.matched, r.repeats, r.matched - r.repeats].map(count) as [Count, Count, Count];
    counts.push(matched, repeat, first);
    groups.push({ parts: [repeat, first], total: matched });
    const share: Derived = { value: ratio(repeat, matched, 100), from: [repeat, matched] };
    derived.push(share);
    series[0]!.points.push(share);
    return [text(month), { kind: 'count', count: matched }, { kind: 'count', count: repeat }, { kind: 'percent', derived: share }] satisfies Cell[];
  });
  return {
    id: 'repeats', title: figureTitles.repeats, months: ctx.months,
    columns: ['Month', 'Concerns matched to a child', 'After another concern about the child in the 12 months before', 'Share that are repeats (%)'],
    rows: out, counts, groups, derived, chart: { kind: 'line', unit: 'percent', series },
  };
}

const agencyLabels: Partial<Record<Agency, string>> = { education: 'Education', health: 'Health', police: 'Police' };
/** The partners' roles (every role outside the council), from src/auth/roles.ts. */
export const partnerRoles = (Object.keys(roles) as Array<keyof typeof roles>).filter((role) => roles[role].agency !== 'council');

async function partnerLooks(access: Access, ctx: FigureContext): Promise<FigureTable> {
  const rows = await access.figures.partnerLooks(ctx.period, partnerRoles);
  // Roles into their agencies: the agency is the role's, as roles.ts says.
  const byAgency = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.month}|${roles[r.key as keyof typeof roles].agency}|${r.action}`;
    byAgency.set(key, (byAgency.get(key) ?? 0) + r.count);
  }
  const agencies = [...new Set(partnerRoles.map((role) => roles[role].agency))];
  const keys = agencies.flatMap((agency) => [
    { key: `${agency}|view_summary`, label: `${agencyLabels[agency] ?? agency}: views of a summary` },
    { key: `${agency}|lookup`, label: `${agencyLabels[agency] ?? agency}: lookups` },
  ]);
  return breakdown(ctx, 'partner-looks', keys, (month, key) => byAgency.get(`${month}|${key}`) ?? 0);
}

const gradeLabels = { exceeds_good: 'Exceeds good', meets_good: 'Meets good', does_not_meet_good: 'Does not meet good' } as const;

async function auditGrades(access: Access, ctx: FigureContext): Promise<FigureTable> {
  const rows = await access.figures.auditGrades(ctx.period);
  return breakdown(ctx, 'audit-grades', Object.entries(gradeLabels).map(([key, label]) => ({ key, label })), table(rows), {
    label: 'Share meeting good or better (%)',
    of: ([exceeds, meets], total) => ({ value: total.value === 0 ? null : (100 * (exceeds!.value + meets!.value)) / total.value, from: [exceeds!, meets!, total] }),
  });
}

const builders: Record<FigureId, (access: Access, ctx: FigureContext) => Promise<FigureTable>> = {
  'referral-sources': referralSources, outcomes, timeliness, 'time-to-decision': timeToDecision,
  'school-rates': schoolRates, repeats, 'partner-looks': partnerLooks, 'audit-grades': auditGrades,
};

export const buildFigure = (access: Access, id: FigureId, ctx: FigureContext): Promise<FigureTable> => builders[id](access, ctx);
