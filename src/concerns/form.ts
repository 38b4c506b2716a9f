// Reads and checks the concern form. Every answer is kept as typed (normalised as every
// submitted text is: src/validation/text.ts), so a page with errors shows it again; messages
// follow the GOV.UK Design System's wording. The check page and the send use the same
// checkConcern, so a concern that reached "check your answers" can always be sent.
import { checkNhsNumber, nhsNumberMessages } from '../identifiers/nhs-number.ts';
import { checkUpn, upnMessages } from '../identifiers/upn.ts';
import { concernCategories, isConcernCategory, type ConcernCategory } from './categories.ts';
import { checkDate } from '../web/date-input.ts';
import { dateRanges } from '../validation/dates.ts';
import { isUuid } from '../validation/ids.ts';
import { normaliseText, textProblem } from '../validation/text.ts';

/** The longest free text a concern or a decision on one takes (a page of writing and more), in characters. */
export const TEXT_LIMIT = 5000;
const SHORT_LIMIT = 200;

export const answerNames = [
  'idempotencyKey', 'childId',
  'childForename', 'childSurname', 'dob-day', 'dob-month', 'dob-year', 'childNhsNumber', 'childUpn', 'childAddress', 'childPostcode',
  'categories', 'category', 'whatHappened', 'when-day', 'when-month', 'when-year', 'childWords', 'immediateRisk', 'actionsTaken',
  'parentsAware', 'parentsNotAwareReason', 'referrerPhone', 'referrerEmail',
] as const;
export type AnswerName = (typeof answerNames)[number];
/**
 * The answers as typed. `categories` is every kind of concern ticked (checkboxes), kept as one
 * comma-separated list of kinds; `category` is the main kind (a radio). A draft (./drafts.ts)
 * is this object.
 */
export type Answers = Record<AnswerName, string>;

/** A field's value: the last one sent when a name is repeated, as a browser's form would mean it. */
const single = (value: unknown) => (Array.isArray(value) ? value[value.length - 1] : value);

/** The kinds ticked, each once, in the list's order; anything not a kind is dropped (the boxes hold no text). */
export function kindsTicked(categories: string): string[] {
  const ticked = categories.split(',');
  return Object.keys(concernCategories).filter((kind) => ticked.includes(kind));
}

/**
 * The form's fields as typed, normalised (strings only). Nothing is cut short: the body limit
 * bounds them, and an answer too long is shown again whole with a message, not truncated.
 * `body` is parsed with `{ all: true }`, so the ticked kinds arrive as a list (from the boxes)
 * or as one comma-separated field (carried by the check page).
 */
export function readAnswers(body: Record<string, unknown>): Answers {
  const answers = {} as Answers;
  for (const name of answerNames) answers[name] = normaliseText(single(body[name]));
  const sent = body.categories === undefined ? [] : [body.categories].flat().map((value) => normaliseText(value));
  answers.categories = kindsTicked(sent.join(',')).join(',');
  return answers;
}

/** Answers as a draft kept them: the same shape, whatever the stored JSON holds. */
export function answersFrom(stored: unknown): Answers {
  const object = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  return readAnswers(object);
}

/**
 * A UK phone number, optionally with an extension: 101, 101 ext 4455, 01632 960 001 extension 12,
 * +44 1632 960001 x4455, 07700 900 982, (01632) 960001. Spaces, hyphens and brackets are
 * allowed anywhere in the number. Also a number abroad in international form (+353 1 234 5678).
 */
export function isPhoneNumber(typed: string): boolean {
  const match = /^(.*?)(?:\s*(?:,|;)?\s*(?:ext\.?|extn\.?|extension|x|#)\s*(\d{1,6}))?$/i.exec(typed.trim());
  if (!match) return false;
  const number = match[1]!.trim();
  if (!/^\+?[0-9\s()-]+$/.test(number)) return false;
  const digits = number.replace(/[\s()-]/g, '');
  // The UK's short numbers a partner may be reached on (police 101, NHS 111, power cut 105,
  // operator 100, 112 and 999), and the 116 and 118 services.
  if (/^(10[015]|11[12]|999|11[68]\d{3})$/.test(digits)) return true;
  // National: 0 then 9 or 10 digits. +44: the same without the 0, written +44 (0)… as well.
  if (/^0\d{9,10}$/.test(digits)) return true;
  if (digits.startsWith('+44')) return /^0?[1-9]\d{8,9}$/.test(digits.slice(3));
  // Abroad: + and a country code, 8 to 15 digits in all (E.164).
  return /^\+[1-9]\d{7,14}$/.test(digits);
}

export interface CheckedConcern {
  idempotencyKey: string;
  childId: string | null;
  child: { forename: string | null; surname: string | null; dateOfBirth: string | null; nhsNumber: string | null; upn: string | null; address: string | null; postcode: string | null };
  /** The main kind of concern: the one the CIN census and the queue use. */
  category: ConcernCategory;
  /** The other kinds ticked besides the main one, in the list's order (absent: none). */
  otherCategories?: ConcernCategory[];
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
  /** Text that cannot be stored (control or unreadable characters, too long), unless the field has a message already. */
  const storable = (name: AnswerName, label: string, limit = TEXT_LIMIT) => {
    const problem = textProblem(label, answers[name], limit);
    if (problem && !errors[name]) errors[name] = problem;
  };
  if (!isUuid(answers.idempotencyKey)) errors.form = 'This form has expired. Start again from the beginning';
  if (options.childKnown && !isUuid(answers.childId)) errors.form = 'This form has expired. Start again from the beginning';

  let dateOfBirth: string | null = null;
  let nhsNumber: string | null = null;
  let upn: string | null = null;
  if (!options.childKnown) {
    storable('childForename', 'First name', SHORT_LIMIT);
    storable('childSurname', 'Last name', SHORT_LIMIT);
    if (!answers.childForename.trim() && !answers.childSurname.trim()) errors.childForename = 'Enter the child’s first name or last name, if you know them';
    const dob = checkDate(answers['dob-day'], answers['dob-month'], answers['dob-year'], 'the child’s date of birth', false, dateRanges.childDateOfBirth);
    if (dob.error) errors.dob = dob.error;
    dateOfBirth = dob.date;
    if (answers.childNhsNumber.trim()) {
      const nhs = checkNhsNumber(answers.childNhsNumber);
      if (nhs.ok) nhsNumber = nhs.value;
      else errors.childNhsNumber = textProblem('NHS number', answers.childNhsNumber) ?? nhsNumberMessages[nhs.problem];
    }
    if (answers.childUpn.trim()) {
      const checked = checkUpn(answers.childUpn);
      if (checked.ok) upn = checked.value;
      else errors.childUpn = textProblem('UPN', answers.childUpn) ?? upnMessages[checked.problem];
    }
    storable('childAddress', 'Address', SHORT_LIMIT);
    storable('childPostcode', 'Postcode', 10);
  }

  // Several kinds, one of them the main one. With one kind ticked, it is the main one; a form
  // that sends only the main kind (`category`) has that kind.
  const ticked = kindsTicked(answers.categories);
  const kinds = ticked.length ? ticked : isConcernCategory(answers.category) ? [answers.category] : [];
  const main = kinds.length === 1 ? kinds[0]! : answers.category;
  if (kinds.length === 0) errors.categories = 'Select the kind of concern';
  else if (!isConcernCategory(main) || !kinds.includes(main)) {
    errors.category = 'Select which of the kinds you selected is the main concern';
  }
  storable('whatHappened', 'What happened');
  if (!answers.whatHappened.trim()) errors.whatHappened = 'Describe what you saw, heard or were told';
  const when = checkDate(answers['when-day'], answers['when-month'], answers['when-year'], 'when it happened', true, dateRanges.event);
  if (when.error) errors.when = when.error;
  storable('childWords', 'The child’s own words');
  if (answers.immediateRisk !== 'yes' && answers.immediateRisk !== 'no') errors.immediateRisk = 'Select yes if the child is at immediate risk of harm';
  storable('actionsTaken', 'Actions already taken');
  if (answers.parentsAware !== 'yes' && answers.parentsAware !== 'no') errors.parentsAware = 'Select yes if the child’s parents or carers know you are raising this concern';
  storable('parentsNotAwareReason', 'The reason');
  if (answers.parentsAware === 'no' && !answers.parentsNotAwareReason.trim()) errors.parentsNotAwareReason = 'Say why the parents or carers have not been told';
  storable('referrerPhone', 'Phone number', SHORT_LIMIT);
  if (!answers.referrerPhone.trim()) errors.referrerPhone = 'Enter a phone number the front door can call you on';
  else if (!errors.referrerPhone && !isPhoneNumber(answers.referrerPhone)) errors.referrerPhone = 'Enter a telephone number, like 01632 960 001, 07700 900 982 or 101 ext 4455';
  storable('referrerEmail', 'Email address', SHORT_LIMIT);
  if (!errors.referrerEmail && answers.referrerEmail.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(answers.referrerEmail.trim())) errors.referrerEmail = 'Enter an email address in the correct format, like name@example.com';

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
      category: main as ConcernCategory,
      otherCategories: kinds.filter((kind) => kind !== main) as ConcernCategory[],
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
