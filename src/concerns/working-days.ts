// Working days and the front door's decision deadline (issue 5, point 5).
//
// When a partner submits a safeguarding concern, the front door must record a decision within
// one working day. Working days are Monday to Friday, less England and Wales bank holidays
// (./bank-holidays.ts). Days and times are England's local time (Europe/London), so the clocks
// going forward in March and back in October are allowed for: the deadline is a wall-clock time
// in England, not a fixed number of hours.
//
// THE RULE (what a front-door manager signs up to):
//   - Received on a working day, at any time T (England's time): due at the same time T on the
//     next working day. Friday 15:00 is due Monday 15:00; Thursday before Good Friday 10:00 is
//     due Tuesday after Easter Monday 10:00. This holds out of office hours too (Monday 22:00 is
//     due Tuesday 22:00): the front door always has one whole working day.
//   - Received on a weekend or bank holiday, at any time: due at 17:00, the end of the working
//     day, on the first working day after it. Saturday 10:00 is due Monday 17:00, or Tuesday
//     17:00 when that Monday is a bank holiday. The first working day is the one working day the
//     front door gets. (So a concern received at 18:00 on a Friday is due at 18:00 on Monday,
//     an hour after one received on Saturday morning: each has the whole of Monday's working day.)
//
// Outside BANK_HOLIDAYS_COVER the list has no holidays, so only weekends are skipped; use
// isCovered() on the receipt and the deadline to warn that the answer may be early.
import { BANK_HOLIDAYS_ENGLAND_AND_WALES, isCovered } from './bank-holidays.ts';

export { isCovered };

const ZONE = 'Europe/London';

/** The end of the working day: the deadline for a concern received on a non-working day. */
export const END_OF_WORKING_DAY = { hour: 17, minute: 0 } as const;

export interface WallClock {
  /** YYYY-MM-DD */
  date: string;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function parseIsoDate(isoDate: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Not a YYYY-MM-DD date: ${isoDate}`);
}

function isoFromUtcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(isoDate: string, days: number): string {
  const { year, month, day } = parseIsoDate(isoDate);
  return isoFromUtcDate(new Date(Date.UTC(year, month - 1, day + days)));
}

function checkInstant(instant: Date, what: string): void {
  if (Number.isNaN(instant.getTime())) throw new RangeError(`${what} is not a valid date`);
}

/** The date and time in England at an instant. */
export function londonWallClock(instant: Date): WallClock {
  checkInstant(instant, 'The instant');
  const parts: Record<string, string> = {};
  for (const part of londonFormat.formatToParts(instant)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    // England's offsets are whole hours, so milliseconds are the same as in UTC.
    millisecond: instant.getUTCMilliseconds(),
  };
}

/** England's offset from UTC at an instant, in milliseconds (0 in GMT, 3,600,000 in BST). */
function londonOffsetMs(instantMs: number): number {
  const clock = londonWallClock(new Date(instantMs));
  const { year, month, day } = parseIsoDate(clock.date);
  return Date.UTC(year, month - 1, day, clock.hour, clock.minute, clock.second, clock.millisecond) - instantMs;
}

/**
 * The instant at which England's clocks show a date and time.
 *
 * Twice a year the answer is not simple, always on a Sunday at 01:00 UTC:
 *   - in March, 01:00 to 01:59 does not exist (clocks go from 01:00 GMT to 02:00 BST): such a
 *     time is moved on by the hour the clocks skipped, so 01:30 becomes 02:30 BST;
 *   - in October, 01:00 to 01:59 happens twice (BST, then GMT): the first, BST, is used.
 * (These are the "compatible" choices of JavaScript's Temporal and of most calendars.)
 * Deadlines themselves always fall on working days, never on a Sunday, so neither case arises
 * for them; the helper is careful anyway.
 */
export function instantAtLondonTime(
  isoDate: string,
  time: { hour: number; minute: number; second?: number; millisecond?: number },
): Date {
  const { year, month, day } = parseIsoDate(isoDate);
  const second = time.second ?? 0;
  const millisecond = time.millisecond ?? 0;
  const asIfUtc = Date.UTC(year, month - 1, day, time.hour, time.minute, second, millisecond);
  // England's offset changes at most once in a day, so the offsets a day either side are the
  // only ones that can apply.
  const offsetBefore = londonOffsetMs(asIfUtc - 86_400_000);
  const offsetAfter = londonOffsetMs(asIfUtc + 86_400_000);
  const matches = [asIfUtc - offsetBefore, asIfUtc - offsetAfter]
    .filter((candidate) => londonOffsetMs(candidate) === asIfUtc - candidate)
    .sort((a, b) => a - b);
  const chosen = matches[0] ?? asIfUtc - offsetBefore; // no match: a time the clocks skipped
  return new Date(chosen);
}

/** Monday to Friday, and not a bank holiday. The date is YYYY-MM-DD, a day in England. */
export function isWorkingDay(isoDate: string, holidays: ReadonlySet<string> = BANK_HOLIDAYS_ENGLAND_AND_WALES): boolean {
  const { year, month, day } = parseIsoDate(isoDate);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay(); // 0 Sunday, 6 Saturday
  return weekday !== 0 && weekday !== 6 && !holidays.has(isoDate);
}

/** The first working day after a date (YYYY-MM-DD). */
export function nextWorkingDay(isoDate: string, holidays: ReadonlySet<string> = BANK_HOLIDAYS_ENGLAND_AND_WALES): string {
  let day = isoDate;
  // A year without a working day would be a broken holiday list, not a long weekend.
  for (let i = 0; i < 366; i++) {
    day = addDays(day, 1);
    if (isWorkingDay(day, holidays)) return day;
  }
  throw new Error(`No working day in the year after ${isoDate}: check the bank holiday list`);
}

/**
 * When the front door's decision on a concern is due: the same time (in England) on the next
 * working day if received on a working day; 17:00 on the first working day after it if
 * received on a weekend or bank holiday. See the rule at the top of this file.
 */
export function decisionDeadline(receivedAt: Date, holidays: ReadonlySet<string> = BANK_HOLIDAYS_ENGLAND_AND_WALES): Date {
  checkInstant(receivedAt, 'The time received');
  const received = londonWallClock(receivedAt);
  const dueDay = nextWorkingDay(received.date, holidays);
  if (isWorkingDay(received.date, holidays)) {
    return instantAtLondonTime(dueDay, received);
  }
  return instantAtLondonTime(dueDay, END_OF_WORKING_DAY);
}

export interface TimeLeft {
  /** True once the deadline has passed (not at the deadline itself). */
  overdue: boolean;
  /** Whole minutes left, or (when overdue) minutes overdue, rounded up: never negative. */
  minutes: number;
  /** Plain words for the queue: "4 hours 20 minutes left", "Due in 2 days 3 hours", "Overdue by 1 hour 5 minutes". */
  text: string;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * Under a day: hours and minutes. A day or more: days and hours (minutes would be noise).
 * Days are 24 hours of elapsed time, not working days.
 */
function describe(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const words = days > 0
    ? [plural(days, 'day'), hours > 0 ? plural(hours, 'hour') : '']
    : [hours > 0 ? plural(hours, 'hour') : '', mins > 0 || hours === 0 ? plural(mins, 'minute') : ''];
  return words.filter(Boolean).join(' ');
}

/**
 * How long is left before a deadline, for the front door's queue. Time left is rounded down and
 * time overdue rounded up, so the queue never makes a concern look less urgent than it is.
 */
export function timeLeft(deadline: Date, now: Date): TimeLeft {
  checkInstant(deadline, 'The deadline');
  checkInstant(now, 'The time now');
  const ms = deadline.getTime() - now.getTime();
  if (ms < 0) {
    const minutes = Math.ceil(-ms / 60_000);
    return { overdue: true, minutes, text: `Overdue by ${describe(minutes)}` };
  }
  const minutes = Math.floor(ms / 60_000);
  if (ms === 0) return { overdue: false, minutes, text: 'Due now' };
  if (minutes === 0) return { overdue: false, minutes, text: 'Less than a minute left' };
  if (minutes < 1440) return { overdue: false, minutes, text: `${describe(minutes)} left` };
  return { overdue: false, minutes, text: `Due in ${describe(minutes)}` };
}

/**
 * When the front door should have decided: within `immediateRiskHours` around the clock for a
 * concern the partner says is at immediate risk of harm, else within one working day.
 */
export function decisionDue(receivedAt: Date, immediateRisk: boolean, immediateRiskHours: number): Date {
  checkInstant(receivedAt, 'The time received');
  return immediateRisk ? new Date(receivedAt.getTime() + immediateRiskHours * 3_600_000) : decisionDeadline(receivedAt);
}
