// The school-day clock for Operation Encompass notifications (issue 14, point 3).
//
// The scheme's standard is that a school hears of a domestic abuse incident "before the start of
// the next school day". The portal turns that into one instant, the notification's due time,
// against which acknowledgement is measured and escalation starts (./escalation.ts).
//
// SCHOOL DAYS are working days (Monday to Friday, less England and Wales bank holidays: the list
// and rules in src/concerns/working-days.ts and bank-holidays.ts, reused here) less the term
// holidays the council lists in SCHOOL_HOLIDAYS (inclusive date ranges, see parseSchoolHolidays).
// INSET days a single school closes for are not known to the portal: a council that wants them
// counted lists them as one-day ranges, for all its schools.
//
// THE START OF A SCHOOL DAY is ENCOMPASS_ACKNOWLEDGE_BY (default 08:30) on England's clock
// (Europe/London), so a Monday 08:30 after the clocks change is 08:30 BST or GMT as the day has it.
//
// THE RULE (dueAt): the start of the first school day that has not yet started when the
// notification is sent.
//   - Sent on a school day before its start (07:00 on a Tuesday in term): due at 08:30 the same
//     day. That day is the "next school day" the guidance means: the school has not yet opened,
//     and the key adult must know before the children arrive.
//   - Sent on a school day at or after its start (08:30, 17:00 or 23:00 on a Tuesday): due at
//     08:30 on the following school day.
//   - Sent on a weekend, bank holiday or term holiday, at any time: due at 08:30 on the first
//     school day after it (Saturday 07:00 → Monday 08:30; the last day of the Christmas holiday
//     → the first day of term).
import { BANK_HOLIDAYS_ENGLAND_AND_WALES } from '../concerns/bank-holidays.ts';
import { instantAtLondonTime, isWorkingDay, londonWallClock } from '../concerns/working-days.ts';

/** A term holiday, inclusive at both ends (YYYY-MM-DD, days in England). */
export interface HolidayRange {
  readonly from: string;
  readonly to: string;
}

export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

export const DEFAULT_ACKNOWLEDGE_BY: TimeOfDay = { hour: 8, minute: 30 };

/**
 * The longest term holiday accepted: a summer holiday is about six weeks. Anything longer is
 * almost surely a typing mistake (2026-07-22..2027-09-01) that would silently put every
 * notification's due time months away, so configuration refuses it.
 */
export const LONGEST_HOLIDAY_DAYS = 70;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(isoDate: string): number | undefined {
  const match = ISO_DATE.exec(isoDate);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return time / 86_400_000;
}

function isoFromDayNumber(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Reads SCHOOL_HOLIDAYS: comma-separated ranges `YYYY-MM-DD..YYYY-MM-DD`, or single days
 * `YYYY-MM-DD`, e.g. `2026-12-21..2027-01-01,2027-02-15..2027-02-19,2027-06-07`. Throws a
 * RangeError naming the item at fault (no item holds anything secret).
 */
export function parseSchoolHolidays(text: string): HolidayRange[] {
  const ranges: HolidayRange[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const [from = '', to = from, ...rest] = item.split('..').map((part) => part.trim());
    const start = dayNumber(from);
    const end = dayNumber(to);
    if (rest.length > 0 || start === undefined || end === undefined) {
      throw new RangeError(`"${item}" is not a date (YYYY-MM-DD) or a range of dates (YYYY-MM-DD..YYYY-MM-DD)`);
    }
    if (end < start) throw new RangeError(`"${item}" ends before it starts`);
    if (end - start + 1 > LONGEST_HOLIDAY_DAYS) throw new RangeError(`"${item}" is longer than ${LONGEST_HOLIDAY_DAYS} days: is a year mistyped?`);
    ranges.push({ from, to });
  }
  return ranges;
}

/** Reads ENCOMPASS_ACKNOWLEDGE_BY, `HH:MM` on the 24-hour clock. */
export function parseTimeOfDay(text: string): TimeOfDay {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a time of day (HH:MM, like 08:30)`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export interface SchoolCalendarSettings {
  /** The council's term holidays (SCHOOL_HOLIDAYS). */
  holidays?: readonly HolidayRange[];
  /** The start of the school day (ENCOMPASS_ACKNOWLEDGE_BY), default 08:30. */
  acknowledgeBy?: TimeOfDay;
  /** Bank holidays; the England and Wales list unless a test gives its own. */
  bankHolidays?: ReadonlySet<string>;
}

export interface SchoolCalendar {
  readonly acknowledgeBy: TimeOfDay;
  isSchoolDay(isoDate: string): boolean;
  /** The first school day after a date. */
  nextSchoolDay(isoDate: string): string;
  /** The start of the first school day not yet started at `sentAt` (the rule at the top). */
  dueAt(sentAt: Date): Date;
}

export function schoolCalendar(settings: SchoolCalendarSettings = {}): SchoolCalendar {
  const acknowledgeBy = settings.acknowledgeBy ?? DEFAULT_ACKNOWLEDGE_BY;
  const bankHolidays = settings.bankHolidays ?? BANK_HOLIDAYS_ENGLAND_AND_WALES;
  // Term holidays are a few hundred days at most: a set of days is simplest to check.
  const termHolidays = new Set<string>();
  for (const range of settings.holidays ?? []) {
    const start = dayNumber(range.from);
    const end = dayNumber(range.to);
    if (start === undefined || end === undefined || end < start) throw new RangeError(`Not a holiday range: ${range.from}..${range.to}`);
    for (let day = start; day <= end; day++) termHolidays.add(isoFromDayNumber(day));
  }

  function isSchoolDay(isoDate: string): boolean {
    return isWorkingDay(isoDate, bankHolidays) && !termHolidays.has(isoDate);
  }

  function nextSchoolDay(isoDate: string): string {
    const start = dayNumber(isoDate);
    if (start === undefined) throw new RangeError(`Not a YYYY-MM-DD date: ${isoDate}`);
    // Holidays are at most LONGEST_HOLIDAY_DAYS long, but ranges may abut: a year is the bound.
    for (let day = start + 1; day <= start + 366; day++) {
      const candidate = isoFromDayNumber(day);
      if (isSchoolDay(candidate)) return candidate;
    }
    throw new Error(`No school day in the year after ${isoDate}: check SCHOOL_HOLIDAYS`);
  }

  function dueAt(sentAt: Date): Date {
    if (Number.isNaN(sentAt.getTime())) throw new RangeError('The time sent is not a valid date');
    const sent = londonWallClock(sentAt);
    const beforeStart = sent.hour < acknowledgeBy.hour || (sent.hour === acknowledgeBy.hour && sent.minute < acknowledgeBy.minute);
    const day = isSchoolDay(sent.date) && beforeStart ? sent.date : nextSchoolDay(sent.date);
    return instantAtLondonTime(day, acknowledgeBy);
  }

  return { acknowledgeBy, isSchoolDay, nextSchoolDay, dueAt };
}
