// Reads and checks the concern form, as the version of it the answers were given on says
// (forms/concern/<version>.yaml, checked by src/forms/check.ts). Every answer is kept as typed
// (normalised as every submitted text is: src/validation/text.ts), so a page with errors shows
// it again; messages are the form file's, in the GOV.UK Design System's wording. The check page
// and the send use the same checkConcern, so a concern that reached "check your answers" can
// always be sent.
import { checkForm, type StoredValue } from '../forms/check.ts';
import type { FormCatalogue, FormDefinition } from '../forms/load.ts';
import { addedQuestions, versionsOf } from '../forms/versions.ts';
import { isUuid } from '../validation/ids.ts';
import { normaliseText } from '../validation/text.ts';
import type { ConcernCategory } from './categories.ts';

export { isPhoneNumber } from '../forms/check.ts';

/** The longest free text a concern or a decision on one takes (a page of writing and more), in characters. */
export const TEXT_LIMIT = 5000;

export const answerNames = [
  'idempotencyKey', 'childId', 'formVersion',
  'childForename', 'childSurname', 'dob-day', 'dob-month', 'dob-year', 'childNhsNumber', 'childUpn', 'childAddress', 'childPostcode',
  'categories', 'category', 'whatHappened', 'when-day', 'when-month', 'when-year', 'childWords', 'immediateRisk', 'actionsTaken',
  'parentsAware', 'parentsNotAwareReason', 'referrerPhone', 'referrerEmail',
] as const;
export type AnswerName = (typeof answerNames)[number];
/**
 * The answers as typed. `categories` is every kind of concern ticked (checkboxes), kept as one
 * comma-separated list of kinds; `category` is the main kind (a radio); `formVersion` the
 * version of the form they were given on. Answers to questions a council added (no column of
 * their own) are kept by their names beside these. A draft (./drafts.ts) is this object.
 */
export type Answers = Record<AnswerName, string> & Record<string, string>;

/** A field's value: the last one sent when a name is repeated, as a browser's form would mean it. */
const single = (value: unknown) => (Array.isArray(value) ? value[value.length - 1] : value);

/** The kinds ticked, each once, in the list's order; anything not a kind is dropped (the boxes hold no text). */
export function kindsTicked(categories: string, definition: FormDefinition): string[] {
  const ticked = categories.split(',');
  return (definition.categories ?? []).map((category) => category.value).filter((kind) => ticked.includes(kind));
}

/** An added question's name is letters and digits (src/forms/schema.ts), never one of the built-in answers. */
const ADDED_NAME = /^[a-z][a-zA-Z0-9]{0,63}$/;

/**
 * The form's fields as typed, normalised (strings only), with the answers to the added questions
 * named (`extraNames`: every version's, as the form may be any of them). Nothing is cut short:
 * the body limit bounds them, and an answer too long is shown again whole with a message, not
 * truncated. `body` is parsed with `{ all: true }`, so the ticked kinds arrive as a list (from
 * the boxes) or as one comma-separated field (carried by the check page).
 */
export function readAnswers(body: Record<string, unknown>, extraNames: readonly string[] = []): Answers {
  const answers = {} as Answers;
  for (const name of answerNames) answers[name] = normaliseText(single(body[name]));
  for (const name of extraNames) {
    if (ADDED_NAME.test(name) && !(answerNames as readonly string[]).includes(name) && body[name] !== undefined) answers[name] = normaliseText(single(body[name]));
  }
  const sent = body.categories === undefined ? [] : [body.categories].flat().map((value) => normaliseText(value));
  // Kept as ticked (the version's kinds are checked when the answers are): only real words, each once.
  answers.categories = [...new Set(sent.join(',').split(',').filter((kind) => /^[a-z0-9_]{1,64}$/.test(kind)))].join(',');
  return answers;
}

/** The names of every version's added questions: the answers a posted concern form may carry besides the built-in ones. */
export function addedAnswerNames(forms: FormCatalogue): string[] {
  return [...new Set(versionsOf(forms, 'concern').flatMap((version) => addedQuestions(version).map((question) => question.name)))];
}

/** Answers as a draft kept them: the same shape, whatever the stored JSON holds (added answers included). */
export function answersFrom(stored: unknown): Answers {
  const object = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const extras = Object.keys(object).filter((name) => ADDED_NAME.test(name) && typeof object[name] === 'string');
  return readAnswers(object, extras);
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
  /** The version of the concern form it was made with (absent: version 1). */
  formVersion?: number;
  /** The answers to the questions the council added, by name (absent: none answered). */
  extraAnswers?: Record<string, string>;
}

export type ConcernErrors = Partial<Record<string, string>>;

/** A stored value as text: a date, a choice, text (never a list: added questions are not checkboxes of several). */
const asText = (value: StoredValue | undefined): string | null => (value === undefined || value === null ? null : Array.isArray(value) ? value.join(',') : value);

export function checkConcern(answers: Answers, options: { childKnown: boolean; form: FormDefinition; now?: Date }): { ok: true; concern: CheckedConcern } | { ok: false; errors: ConcernErrors } {
  const { form } = options;
  const { errors, values } = checkForm(form, answers, { childKnown: options.childKnown, now: options.now });
  if (!isUuid(answers.idempotencyKey)) errors.form = 'This form has expired. Start again from the beginning';
  if (options.childKnown && !isUuid(answers.childId)) errors.form = 'This form has expired. Start again from the beginning';
  const questions = addedQuestions(form);
  /** A stored value by the column it goes in (the form file says which question that is). */
  const column = (name: string): StoredValue | undefined => {
    for (const page of form.pages) for (const section of page.sections) {
      const walk = (list: typeof section.questions): StoredValue | undefined => {
        for (const question of list) {
          if (question.column === name) return values[question.name];
          for (const option of question.options ?? []) {
            const found = option.reveal && walk(option.reveal);
            if (found !== undefined) return found;
          }
        }
        return undefined;
      };
      const found = walk(section.questions);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  // Several kinds, one of them the main one. With one kind ticked, it is the main one; a form
  // that sends only the main kind (`category`) has that kind.
  const kindsQuestion = form.pages.flatMap((page) => page.sections.flatMap((section) => section.questions)).find((question) => question.column === 'category');
  const ticked = kindsTicked(answers.categories, form);
  const offered = (form.categories ?? []).map((category) => category.value);
  const kinds = ticked.length ? ticked : offered.includes(answers.category) ? [answers.category] : [];
  const main = kinds.length === 1 ? kinds[0]! : answers.category;
  if (kindsQuestion) {
    delete errors[kindsQuestion.name];
    if (kinds.length === 0) errors[kindsQuestion.name] = kindsQuestion.required_message ?? 'Select the kind of concern';
    else if (!kinds.includes(main) && kindsQuestion.main_question) errors[kindsQuestion.main_question.name] = kindsQuestion.main_question.message;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const text = (name: string) => asText(column(name));
  const extraAnswers = Object.fromEntries(questions.flatMap((question) => {
    const value = asText(values[question.name]);
    return value === null ? [] : [[question.name, value]];
  }));
  return {
    ok: true,
    concern: {
      idempotencyKey: answers.idempotencyKey.toLowerCase(),
      childId: options.childKnown ? answers.childId.toLowerCase() : null,
      child: {
        forename: options.childKnown ? null : text('childForename'),
        surname: options.childKnown ? null : text('childSurname'),
        dateOfBirth: options.childKnown ? null : text('childDateOfBirth'),
        nhsNumber: options.childKnown ? null : text('childNhsNumber'),
        upn: options.childKnown ? null : text('childUpn'),
        address: options.childKnown ? null : text('childAddress'),
        postcode: options.childKnown ? null : text('childPostcode')?.toUpperCase() ?? null,
      },
      category: main as ConcernCategory,
      otherCategories: kinds.filter((kind) => kind !== main) as ConcernCategory[],
      whatHappened: text('whatHappened') ?? '',
      happenedOn: text('happenedOn') ?? '',
      childWords: text('childWords'),
      immediateRisk: text('immediateRisk') === 'yes',
      actionsTaken: text('actionsTaken'),
      parentsAware: text('parentsAware') === 'yes',
      parentsNotAwareReason: text('parentsAware') === 'no' ? text('parentsNotAwareReason') : null,
      referrerPhone: text('referrerPhone') ?? '',
      referrerEmail: text('referrerEmail'),
      ...(form.version !== 1 ? { formVersion: form.version } : {}),
      ...(Object.keys(extraAnswers).length ? { extraAnswers } : {}),
    },
  };
}
