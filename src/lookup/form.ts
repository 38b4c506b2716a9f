// Checks a lookup request: an NHS number, or surname + date of birth + postcode, a reason
// from the list, and optionally the emergency department's attendance number or the police
// incident number (stored with the lookup's access-log entry for the child's social worker). Returns per-field messages (GOV.UK wording) and keeps what the user typed
// (normalised as every submitted text is: src/validation/text.ts).
import { checkNhsNumber, nhsNumberMessages } from '../identifiers/nhs-number.ts';
import { dateRanges } from '../validation/dates.ts';
import { normaliseText, textProblem } from '../validation/text.ts';
import { checkDate } from '../web/date-input.ts';

export const lookupReasons = [
  'Child attending the emergency department',
  'Child admitted to hospital',
  'Safeguarding concern during treatment',
  'Child found in a police protection or welfare check',
  'Domestic abuse incident where a child is present',
  'Missing child enquiry',
  'Other safeguarding enquiry',
] as const;

export interface LookupInput {
  method: string;
  nhsNumber: string;
  surname: string;
  day: string;
  month: string;
  year: string;
  postcode: string;
  reason: string;
  /** Optional on the form (and absent from the home page's copy of it). */
  incidentReference?: string;
}

export type LookupErrors = Partial<Record<'method' | 'nhsNumber' | 'surname' | 'dateOfBirth' | 'postcode' | 'reason' | 'incidentReference', string>>;

export type CheckedLookup =
  | { ok: true; query: { nhsNumber: string } | { surname: string; dateOfBirth: string; postcode: string }; reason: string; incidentReference: string | null }
  | { ok: false; errors: LookupErrors };

const POSTCODE = /^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$/i;
/** The longest last name a lookup takes, in characters. */
const SURNAME_LIMIT = 200;
/** The longest incident or attendance number, in characters (migrations/018 checks the same). */
export const INCIDENT_REFERENCE_LIMIT = 40;
/** A field as typed and normalised; not cut short (the body limit bounds it), so the page shows it again whole. */
const field = (form: Record<string, unknown>, name: string) => normaliseText(form[name]);

export function readLookupForm(form: Record<string, unknown>): LookupInput {
  return {
    method: field(form, 'method'),
    nhsNumber: field(form, 'nhsNumber'),
    surname: field(form, 'surname'),
    day: field(form, 'dob-day'),
    month: field(form, 'dob-month'),
    year: field(form, 'dob-year'),
    postcode: field(form, 'postcode'),
    reason: field(form, 'reason'),
    incidentReference: field(form, 'incidentReference'),
  };
}

/** The date of birth boxes, checked as every date input is, against a child's date of birth's range. */
const dateOfBirth = (input: LookupInput) => checkDate(input.day, input.month, input.year, 'the child’s date of birth', true, dateRanges.childDateOfBirth);

export function checkLookup(input: LookupInput): CheckedLookup {
  const errors: LookupErrors = {};
  if (!(lookupReasons as readonly string[]).includes(input.reason)) errors.reason = 'Select why you are looking this child up';
  // Optional: empty is no reference. Any text that can be stored, within the limit.
  const typedReference = input.incidentReference ?? '';
  const incidentProblem = textProblem('Incident or attendance number', typedReference, INCIDENT_REFERENCE_LIMIT)
    ?? (/[\t\n]/.test(typedReference.trim()) ? 'Incident or attendance number must be on one line' : undefined);
  if (incidentProblem) errors.incidentReference = incidentProblem;
  const incidentReference = typedReference.trim() || null;
  if (input.method === 'nhs') {
    const nhs = checkNhsNumber(input.nhsNumber);
    if (!nhs.ok) errors.nhsNumber = textProblem('NHS number', input.nhsNumber) ?? nhsNumberMessages[nhs.problem];
    if (nhs.ok && !errors.reason && !errors.incidentReference) return { ok: true, query: { nhsNumber: nhs.value }, reason: input.reason, incidentReference };
  } else if (input.method === 'details') {
    const surname = input.surname.trim();
    const problem = textProblem('Last name', input.surname, SURNAME_LIMIT);
    if (problem) errors.surname = problem;
    else if (!surname) errors.surname = 'Enter the child’s last name';
    const dob = dateOfBirth(input);
    if (dob.error) errors.dateOfBirth = dob.error;
    const postcode = input.postcode.trim();
    const postcodeProblem = textProblem('Postcode', input.postcode);
    if (postcodeProblem) errors.postcode = postcodeProblem;
    else if (!postcode) errors.postcode = 'Enter the child’s postcode';
    else if (!POSTCODE.test(postcode)) errors.postcode = 'Enter a real postcode';
    if (Object.keys(errors).length === 0) return { ok: true, query: { surname, dateOfBirth: dob.date!, postcode }, reason: input.reason, incidentReference };
  } else {
    errors.method = 'Select how you want to find the child';
  }
  return { ok: false, errors };
}
