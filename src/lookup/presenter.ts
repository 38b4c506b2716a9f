// The lookup pages' view models: the form (views/lookup/form.eta) with its error summary, the
// method radios and the reason select; and the result (views/lookup/result.eta): a heading that
// says what was found about whom, the identifiers that matched, only the fields the policy
// releases for a lookup (src/children/summary.ts), and the hand-off to raising a concern.
import type { ReleasedChild } from '../access/index.ts';
import { childStatusOrder, childStatusPhrases, type ChildStatus } from '../children/labels.ts';
import { presentChildFields, type ChildFieldsView } from '../children/summary.ts';
import type { ChildField } from '../policy/fields.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { formatDate } from '../web/format.ts';
import { INCIDENT_REFERENCE_LIMIT, lookupReasons, type LookupErrors, type LookupInput } from './form.ts';

const fields = ['method', 'nhsNumber', 'surname', 'dateOfBirth', 'postcode', 'reason', 'incidentReference'] as const;

export interface LookupFormView {
  title: string;
  errorList: ErrorSummaryItem[];
  errorMessages: Record<(typeof fields)[number], ErrorMessage>;
  values: { nhsNumber: string; surname: string; day: string; month: string; year: string; postcode: string; incidentReference: string };
  incidentReferenceLimit: number;
  methodItems: Array<{ id: string; value: string; text: string; checked: boolean }>;
  reasonItems: Array<{ value: string; text: string; selected: boolean }>;
}

export function presentLookupForm(input: LookupInput, errors: LookupErrors = {}): LookupFormView {
  return {
    title: Object.keys(errors).length ? 'Error: Look up a child' : 'Look up a child',
    errorList: errorList(errors, fields, { dateOfBirth: 'dob-day' }),
    errorMessages: errorMessages(errors, fields),
    values: { nhsNumber: input.nhsNumber, surname: input.surname, day: input.day, month: input.month, year: input.year, postcode: input.postcode, incidentReference: input.incidentReference ?? '' },
    incidentReferenceLimit: INCIDENT_REFERENCE_LIMIT,
    methodItems: [
      { id: 'method', value: 'nhs', text: 'By NHS number', checked: input.method === 'nhs' },
      { id: 'method-details', value: 'details', text: 'By last name, date of birth and postcode', checked: input.method === 'details' },
    ],
    reasonItems: [
      { value: '', text: 'Choose a reason', selected: false },
      ...lookupReasons.map((reason) => ({ value: reason, text: reason, selected: reason === input.reason })),
    ],
  };
}

/** The lookup as it was checked: what the route passes on to the result. */
export interface CheckedLookupView {
  query: { nhsNumber: string } | { surname: string; dateOfBirth: string; postcode: string };
  reason: string;
  incidentReference: string | null;
}

export interface LookupResultView {
  title: string;
  /** "Record found", "No record found" or "More than one record matches": the heading's caption where there is a heading below it. */
  outcome: string;
  /** What was found about whom, in the words of fields the role may see; null where nothing was found. */
  heading: string | null;
  /** The identifiers that matched (found), or that were looked up (not found), as typed. */
  lookedUp: Array<{ key: { text: string }; value: { text: string } }>;
  child: ChildFieldsView | null;
  several: boolean;
  reason: string;
  incidentReference: string | null;
  canRaiseConcern: boolean;
  /** The lookup's fields, as named on the lookup form, for the hand-off to /concerns/from-lookup. */
  handOff: Array<{ name: string; value: string }>;
}

/** An NHS number as people read it: 999 925 5272. */
export const spacedNhsNumber = (digits: string) => digits.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3');

/** The statuses released to this role, most serious first; the CP-IS set never says "child in need". */
function releasedStatuses(child: ReleasedChild): ChildStatus[] {
  const open = childStatusOrder.filter((kind) => (child.openKinds ?? []).includes(kind));
  if (child.fields.includes('legalStatus')) return open;
  if (child.fields.includes('cpisStatus')) return open.filter((kind) => kind !== 'child_in_need');
  return [];
}

/** Since when, from the released date that goes with the released status. */
function releasedSince(child: ReleasedChild): string | null {
  if (child.fields.includes('legalStatus')) return child.fields.includes('involvementStartDate') ? formatDate(child.involvementStartDate) : null;
  if (child.fields.includes('cpisStartDate')) return formatDate([child.cpStartDate, child.lookedAfterStartDate].filter(Boolean).sort()[0]);
  return null;
}

const released = (child: ReleasedChild, field: ChildField) => child.fields.includes(field);

/**
 * "Ava Farah, NHS number 999 925 5272: on a child protection plan since 4 January 2026". The
 * name only where the role may see it; otherwise the identifiers typed, which matched. Nothing
 * else of the record: a withheld postcode, say, is never in it.
 */
function headingFor(child: ReleasedChild, query: CheckedLookupView['query']): string {
  const name = [released(child, 'forename') ? child.forename : null, released(child, 'surname') ? child.surname : null].filter(Boolean).join(' ');
  const who = 'nhsNumber' in query
    ? [name, `NHS number ${spacedNhsNumber(query.nhsNumber)}`]
    : [name || `Last name ${query.surname}`, `born ${formatDate(query.dateOfBirth)}`];
  const statuses = releasedStatuses(child);
  const since = releasedSince(child);
  const what = statuses.length
    ? `${statuses.map((kind) => childStatusPhrases[kind]).join(' and ')}${since ? ` since ${since}` : ''}`
    : 'record found';
  return `${who.filter(Boolean).join(', ')}: ${what}`;
}

/**
 * The identifiers to echo. Found: those that matched (a postcode only where the role may see
 * the child's postcode: a withheld one plays no part in matching, and saying whether it did
 * would give it away). Not found: everything typed, so a mistyped number can be spotted.
 */
function lookedUpRows(child: ReleasedChild | undefined, input: LookupInput, query: CheckedLookupView['query']) {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  if ('nhsNumber' in query) return [row('NHS number', spacedNhsNumber(query.nhsNumber))];
  const rows = [row('Last name', query.surname), row('Date of birth', formatDate(query.dateOfBirth) ?? '')];
  if (!child) rows.push(row('Postcode', input.postcode.trim()));
  else if (released(child, 'postcode') && child.postcode) rows.push(row('Postcode', String(child.postcode)));
  return rows;
}

export function presentLookupResult(
  child: ReleasedChild | undefined, several: boolean, input: LookupInput, checked: CheckedLookupView, canRaiseConcern: boolean,
): LookupResultView {
  const outcome = child ? 'Record found' : several ? 'More than one record matches' : 'No record found';
  const heading = child ? headingFor(child, checked.query) : null;
  return {
    // The heading names the child; the title (kept in browser history) does not.
    title: outcome,
    outcome,
    heading,
    lookedUp: lookedUpRows(child, input, checked.query),
    child: child ? presentChildFields(child) : null,
    several,
    reason: checked.reason,
    incidentReference: checked.incidentReference,
    canRaiseConcern,
    handOff: [
      { name: 'method', value: input.method },
      { name: 'nhsNumber', value: input.nhsNumber },
      { name: 'surname', value: input.surname },
      { name: 'dob-day', value: input.day },
      { name: 'dob-month', value: input.month },
      { name: 'dob-year', value: input.year },
      { name: 'postcode', value: input.postcode },
      { name: 'reason', value: input.reason },
      { name: 'incidentReference', value: input.incidentReference ?? '' },
    ],
  };
}

/**
 * The page for a lookup refused by the per-person limit: when to try again. Whom to phone now
 * comes from the council-contacts middleware (it.contacts), as on every refusal page.
 */
export function presentTooManyLookups(retryAfterSeconds: number) {
  return {
    title: 'You have looked up too many children',
    minutes: Math.ceil(retryAfterSeconds / 60),
  };
}
