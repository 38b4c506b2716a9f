// Checks a lookup request: an NHS number, or surname + date of birth + postcode, and a reason
// from the list. Returns per-field messages (GOV.UK wording) and keeps what the user typed.
import { checkNhsNumber, nhsNumberMessages } from '../identifiers/nhs-number.ts';
import { isRealIsoDate } from '../validation/dates.ts';

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
}

export type LookupErrors = Partial<Record<'method' | 'nhsNumber' | 'surname' | 'dateOfBirth' | 'postcode' | 'reason', string>>;

export type CheckedLookup =
  | { ok: true; query: { nhsNumber: string } | { surname: string; dateOfBirth: string; postcode: string }; reason: string }
  | { ok: false; errors: LookupErrors };

const POSTCODE = /^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$/i;
const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).slice(0, 200) : '');

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
  };
}

function dateOfBirth(input: LookupInput): { date?: string; error?: string } {
  const [day, month, year] = [input.day, input.month, input.year].map((v) => v.trim());
  if (!day && !month && !year) return { error: 'Enter the child’s date of birth' };
  if (!day || !month || !year) return { error: 'Date of birth must include a day, month and year' };
  if (![day, month, year].every((v) => /^\d+$/.test(v)) || year.length !== 4) return { error: 'Date of birth must be a real date' };
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  if (!isRealIsoDate(date)) return { error: 'Date of birth must be a real date' };
  if (new Date(`${date}T00:00:00Z`).getTime() > Date.now()) return { error: 'Date of birth must be in the past' };
  return { date };
}

export function checkLookup(input: LookupInput): CheckedLookup {
  const errors: LookupErrors = {};
  if (!(lookupReasons as readonly string[]).includes(input.reason)) errors.reason = 'Select why you are looking this child up';
  if (input.method === 'nhs') {
    const nhs = checkNhsNumber(input.nhsNumber);
    if (!nhs.ok) errors.nhsNumber = nhsNumberMessages[nhs.problem];
    if (nhs.ok && !errors.reason) return { ok: true, query: { nhsNumber: nhs.value }, reason: input.reason };
  } else if (input.method === 'details') {
    const surname = input.surname.trim();
    if (!surname) errors.surname = 'Enter the child’s last name';
    const dob = dateOfBirth(input);
    if (dob.error) errors.dateOfBirth = dob.error;
    const postcode = input.postcode.trim();
    if (!postcode) errors.postcode = 'Enter the child’s postcode';
    else if (!POSTCODE.test(postcode)) errors.postcode = 'Enter a real postcode';
    if (Object.keys(errors).length === 0) return { ok: true, query: { surname, dateOfBirth: dob.date!, postcode }, reason: input.reason };
  } else {
    errors.method = 'Select how you want to find the child';
  }
  return { ok: false, errors };
}
