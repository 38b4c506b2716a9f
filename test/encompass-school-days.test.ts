// The school-day clock for Operation Encompass (src/encompass/school-days.ts): date arithmetic
// only, no database. Expected instants are written in UTC so they do not reuse the code's own
// conversion from England's clock.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { parseSchoolHolidays, parseTimeOfDay, schoolCalendar } from '../src/encompass/school-days.ts';
import { DEFAULT_FRONT_DOOR_AFTER_MINUTES, encompassSettings } from '../src/encompass/settings.ts';

// Northbridge's 2026-27 holidays, as a council would type them.
const HOLIDAYS = '2026-10-26..2026-10-30, 2026-12-21..2027-01-01, 2027-02-15..2027-02-19, 2027-03-29..2027-04-09';
const calendar = schoolCalendar({ holidays: parseSchoolHolidays(HOLIDAYS) });
const due = (sentUtc: string) => calendar.dueAt(new Date(sentUtc)).toISOString();

describe('school days', () => {
  it('are working days less the term holidays', () => {
    expect(calendar.isSchoolDay('2026-12-02')).toBe(true); // a Wednesday in term
    expect(calendar.isSchoolDay('2026-12-05')).toBe(false); // Saturday
    expect(calendar.isSchoolDay('2026-12-21')).toBe(false); // first day of the Christmas holiday
    expect(calendar.isSchoolDay('2027-01-01')).toBe(false); // last day, and a bank holiday
    expect(calendar.isSchoolDay('2027-01-04')).toBe(true); // first day of term
    expect(calendar.isSchoolDay('2027-05-03')).toBe(false); // early May bank holiday, in term
    expect(calendar.nextSchoolDay('2026-12-18')).toBe('2027-01-04');
  });
});

describe('dueAt: the start of the next school day', () => {
  it('is that same morning for a notification sent before the school day starts', () => {
    // Wednesday 2 December 2026, 07:00 GMT → 08:30 that day.
    expect(due('2026-12-02T07:00:00Z')).toBe('2026-12-02T08:30:00.000Z');
    expect(due('2026-12-02T08:29:59Z')).toBe('2026-12-02T08:30:00.000Z');
  });

  it('is the next school day for one sent once the school day has started', () => {
    expect(due('2026-12-02T08:30:00Z')).toBe('2026-12-03T08:30:00.000Z');
    expect(due('2026-12-02T17:00:00Z')).toBe('2026-12-03T08:30:00.000Z');
    expect(due('2026-12-02T23:59:00Z')).toBe('2026-12-03T08:30:00.000Z');
  });

  it('skips weekends, whatever the hour', () => {
    expect(due('2026-12-04T17:00:00Z')).toBe('2026-12-07T08:30:00.000Z'); // Friday evening → Monday
    expect(due('2026-12-05T07:00:00Z')).toBe('2026-12-07T08:30:00.000Z'); // Saturday 07:00 → Monday
    expect(due('2026-12-06T23:00:00Z')).toBe('2026-12-07T08:30:00.000Z'); // Sunday night → Monday
  });

  it('skips term holidays and the bank holidays inside them', () => {
    expect(due('2026-12-18T17:00:00Z')).toBe('2027-01-04T08:30:00.000Z'); // end of term → first day back
    expect(due('2026-12-25T07:00:00Z')).toBe('2027-01-04T08:30:00.000Z'); // Christmas morning
    expect(due('2027-01-04T07:00:00Z')).toBe('2027-01-04T08:30:00.000Z'); // first morning of term
  });

  it('skips bank holidays in term', () => {
    // Friday 30 April 2027 17:00 BST; Monday 3 May is a bank holiday → Tuesday 4 May 08:30 BST.
    expect(due('2027-04-30T16:00:00Z')).toBe('2027-05-04T07:30:00.000Z');
  });

  it('keeps 08:30 on England’s clock across the clock changes', () => {
    // Clocks go forward on Sunday 28 March 2027, inside the Easter holiday; back on Sunday
    // 31 October 2027. Friday 26 March is Good Friday.
    expect(due('2027-03-25T17:00:00Z')).toBe('2027-04-12T07:30:00.000Z'); // Thursday GMT → Monday after Easter holiday, BST
    const autumn = schoolCalendar();
    expect(autumn.dueAt(new Date('2027-10-29T16:00:00Z')).toISOString()).toBe('2027-11-01T08:30:00.000Z'); // Friday BST → Monday GMT
    // A notification at 07:00 BST (06:00 UTC) on a summer school day is due at 08:30 BST that day.
    expect(autumn.dueAt(new Date('2027-06-09T06:00:00Z')).toISOString()).toBe('2027-06-09T07:30:00.000Z');
    // 08:00 UTC in summer is 09:00 BST: the day has started, so the next day.
    expect(autumn.dueAt(new Date('2027-06-09T08:00:00Z')).toISOString()).toBe('2027-06-10T07:30:00.000Z');
  });

  it('takes the council’s own start of the school day', () => {
    const early = schoolCalendar({ acknowledgeBy: parseTimeOfDay('08:00') });
    expect(early.dueAt(new Date('2026-12-02T08:10:00Z')).toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(early.dueAt(new Date('2026-12-02T07:59:00Z')).toISOString()).toBe('2026-12-02T08:00:00.000Z');
  });
});

describe('configuration', () => {
  it('reads ranges and single days, and refuses what it cannot read, naming it', () => {
    expect(parseSchoolHolidays('2027-06-07, 2026-12-21..2027-01-01')).toEqual([
      { from: '2027-06-07', to: '2027-06-07' },
      { from: '2026-12-21', to: '2027-01-01' },
    ]);
    expect(() => parseSchoolHolidays('2027-01-01..2026-12-21')).toThrow(/ends before it starts/);
    expect(() => parseSchoolHolidays('2026-02-30')).toThrow(/"2026-02-30" is not a date/);
    expect(() => parseSchoolHolidays('2026-07-22..2027-09-01')).toThrow(/longer than 70 days/);
    expect(() => parseTimeOfDay('8.30')).toThrow(/not a time of day/);
  });

  it('stops the start with the variable named', () => {
    expect(() => loadConfig({ SCHOOL_HOLIDAYS: '2026-12-21...2027-01-01' })).toThrow(/SCHOOL_HOLIDAYS: "2026-12-21...2027-01-01" is not a date/);
    expect(() => loadConfig({ ENCOMPASS_ACKNOWLEDGE_BY: '25:00' })).toThrow(/ENCOMPASS_ACKNOWLEDGE_BY: "25:00" is not a time of day/);
    expect(() => loadConfig({ ENCOMPASS_FRONT_DOOR_AFTER_MINUTES: '0' })).toThrow(/ENCOMPASS_FRONT_DOOR_AFTER_MINUTES/);
    const settings = encompassSettings(loadConfig({ SCHOOL_HOLIDAYS: HOLIDAYS, ENCOMPASS_ACKNOWLEDGE_BY: '08:45' }));
    expect(settings.frontDoorAfterMinutes).toBe(DEFAULT_FRONT_DOOR_AFTER_MINUTES);
    expect(settings.calendar.dueAt(new Date('2026-12-18T12:00:00Z')).toISOString()).toBe('2027-01-04T08:45:00.000Z');
    expect(encompassSettings().calendar.acknowledgeBy).toEqual({ hour: 8, minute: 30 });
  });
});
