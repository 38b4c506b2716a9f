// The period the figures cover, as typed into two GOV.UK date inputs (from, to: days in England,
// both inclusive), and whether the figures are the council's exact ones or marked for sharing.
// Left empty, the period is the last 12 months: from the first of the month 11 months ago to today.
import { instantAtLondonTime } from '../concerns/working-days.ts';
import { checkDate } from '../web/date-input.ts';
import { normaliseText } from '../validation/text.ts';
import { todayInEngland } from '../validation/dates.ts';
import type { FigurePeriod } from '../access/index.ts';

/** The figures begin with the portal's records: nothing before this. */
export const FIGURES_EARLIEST = '2020-01-01';
/** The longest period one page counts. */
export const MAX_YEARS = 5;

export type FigureView = 'internal' | 'shared';

export interface PeriodAnswers {
  'from-day': string; 'from-month': string; 'from-year': string;
  'to-day': string; 'to-month': string; 'to-year': string;
  view: FigureView;
}

export interface CheckedPeriod {
  answers: PeriodAnswers;
  errors: Partial<Record<'from' | 'to', string>>;
  /** Set when there are no errors. */
  period?: FigurePeriod & { fromDate: string; toDate: string; months: string[] };
}

const FIELDS = ['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year'] as const;

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Every month (YYYY-MM) from the one holding `from` to the one holding `to`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addMonths(m, 1)) months.push(m);
  return months;
}

export function checkPeriod(query: Record<string, string | undefined>, now: Date = new Date()): CheckedPeriod {
  const answers = Object.fromEntries(FIELDS.map((f) => [f, normaliseText(query[f] ?? '').slice(0, 10)])) as Omit<PeriodAnswers, 'view'>;
  const view: FigureView = query.view === 'shared' ? 'shared' : 'internal';
  const range = { earliest: FIGURES_EARLIEST, latest: 'today' } as const;
  const from = checkDate(answers['from-day'], answers['from-month'], answers['from-year'], 'the start date', false, range, now);
  const to = checkDate(answers['to-day'], answers['to-month'], answers['to-year'], 'the end date', false, range, now);
  const errors: CheckedPeriod['errors'] = {};
  if (from.error) errors.from = from.error;
  if (to.error) errors.to = to.error;
  const result: CheckedPeriod = { answers: { ...answers, view }, errors };
  if (from.error || to.error) return result;

  const today = todayInEngland(now);
  const toDate = to.date ?? today;
  const fromDate = from.date ?? `${addMonths(toDate.slice(0, 7), -11)}-01`;
  if (fromDate > toDate) {
    errors.to = 'The end date must be the same as or after the start date';
    return result;
  }
  if (fromDate < `${String(Number(toDate.slice(0, 4)) - MAX_YEARS)}${toDate.slice(4)}`) {
    errors.from = `The start date must be no more than ${MAX_YEARS} years before the end date`;
    return result;
  }
  result.period = {
    fromDate, toDate,
    from: instantAtLondonTime(fromDate, { hour: 0, minute: 0 }),
    to: instantAtLondonTime(nextDay(toDate), { hour: 0, minute: 0 }),
    months: monthsBetween(fromDate, toDate),
  };
  return result;
}

/** The query string that asks for the same period and view (for links and the CSV). */
export function periodQuery(answers: PeriodAnswers, view: FigureView = answers.view): string {
  const params = new URLSearchParams();
  for (const f of FIELDS) if (answers[f]) params.set(f, answers[f]);
  if (view === 'shared') params.set('view', 'shared');
  const text = params.toString();
  return text ? `?${text}` : '';
}
