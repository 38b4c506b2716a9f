// Checks the answers to one version of a form against its file's rules, with the portal's own
// validators (text that can be stored, dates in their range, NHS number, UPN, phone, e-mail).
// Returns a message by each field that has a problem, and each answer as it is stored: text
// trimmed (null when blank), a date as YYYY-MM-DD, an identifier normalised, a choice's value.
// A question revealed by an option (GOV.UK conditional reveal) is asked, and so checked, only
// when that option is chosen; a section asked only about a child not known is skipped for one who is.
import { checkNhsNumber, nhsNumberMessages } from '../identifiers/nhs-number.ts';
import { checkUpn, upnMessages } from '../identifiers/upn.ts';
import { dateRanges } from '../validation/dates.ts';
import { textProblem } from '../validation/text.ts';
import { checkDate } from '../web/date-input.ts';
import type { FormDefinition } from './load.ts';
import type { Format, QuestionFile, SectionFile } from './schema.ts';

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

const POSTCODE = /^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$/i;

/** A format's check: the stored value, or the message. */
function checkFormat(format: Format, typed: string, question: QuestionFile): { value: string } | { message: string } {
  const other = question.format_message;
  switch (format) {
    case 'nhs-number': {
      const nhs = checkNhsNumber(typed);
      return nhs.ok ? { value: nhs.value } : { message: other ?? nhsNumberMessages[nhs.problem] };
    }
    case 'upn': {
      const upn = checkUpn(typed);
      return upn.ok ? { value: upn.value } : { message: other ?? upnMessages[upn.problem] };
    }
    case 'phone':
      return isPhoneNumber(typed) ? { value: typed.trim() } : { message: other ?? 'Enter a telephone number, like 01632 960 001, 07700 900 982 or 101 ext 4455' };
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(typed.trim()) ? { value: typed.trim() } : { message: other ?? 'Enter an email address in the correct format, like name@example.com' };
    case 'postcode':
      return POSTCODE.test(typed.trim()) ? { value: typed.trim().toUpperCase() } : { message: other ?? 'Enter a real postcode, like AB1 2CD' };
  }
}

export type StoredValue = string | string[] | null;

export interface FormCheck {
  errors: Record<string, string>;
  /** Every question asked, by name: its answer as stored. */
  values: Record<string, StoredValue>;
}

export interface CheckOptions {
  /** Skip the sections asked only about a child who is not known. */
  childKnown?: boolean;
  /** The values a `options_from: matches` question may take. */
  matches?: readonly string[];
  /** The values a `options_from: categories` question may take (default: the form's categories). */
  now?: Date;
}

/** Whether a section is asked, given what is known. */
/** Asked once in the form: a section repeated for each child is checked by its own form's code (src/encompass/form.ts). */
export const sectionAsked = (section: SectionFile, options: { childKnown?: boolean }) =>
  section.repeats === undefined && (section.asked !== 'child_unknown' || !options.childKnown);

const label = (question: QuestionFile) => question.message_label ?? question.summary_label ?? question.label;

/** The values a choice question may take. */
export function choiceValues(definition: FormDefinition, question: QuestionFile, matches: readonly string[] = []): string[] {
  if (question.options_from === 'categories') return (definition.categories ?? []).map((category) => category.value);
  if (question.options_from === 'matches') return [...matches];
  return (question.options ?? []).map((option) => option.value);
}

export function checkForm(definition: FormDefinition, answers: Readonly<Record<string, string | undefined>>, options: CheckOptions = {}): FormCheck {
  const errors: Record<string, string> = {};
  const values: Record<string, StoredValue> = {};
  const typed = (name: string) => answers[name] ?? '';

  const check = (question: QuestionFile) => {
    const { name } = question;
    const required = !question.optional;
    switch (question.component) {
      case 'input':
      case 'textarea': {
        const text = typed(name);
        const problem = textProblem(label(question), text, question.max_length);
        values[name] = null;
        if (problem) errors[name] = problem;
        else if (!text.trim()) {
          if (required) errors[name] = question.required_message!;
        } else if (question.format) {
          const checked = checkFormat(question.format, text, question);
          if ('message' in checked) errors[name] = checked.message;
          else values[name] = checked.value;
        } else values[name] = text.trim();
        break;
      }
      case 'date-input': {
        const { describe, range } = question.date!;
        const date = checkDate(typed(`${name}-day`), typed(`${name}-month`), typed(`${name}-year`), describe, required, dateRanges[range], options.now);
        values[name] = date.date;
        if (date.error) errors[name] = date.error;
        break;
      }
      case 'radios':
      case 'select': {
        const value = typed(name).trim();
        const allowed = choiceValues(definition, question, options.matches);
        values[name] = allowed.includes(value) ? value : null;
        if (values[name] === null && required) errors[name] = question.required_message!;
        // Revealed questions are asked (and checked) only under the option chosen.
        for (const option of question.options ?? []) {
          if (option.reveal && option.value === values[name]) option.reveal.forEach(check);
        }
        break;
      }
      case 'checkboxes': {
        const allowed = choiceValues(definition, question, options.matches);
        const ticked = typed(name).split(',');
        const chosen = allowed.filter((value) => ticked.includes(value));
        values[name] = chosen;
        if (!chosen.length && required) errors[name] = question.required_message!;
        break;
      }
    }
  };

  for (const page of definition.pages) {
    for (const section of page.sections) {
      if (!sectionAsked(section, options)) continue;
      section.questions.forEach(check);
      const rule = section.at_least_one;
      if (rule && rule.questions.every((name) => !typed(name).trim())) errors[rule.questions[0]!] = rule.message;
    }
  }
  return { errors, values };
}
