// The pure parts of the front door's matching: the swapped date of birth it also looks for, and
// reading the search by hand from the query string (no database).
import { describe, expect, it } from 'vitest';
import { swappedDayAndMonth } from '../src/access/child-records.ts';
import { readSearch } from '../src/front-door/search-form.ts';

describe('day and month swapped', () => {
  it('is another real date only when the day could be a month and differs from it', () => {
    expect(swappedDayAndMonth('2015-03-07')).toBe('2015-07-03');
    expect(swappedDayAndMonth('2015-12-01')).toBe('2015-01-12');
    expect(swappedDayAndMonth('2015-03-27')).toBeNull();
    expect(swappedDayAndMonth('2015-05-05')).toBeNull();
    expect(swappedDayAndMonth(null)).toBeNull();
    expect(swappedDayAndMonth('not a date')).toBeNull();
  });
});

describe('the search by hand', () => {
  const read = (query: Record<string, string>) => readSearch((name) => query[name]);

  it('nothing typed: no search, no problem', () => {
    expect(read({})).toEqual({ answers: { name: '', day: '', month: '', year: '', identifier: '' }, query: null, error: null });
  });

  it('a name, a real date and an identifier make a search; the answers are kept as typed', () => {
    const search = read({ 'search-name': '  Evie Ahmad ', 'search-dob-day': '7', 'search-dob-month': '3', 'search-dob-year': '2015', 'search-identifier': ' 943 476 5919 ' });
    expect(search.query).toEqual({ name: 'Evie Ahmad', dateOfBirth: '2015-03-07', identifier: '943 476 5919' });
    expect(search.answers.name).toBe('  Evie Ahmad ');
    expect(search.error).toBeNull();
  });

  it('a date that is not real, or only part of one, is a problem and no search runs', () => {
    for (const date of [{ 'search-dob-day': '31', 'search-dob-month': '2', 'search-dob-year': '2015' } as Record<string, string>, { 'search-dob-day': '7' }, { 'search-dob-day': 'x', 'search-dob-month': '3', 'search-dob-year': '2015' }]) {
      const search = read({ 'search-name': 'Evie', ...date });
      expect(search.query).toBeNull();
      expect(search.error).toBe('Date of birth must be a real date, for example 27 3 2012');
    }
  });
});
