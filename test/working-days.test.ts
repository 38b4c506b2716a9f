// The front door's one-working-day decision deadline (src/concerns/). The bank holiday list is
// typed in by hand from GOV.UK, so every year of it is recomputed here from the rules: Easter
// by the anonymous Gregorian algorithm, the first and last Mondays, and the substitute days.
// No database: this is date arithmetic only.
import { describe, expect, it } from 'vitest';
import {
  BANK_HOLIDAYS_COVER,
  BANK_HOLIDAYS_ENGLAND_AND_WALES,
  BANK_HOLIDAYS_ENGLAND_AND_WALES_LIST,
  isCovered,
} from '../src/concerns/bank-holidays.ts';
import {
  decisionDeadline,
  instantAtLondonTime,
  isWorkingDay,
  londonWallClock,
  nextWorkingDay,
  timeLeft,
} from '../src/concerns/working-days.ts';

// --- The rules, worked out independently of the list -------------------------------------

/** Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const utc = (year: number, month: number, day: number): Date => new Date(Date.UTC(year, month - 1, day));
const iso = (date: Date): string => date.toISOString().slice(0, 10);
const plusDays = (date: Date, days: number): Date => new Date(date.getTime() + days * 86_400_000);
const isWeekend = (date: Date): boolean => date.getUTCDay() === 0 || date.getUTCDay() === 6;

function firstMonday(year: number, month: number): Date {
  const first = utc(year, month, 1);
  return plusDays(first, (8 - first.getUTCDay()) % 7);
}

function lastMonday(year: number, month: number): Date {
  const last = utc(year, month + 1, 0);
  return plusDays(last, -((last.getUTCDay() + 6) % 7));
}

/** Fixed-date holidays in order: one at a weekend moves to the next weekday not already taken. */
function withSubstitutes(days: Date[]): string[] {
  const taken = new Set<string>();
  for (const day of days) {
    let date = day;
    while (isWeekend(date) || taken.has(iso(date))) date = plusDays(date, 1);
    taken.add(iso(date));
  }
  return [...taken];
}

function expectedHolidays(year: number): string[] {
  const easter = easterSunday(year);
  return [
    ...withSubstitutes([utc(year, 1, 1)]),
    iso(plusDays(easter, -2)), // Good Friday
    iso(plusDays(easter, 1)), // Easter Monday
    iso(firstMonday(year, 5)),
    iso(lastMonday(year, 5)),
    iso(lastMonday(year, 8)),
    ...withSubstitutes([utc(year, 12, 25), utc(year, 12, 26)]),
  ].sort();
}

const YEARS = [2024, 2025, 2026, 2027, 2028];

// London times written out: BST is UTC+1 from the last Sunday in March to the last in October.
const at = (isoInstant: string): Date => new Date(isoInstant);

describe('bank holidays in England and Wales', () => {
  it('checks the algorithms against dates known independently', () => {
    expect(iso(easterSunday(2024))).toBe('2024-03-31');
    expect(iso(easterSunday(2025))).toBe('2025-04-20');
    expect(iso(easterSunday(2000))).toBe('2000-04-23');
    expect(iso(easterSunday(2019))).toBe('2019-04-21');
    expect(iso(firstMonday(2028, 5))).toBe('2028-05-01'); // 1 May 2028 is a Monday
    expect(iso(lastMonday(2026, 8))).toBe('2026-08-31'); // 31 August 2026 is a Monday
    expect(withSubstitutes([utc(2027, 12, 25), utc(2027, 12, 26)]).sort()).toEqual(['2027-12-27', '2027-12-28']);
    expect(withSubstitutes([utc(2022, 12, 25), utc(2022, 12, 26)]).sort()).toEqual(['2022-12-26', '2022-12-27']); // Christmas on a Sunday
  });

  it.each(YEARS)('lists exactly the rule-based holidays for %i', (year) => {
    const listed = [...BANK_HOLIDAYS_ENGLAND_AND_WALES].filter((date) => date.startsWith(`${year}-`)).sort();
    expect(listed).toEqual(expectedHolidays(year));
  });

  it('has eight holidays a year, no duplicates, none at a weekend, all inside the cover', () => {
    expect(BANK_HOLIDAYS_ENGLAND_AND_WALES.size).toBe(BANK_HOLIDAYS_ENGLAND_AND_WALES_LIST.length);
    expect(BANK_HOLIDAYS_ENGLAND_AND_WALES.size).toBe(8 * YEARS.length);
    for (const date of BANK_HOLIDAYS_ENGLAND_AND_WALES) {
      expect(isWeekend(new Date(`${date}T00:00:00Z`)), date).toBe(false);
      expect(isCovered(date), date).toBe(true);
    }
    expect(BANK_HOLIDAYS_COVER).toEqual({ from: '2024-01-01', to: '2028-12-31' });
  });

  it('includes the substitute days', () => {
    for (const date of ['2026-12-28', '2027-12-27', '2027-12-28', '2028-01-03']) {
      expect(BANK_HOLIDAYS_ENGLAND_AND_WALES.has(date), date).toBe(true);
    }
    for (const date of ['2026-12-26', '2027-12-25', '2027-12-26', '2028-01-01']) {
      expect(BANK_HOLIDAYS_ENGLAND_AND_WALES.has(date), date).toBe(false); // the weekend day itself
    }
  });

  it('says which days the list covers', () => {
    expect(isCovered('2024-01-01')).toBe(true);
    expect(isCovered('2028-12-31')).toBe(true);
    expect(isCovered('2023-12-31')).toBe(false);
    expect(isCovered('2029-01-01')).toBe(false);
    // An instant is taken as its day in England: 23:30 UTC on 31 December 2028 is still 2028 (GMT)...
    expect(isCovered(at('2028-12-31T23:30:00Z'))).toBe(true);
    expect(isCovered(at('2029-01-01T00:30:00Z'))).toBe(false);
    // ...and 23:30 UTC on 30 June is already 1 July in England (BST).
    expect(londonWallClock(at('2026-06-30T23:30:00Z')).date).toBe('2026-07-01');
  });
});

describe('working days', () => {
  it('skips weekends and bank holidays', () => {
    expect(isWorkingDay('2026-03-27')).toBe(true); // Friday
    expect(isWorkingDay('2026-03-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-03-29')).toBe(false); // Sunday
    expect(isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(isWorkingDay('2026-12-28')).toBe(false); // substitute Boxing Day
    expect(isWorkingDay('2026-12-29')).toBe(true);
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-29');
    expect(nextWorkingDay('2027-12-24')).toBe('2027-12-29');
  });

  it('takes another holiday list when given one', () => {
    expect(isWorkingDay('2026-04-03', new Set())).toBe(true);
    expect(isWorkingDay('2026-03-27', new Set(['2026-03-27']))).toBe(false);
  });

  it('refuses what is not a date', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('27/03/2026')).toThrow(RangeError);
    expect(() => decisionDeadline(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('the decision deadline', () => {
  it('gives a working day received at T until T on the next working day', () => {
    // Tuesday 10 March 2026 14:25 GMT -> Wednesday 14:25
    expect(decisionDeadline(at('2026-03-10T14:25:00Z'))).toEqual(at('2026-03-11T14:25:00Z'));
    // Friday 15:00 -> Monday 15:00 (summer, BST)
    expect(decisionDeadline(at('2026-06-12T14:00:00Z'))).toEqual(at('2026-06-15T14:00:00Z'));
    // Seconds and milliseconds are kept.
    expect(decisionDeadline(at('2026-06-12T14:00:07.123Z'))).toEqual(at('2026-06-15T14:00:07.123Z'));
  });

  it('skips Christmas 2026: Thursday 24 December 10:00 is due Tuesday 29 December 10:00', () => {
    // Christmas Day is a Friday; Boxing Day a Saturday, so Monday 28 December is the substitute.
    expect(decisionDeadline(at('2026-12-24T10:00:00Z'))).toEqual(at('2026-12-29T10:00:00Z'));
  });

  it('skips Easter: the Thursday before Good Friday is due the Tuesday after Easter Monday', () => {
    // Maundy Thursday 2 April 2026 11:30 BST -> Tuesday 7 April 11:30 BST
    expect(decisionDeadline(at('2026-04-02T10:30:00Z'))).toEqual(at('2026-04-07T10:30:00Z'));
    for (const year of YEARS) {
      const easter = easterSunday(year);
      const thursday = iso(plusDays(easter, -3));
      const tuesday = iso(plusDays(easter, 2));
      const received = instantAtLondonTime(thursday, { hour: 16, minute: 45 });
      expect(decisionDeadline(received), String(year)).toEqual(instantAtLondonTime(tuesday, { hour: 16, minute: 45 }));
    }
  });

  it('gives a concern received at a weekend until 17:00 on the first working day', () => {
    // Saturday 13 June 2026 10:00 BST -> Monday 15 June 17:00 BST
    expect(decisionDeadline(at('2026-06-13T09:00:00Z'))).toEqual(at('2026-06-15T16:00:00Z'));
    // Sunday 15 November 2026 23:59 GMT -> Monday 16 November 17:00 GMT
    expect(decisionDeadline(at('2026-11-15T23:59:00Z'))).toEqual(at('2026-11-16T17:00:00Z'));
    // Saturday 23 May 2026 before the spring bank holiday -> Tuesday 26 May 17:00 BST
    expect(decisionDeadline(at('2026-05-23T08:00:00Z'))).toEqual(at('2026-05-26T16:00:00Z'));
  });

  it('gives a concern received on a bank holiday until 17:00 on the next working day', () => {
    // Good Friday 2026 09:00 BST -> Tuesday 7 April 17:00 BST
    expect(decisionDeadline(at('2026-04-03T08:00:00Z'))).toEqual(at('2026-04-07T16:00:00Z'));
    // Substitute Boxing Day, Monday 28 December 2026 -> Tuesday 29 December 17:00 GMT
    expect(decisionDeadline(at('2026-12-28T12:00:00Z'))).toEqual(at('2026-12-29T17:00:00Z'));
  });

  it('goes by the day in England, not in UTC', () => {
    // 23:30 UTC on Sunday 28 June 2026 is 00:30 BST on Monday, a working day: due Tuesday 00:30 BST.
    expect(decisionDeadline(at('2026-06-28T23:30:00Z'))).toEqual(at('2026-06-29T23:30:00Z'));
    // 23:30 UTC on Friday 26 June is 00:30 BST on Saturday: due Monday 17:00 BST.
    expect(decisionDeadline(at('2026-06-26T23:30:00Z'))).toEqual(at('2026-06-29T16:00:00Z'));
  });

  it('keeps the wall-clock time when the clocks go forward (GMT to BST)', () => {
    // Friday 27 March 2026 09:00 GMT -> Monday 30 March 2026 09:00 BST, i.e. 08:00 UTC
    expect(decisionDeadline(at('2026-03-27T09:00:00Z'))).toEqual(at('2026-03-30T08:00:00Z'));
    // Saturday 28 March 09:00 GMT -> Monday 17:00 BST
    expect(decisionDeadline(at('2026-03-28T09:00:00Z'))).toEqual(at('2026-03-30T16:00:00Z'));
  });

  it('keeps the wall-clock time when the clocks go back (BST to GMT)', () => {
    // Friday 23 October 2026 09:00 BST (08:00 UTC) -> Monday 26 October 09:00 GMT (09:00 UTC)
    expect(decisionDeadline(at('2026-10-23T08:00:00Z'))).toEqual(at('2026-10-26T09:00:00Z'));
    // During the repeated hour on Sunday 25 October: a weekend, so Monday 17:00 GMT either way.
    expect(decisionDeadline(at('2026-10-25T00:30:00Z'))).toEqual(at('2026-10-26T17:00:00Z'));
    expect(decisionDeadline(at('2026-10-25T01:30:00Z'))).toEqual(at('2026-10-26T17:00:00Z'));
  });

  it('finds the instant for a London wall-clock time, including the two awkward Sundays', () => {
    expect(instantAtLondonTime('2026-01-15', { hour: 9, minute: 0 })).toEqual(at('2026-01-15T09:00:00Z'));
    expect(instantAtLondonTime('2026-07-15', { hour: 9, minute: 0 })).toEqual(at('2026-07-15T08:00:00Z'));
    // 29 March 2026: 01:30 never happens; it is moved on by the skipped hour to 02:30 BST.
    expect(instantAtLondonTime('2026-03-29', { hour: 1, minute: 30 })).toEqual(at('2026-03-29T01:30:00Z'));
    expect(instantAtLondonTime('2026-03-29', { hour: 0, minute: 30 })).toEqual(at('2026-03-29T00:30:00Z'));
    expect(instantAtLondonTime('2026-03-29', { hour: 2, minute: 30 })).toEqual(at('2026-03-29T01:30:00Z'));
    // 25 October 2026: 01:30 happens twice; the first (BST) is used.
    expect(instantAtLondonTime('2026-10-25', { hour: 1, minute: 30 })).toEqual(at('2026-10-25T00:30:00Z'));
    expect(instantAtLondonTime('2026-10-25', { hour: 2, minute: 30 })).toEqual(at('2026-10-25T02:30:00Z'));
  });

  it('is always at least one whole working day away, across every day of the cover', () => {
    // Every hour from 2024 to 2028: the deadline is on a working day, after the receipt, and
    // at the received time (working day) or 17:00 (otherwise).
    const start = Date.parse('2024-01-01T00:00:00Z');
    const end = Date.parse('2029-01-01T00:00:00Z');
    for (let ms = start; ms < end; ms += 3_600_000 * 7 + 60_000 * 13) {
      const received = new Date(ms);
      const deadline = decisionDeadline(received);
      const from = londonWallClock(received);
      const to = londonWallClock(deadline);
      expect(isWorkingDay(to.date)).toBe(true);
      expect(to.date).toBe(nextWorkingDay(from.date));
      if (isWorkingDay(from.date)) {
        expect([to.hour, to.minute]).toEqual([from.hour, from.minute]);
      } else {
        expect([to.hour, to.minute]).toEqual([17, 0]);
      }
      expect(deadline.getTime()).toBeGreaterThan(received.getTime() + 12 * 3_600_000);
    }
  });

  it('skips weekends only outside the bank holiday cover, and says so', () => {
    // Christmas 2029 is not in the list: Monday 24 December 10:00 is due on Christmas Day.
    const received = at('2029-12-24T10:00:00Z');
    const deadline = decisionDeadline(received);
    expect(deadline).toEqual(at('2029-12-25T10:00:00Z'));
    expect(isCovered(received)).toBe(false);
    expect(isCovered(deadline)).toBe(false);
    // Friday 29 December 2028 -> Monday 1 January 2029: the deadline falls outside the cover.
    const lastFriday = decisionDeadline(at('2028-12-29T10:00:00Z'));
    expect(lastFriday).toEqual(at('2029-01-01T10:00:00Z'));
    expect(isCovered(lastFriday)).toBe(false);
  });
});

describe('time left, for the queue', () => {
  const deadline = at('2026-06-15T14:00:00Z');
  const before = (minutes: number, seconds = 0): Date => new Date(deadline.getTime() - minutes * 60_000 - seconds * 1000);

  it.each([
    [260, 0, false, 260, '4 hours 20 minutes left'],
    [60, 0, false, 60, '1 hour left'],
    [61, 0, false, 61, '1 hour 1 minute left'],
    [45, 30, false, 45, '45 minutes left'], // rounded down
    [1, 0, false, 1, '1 minute left'],
    [0, 30, false, 0, 'Less than a minute left'],
    [0, 0, false, 0, 'Due now'],
    [1439, 0, false, 1439, '23 hours 59 minutes left'],
    [1440, 0, false, 1440, 'Due in 1 day'],
    [1500, 0, false, 1500, 'Due in 1 day 1 hour'],
    [2 * 1440 + 3 * 60 + 59, 0, false, 2 * 1440 + 3 * 60 + 59, 'Due in 2 days 3 hours'],
    [3 * 1440, 0, false, 3 * 1440, 'Due in 3 days'],
    [-65, 0, true, 65, 'Overdue by 1 hour 5 minutes'],
    [0, -1, true, 1, 'Overdue by 1 minute'], // rounded up
    [-120, 0, true, 120, 'Overdue by 2 hours'],
    [-(1440 + 120), 0, true, 1440 + 120, 'Overdue by 1 day 2 hours'],
    [-(2 * 1440), 0, true, 2 * 1440, 'Overdue by 2 days'],
  ])('%i minutes %i seconds before the deadline', (minutes, seconds, overdue, expectedMinutes, text) => {
    expect(timeLeft(deadline, before(minutes, seconds))).toEqual({ overdue, minutes: expectedMinutes, text });
  });

  it('counts elapsed time across the clock change', () => {
    // Friday 27 March 2026 09:00 GMT to Monday 30 March 09:00 BST is 71 hours, not 72.
    const received = at('2026-03-27T09:00:00Z');
    expect(timeLeft(decisionDeadline(received), received).text).toBe('Due in 2 days 23 hours');
  });
});
