// Dates as the portal stores and passes them: YYYY-MM-DD, and the range each kind of date may
// fall in. Pure checks with no web or database dependency, so the audit log, the lookup and the
// web forms share them.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * YYYY-MM-DD naming a day that exists (not 2025-02-30), in years 0001 to 9999. JavaScript has a
 * year 0 and PostgreSQL does not, so 0000-01-01 is not a date here either.
 */
export function isRealIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text) || text.startsWith('0000')) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** The days a kind of date may be: from `earliest` (YYYY-MM-DD) to today in England, inclusive. */
export interface DateRange {
  earliest: string;
  latest: 'today';
}

export const dateRanges = {
  /** The portal is about children: no child it deals with was born before 1990. */
  childDateOfBirth: { earliest: '1990-01-01', latest: 'today' },
  /** When something a concern reports happened. */
  event: { earliest: '2000-01-01', latest: 'today' },
  /** When a partner completed safeguarding training. */
  trainingCompleted: { earliest: '2000-01-01', latest: 'today' },
  /** Searches of the access log: the log's life. */
  accessLogSearch: { earliest: '2020-01-01', latest: 'today' },
} as const satisfies Record<string, DateRange>;

const englishDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in England (YYYY-MM-DD), whatever the server's time zone. */
export const todayInEngland = (now: Date = new Date()): string => englishDay.format(now);

export type DateRangeProblem = 'tooEarly' | 'tooLate';

/** Where a real date (YYYY-MM-DD) falls against its range: undefined when inside it. */
export function outsideRange(date: string, range: DateRange, now: Date = new Date()): DateRangeProblem | undefined {
  if (date < range.earliest) return 'tooEarly';
  if (date > todayInEngland(now)) return 'tooLate';
  return undefined;
}
