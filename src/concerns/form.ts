// Reads and checks the concern form. Every answer is kept exactly as typed, so a page with
// errors shows it again; messages follow the GOV.UK Design System's wording.
import { checkNhsNumber, nhsNumberMessages } from '../identifiers/nhs-number.ts';
import { checkUpn, upnMessages } from '../identifiers/upn.ts';
import { isConcernCategory, type ConcernCategory } from './categories.ts';
import { checkDate } from '../web/date-input.ts';
import { isUuid } from '../validation/ids.ts';

/** The longest free text a concern or a decision on one takes (a page of writing and more). */
export const TEXT_LIMIT = 5000;
const SHORT_LIMIT = 200;

export const answerNames = [
  'idempotencyKey', 'childId',
  'childForename', 'childSurname', 'dob-day', 'dob-month', 'dob-year', 'childNhsNumber', 'childUpn', 'childAddress', 'childPostcode',
  'category', 'whatHappened', 'when-day', 'when-month', 'when-year', 'childWords', 'immediateRisk', 'actionsTaken',
  'parentsAware', 'parentsNotAwareReason', 'referrerPhone', 'referrerEmail',
] as const;
export type AnswerName = (typeof answerNames)[number];
export type Answers = Record<AnswerName, string>;

/** The form's fields as typed (strings only, each cut to a sane length). */
export function readAnswers(body: Record<string, unknown>): Answers {
  const answers = {} as Answers;
  for (const name of answerNames) {
    const value = body[name];
    answers[name] = typeof value === 'string' ? value.slice(0, TEXT_LIMIT + 1) : '';
  }
  return answers;
}

export interface CheckedConcern {
  idempotencyKey: string;
  childId: string | null;
  child: { forename: string | null; surname: string | null; dateOfBirth: string | null; nhsNumber: string | null; upn: string | null; address: string | null; postcode: string | null };
  category: ConcernCategory;
  whatHappened: string;
  happenedOn: string;
  childWords: string | null;
  immediateRisk: boolean;
  actionsTaken: string | null;
  parentsAware: boolean;
  parentsNotAwareReason: string | null;
  referrerPhone: string;
  referrerEmail: string | null;
}

export type ConcernErrors = Partial<Record<string, string>>;

const optional = (value: string) => (value.trim() === '' ? null : value.trim());

export function checkConcern(answers: Answers, options: { childKnown: boolean }): { ok: true; concern: CheckedConcern } | { ok: false; errors: ConcernErrors } {
  const errors: ConcernErrors = {};
  const tooLong = (name: AnswerName, label: string, limit = TEXT_LIMIT) => {
    if (answers[name].length > limit) errors[name] = `${label} must be ${limit.toLocaleString('en-GB')} characters or fewer`;
  };
  if (!isUuid(answers.idempotencyKey)) errors.form = 'This form has expired. Start again from the beginning';
  if (options.childKnown && !isUuid(answers.childId)) errors.form = 'This form has expired. Start again from the beginning';

  let dateOfBirth: string | null = null;
  let nhsNumber: string | null = null;
  let upn: string | null = null;
  if (!options.childKnown) {
    if (!answers.childForename.trim() && !answers.childSurname.trim()) errors.childForename = 'Enter the child’s first name or last name, if you know them';
    tooLong('childForename', 'First name', SHORT_LIMIT);
    tooLong('childSurname', 'Last name', SHORT_LIMIT);
    const dob = checkDate(answers['dob-day'], answers['dob-month'], answers['dob-year'], 'the child’s date of birth', false);
    if (dob.error) errors.dob = dob.error;
    dateOfBirth = dob.date;
    if (answers.childNhsNumber.trim()) {
      const nhs = checkNhsNumber(answers.childNhsNumber);
      if (nhs.ok) nhsNumber = nhs.value;
      else errors.childNhsNumber = nhsNumberMessages[nhs.problem];
    }
    if (answers.childUpn.trim()) {
      const checked = checkUpn(answers.childUpn);
      if (checked.ok) upn = checked.value;
      else errors.childUpn = upnMessages[checked.problem];
    }
    tooLong('childAddress', 'Address', SHORT_LIMIT);
    tooLong('childPostcode', 'Postcode', 10);
  }

  if (!isConcernCategory(answers.category)) errors.category = 'Select the kind of concern';
  if (!answers.whatHappened.trim()) errors.whatHappened = 'Describe what you saw, heard or were told';
  tooLong('whatHappened', 'What happened');
  const when = checkDate(answers['when-day'], answers['when-month'], answers['when-year'], 'when it happened', true);
  if (when.error) errors.when = when.error;
  tooLong('childWords', 'The child’s own words');
  if (answers.immediateRisk !== 'yes' && answers.immediateRisk !== 'no') errors.immediateRisk = 'Select yes if the child is at immediate risk of harm';
  tooLong('actionsTaken', 'Actions already taken');
  if (answers.parentsAware !== 'yes' && answers.parentsAware !== 'no') errors.parentsAware = 'Select yes if the child’s parents or carers know you are raising this concern';
  if (answers.parentsAware === 'no' && !answers.parentsNotAwareReason.trim()) errors.parentsNotAwareReason = 'Say why the parents or carers have not been told';
  tooLong('parentsNotAwareReason', 'The reason');
  if (!answers.referrerPhone.trim()) errors.referrerPhone = 'Enter a phone number the front door can call you on';
  else if (!/^[0-9+()\s-]{7,20}$/.test(answers.referrerPhone.trim())) errors.referrerPhone = 'Enter a telephone number, like 01632 960 001 or 07700 900 982';
  if (answers.referrerEmail.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(answers.referrerEmail.trim())) errors.referrerEmail = 'Enter an email address in the correct format, like name@example.com';
  tooLong('referrerEmail', 'Email address', SHORT_LIMIT);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    concern: {
      idempotencyKey: answers.idempotencyKey.toLowerCase(),
      childId: options.childKnown ? answers.childId.toLowerCase() : null,
      child: {
        forename: options.childKnown ? null : optional(answers.childForename),
        surname: options.childKnown ? null : optional(answers.childSurname),
        dateOfBirth,
        nhsNumber,
        upn,
        address: options.childKnown ? null : optional(answers.childAddress),
        postcode: options.childKnown ? null : optional(answers.childPostcode)?.toUpperCase() ?? null,
      },
      category: answers.category as ConcernCategory,
      whatHappened: answers.whatHappened.trim(),
      happenedOn: when.date!,
      childWords: optional(answers.childWords),
      immediateRisk: answers.immediateRisk === 'yes',
      actionsTaken: optional(answers.actionsTaken),
      parentsAware: answers.parentsAware === 'yes',
      parentsNotAwareReason: answers.parentsAware === 'no' ? answers.parentsNotAwareReason.trim() : null,
      referrerPhone: answers.referrerPhone.trim(),
      referrerEmail: optional(answers.referrerEmail),
    },
  };
}
