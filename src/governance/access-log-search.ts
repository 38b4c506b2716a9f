// The access log's search, as information governance types it (all GET parameters, so a search
// is a link): who the child is (a name, an NHS number or a record id, and a date of birth), who
// looked (part of a name, or one person picked from the results), their organisation and role,
// what was done, and from and to which day (GOV.UK date inputs). Checked here, with a message by
// each field; what was typed is kept whole to show again. The page and its CSV export share it.
import { isAccessAction, type AccessLogFilters } from '../audit/access-log.ts';
import { isRole } from '../auth/roles.ts';
import { checkNhsNumber, nhsNumberMessages, normaliseNhsNumber } from '../identifiers/nhs-number.ts';
import { dateRanges, isRealIsoDate } from '../validation/dates.ts';
import { isUuid } from '../validation/ids.ts';
import { textProblem } from '../validation/text.ts';
import { checkDate, checkIsoDateText } from '../web/date-input.ts';

/** Every parameter the search reads, in the order a link carries them. */
export const searchParameters = [
  'child', 'dob-day', 'dob-month', 'dob-year', 'pick',
  'person', 'user', 'organisation', 'role', 'action',
  'from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year',
] as const;
export type SearchValues = Record<(typeof searchParameters)[number], string>;

/** The fields that can have an error, top to bottom (dates by their first box). */
export const searchFields = ['child', 'dob', 'person', 'organisation', 'role', 'action', 'from', 'to'] as const;

/** How the child was asked for: by record id, or by what identifies them (to be found first). */
export type ChildAsked =
  | { kind: 'none' }
  | { kind: 'id'; id: string }
  | { kind: 'search'; name: string; dateOfBirth: string | null; nhsNumber: string | null; pick: string | null };

export interface CheckedSearch {
  values: SearchValues;
  errors: Record<string, string>;
  child: ChildAsked;
  /** The filters other than the child, ready for searchAccessLog (only when there are no errors). */
  filters: Omit<AccessLogFilters, 'childId' | 'limit' | 'before'>;
  /** An access_log id from an "older entries" link, if well formed. */
  before: string | undefined;
}

/** The longest name (of a child, or of the person who looked) a search takes. */
const NAME_LIMIT = 100;

/**
 * Reads and checks a search. `read(name)` gives a parameter normalised and trimmed ('' when
 * absent). A day may also come as from=YYYY-MM-DD or to=YYYY-MM-DD (links from other pages): it
 * fills the boxes when they are empty.
 */
export function checkSearch(read: (name: string) => string, now: Date = new Date()): CheckedSearch {
  const values = Object.fromEntries(searchParameters.map((name) => [name, read(name)])) as SearchValues;
  const errors: Record<string, string> = {};
  const filters: CheckedSearch['filters'] = {};

  // A day from a link, as YYYY-MM-DD, into the boxes (the boxes win when anything is typed in them).
  for (const end of ['from', 'to'] as const) {
    const iso = read(end);
    if (!iso || values[`${end}-day`] || values[`${end}-month`] || values[`${end}-year`]) continue;
    const problem = checkIsoDateText(iso, end === 'from' ? 'the start date' : 'the end date', dateRanges.accessLogSearch, now);
    if (problem && !isRealIsoDate(iso)) {
      errors[end] = problem;
      continue;
    }
    [values[`${end}-year`], values[`${end}-month`], values[`${end}-day`]] = iso.split('-') as [string, string, string];
  }

  // The child: a record id, or a name and/or NHS number and/or date of birth to find them by.
  let child: ChildAsked = { kind: 'none' };
  const dob = checkDate(values['dob-day'], values['dob-month'], values['dob-year'], 'the child’s date of birth', false, dateRanges.childDateOfBirth, now);
  if (dob.error) errors.dob = dob.error;
  const typed = values.child;
  const childProblem = textProblem('The child’s name', typed, NAME_LIMIT);
  if (childProblem) errors.child = childProblem;
  else if (isUuid(typed)) child = { kind: 'id', id: typed.toLowerCase() };
  else {
    let name = typed;
    let nhsNumber: string | null = null;
    // Digits (with the spaces or hyphens people write them with) are an NHS number, not a name.
    if (/^[0-9\s-]+$/.test(typed)) {
      const checked = checkNhsNumber(typed);
      if (checked.ok) nhsNumber = checked.value;
      else errors.child = normaliseNhsNumber(typed).length === 10 ? nhsNumberMessages.wrong_check_digit : nhsNumberMessages.wrong_length;
      name = '';
    }
    // A date of birth narrows a search; alone it would list every child born that day.
    if (!errors.child && !errors.dob && dob.date && !name && !nhsNumber) errors.child = 'Enter the child’s name or NHS number as well as their date of birth';
    if (!errors.child && (name || nhsNumber)) {
      child = { kind: 'search', name, nhsNumber, dateOfBirth: dob.date, pick: isUuid(values.pick) ? values.pick.toLowerCase() : null };
    }
  }

  // Who looked.
  const personProblem = textProblem('The name', values.person, NAME_LIMIT);
  if (personProblem) errors.person = personProblem;
  else if (values.person) filters.person = values.person;
  if (values.user && !errors.person) {
    if (isUuid(values.user)) filters.userId = values.user.toLowerCase();
    else errors.person = 'Choose the person again from the entries';
  }
  if (values.organisation) {
    if (isUuid(values.organisation)) filters.organisationId = values.organisation;
    else errors.organisation = 'Choose an organisation from the list';
  }
  if (values.role) {
    if (isRole(values.role)) filters.role = values.role;
    else errors.role = 'Choose a role from the list';
  }
  if (values.action) {
    if (isAccessAction(values.action)) filters.action = values.action;
    else errors.action = 'Choose what was done from the list';
  }

  // When.
  const days: Record<'from' | 'to', string | null> = { from: null, to: null };
  for (const end of ['from', 'to'] as const) {
    if (errors[end]) continue;
    const checked = checkDate(values[`${end}-day`], values[`${end}-month`], values[`${end}-year`], end === 'from' ? 'the start date' : 'the end date', false, dateRanges.accessLogSearch, now);
    if (checked.error) errors[end] = checked.error;
    days[end] = checked.date;
  }
  if (days.from && days.to && days.to < days.from) errors.to = 'The end date must be the same as or after the start date';
  if (days.from) filters.from = days.from;
  if (days.to) filters.to = days.to;

  const before = /^\d{1,18}$/.test(read('before')) ? read('before') : undefined;
  return { values, errors, child, filters, before };
}

/** A link to the search with these values (empty ones left out), plus any extra parameters. */
export function searchHref(path: string, values: Partial<SearchValues>, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const name of searchParameters) if (values[name]) query.set(name, values[name]!);
  for (const [name, value] of Object.entries(extra)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
