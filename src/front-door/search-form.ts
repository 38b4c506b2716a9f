// Reads the front door's search by hand for a concern's child (GET /front-door/:id?search-…):
// a name, a date of birth, an NHS number or unique pupil number. Every answer is normalised as
// every submitted text is (src/validation/text.ts) and kept for the page to show again. Bad
// values never make an error page: a date that is not real is said next to the date.
import type { SearchQuery } from '../access/index.ts';
import { isRealIsoDate } from '../validation/dates.ts';
import { firstCharacters, normaliseText } from '../validation/text.ts';

export interface SearchAnswers {
  name: string;
  day: string;
  month: string;
  year: string;
  identifier: string;
}

export interface CheckedSearch {
  answers: SearchAnswers;
  /** What to look for; null when nothing was searched for, or the search cannot run. */
  query: SearchQuery | null;
  /** The date of birth's problem, if any. */
  error: string | null;
}

/** The most characters of a name or identifier looked for: enough for any real name. */
const SEARCH_LIMIT = 100;

export function readSearch(query: (name: string) => string | undefined): CheckedSearch {
  const value = (name: string) => normaliseText(query(name) ?? '');
  const answers: SearchAnswers = {
    name: value('search-name'), day: value('search-dob-day'), month: value('search-dob-month'), year: value('search-dob-year'),
    identifier: value('search-identifier'),
  };
  const name = firstCharacters(answers.name.trim(), SEARCH_LIMIT);
  const identifier = firstCharacters(answers.identifier.trim(), SEARCH_LIMIT) || null;
  const [day, month, year] = [answers.day.trim(), answers.month.trim(), answers.year.trim()];
  let dateOfBirth: string | null = null;
  let error: string | null = null;
  if (day || month || year) {
    const iso = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year) ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : '';
    if (isRealIsoDate(iso)) dateOfBirth = iso;
    else error = 'Date of birth must be a real date, for example 27 3 2012';
  }
  const searched = Boolean(name || identifier || dateOfBirth);
  return { answers, query: searched && !error ? { name, dateOfBirth, identifier } : null, error };
}
