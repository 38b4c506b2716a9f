// The lookup pages' view models: the form (views/lookup/form.eta) with its error summary, the
// method radios and the reason select; and the result (views/lookup/result.eta) with only the
// fields the policy releases for a lookup (src/children/summary.ts).
import type { ReleasedChild } from '../access/index.ts';
import { presentChildFields, type ChildFieldsView } from '../children/summary.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { lookupReasons, type LookupErrors, type LookupInput } from './form.ts';

const fields = ['method', 'nhsNumber', 'surname', 'dateOfBirth', 'postcode', 'reason'] as const;

export interface LookupFormView {
  title: string;
  errorList: ErrorSummaryItem[];
  errorMessages: Record<(typeof fields)[number], ErrorMessage>;
  values: { nhsNumber: string; surname: string; day: string; month: string; year: string; postcode: string };
  methodItems: Array<{ id: string; value: string; text: string; checked: boolean }>;
  reasonItems: Array<{ value: string; text: string; selected: boolean }>;
}

export function presentLookupForm(input: LookupInput, errors: LookupErrors = {}): LookupFormView {
  return {
    title: Object.keys(errors).length ? 'Error: Look up a child' : 'Look up a child',
    errorList: errorList(errors, fields, { dateOfBirth: 'dob-day' }),
    errorMessages: errorMessages(errors, fields),
    values: { nhsNumber: input.nhsNumber, surname: input.surname, day: input.day, month: input.month, year: input.year, postcode: input.postcode },
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

export interface LookupResultView {
  title: string;
  child: ChildFieldsView | null;
  several: boolean;
  reason: string;
  canRaiseConcern: boolean;
}

export function presentLookupResult(child: ReleasedChild | undefined, several: boolean, reason: string, canRaiseConcern: boolean): LookupResultView {
  return {
    title: child ? 'Record found' : several ? 'More than one record matches' : 'No record found',
    child: child ? presentChildFields(child) : null,
    several,
    reason,
    canRaiseConcern,
  };
}

/** The page for a lookup refused by the per-person limit: when to try again, and whom to phone now. */
export function presentTooManyLookups(retryAfterSeconds: number, contact: { name: string; phone: string | null } | undefined) {
  return {
    title: 'You have looked up too many children',
    minutes: Math.ceil(retryAfterSeconds / 60),
    frontDoor: contact?.phone ? { council: contact.name, phone: contact.phone, tel: contact.phone.replace(/\s+/g, '') } : null,
  };
}
