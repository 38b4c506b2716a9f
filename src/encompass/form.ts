// The officer's answers on /encompass/new (issue 14, point 1): read as typed, checked with a
// message by each field (GOV.UK wording), and kept as typed so nothing is lost. The questions
// asked once (the incident, whom to contact, any a council added) are checked as the version of
// forms/encompass they were given on says (src/forms/check.ts); what the file format cannot say
// is checked here: the time on the 24-hour clock and not in the future, a police reference on one
// line, and each child. Each child is a numbered group of fields (child-1-forename, …); "Add
// another child" adds a group. A group left wholly blank is no child. Nothing here touches the database.
import { checkNhsNumber, nhsNumberMessages } from '../identifiers/nhs-number.ts';
import { checkUpn, upnMessages } from '../identifiers/upn.ts';
import { instantAtLondonTime } from '../concerns/working-days.ts';
import { dateRanges } from '../validation/dates.ts';
import { normaliseText, textProblem } from '../validation/text.ts';
import { checkDate } from '../web/date-input.ts';
import type { LookupQuery } from '../access/index.ts';
import { checkForm, type StoredValue } from '../forms/check.ts';
import type { FormCatalogue, FormDefinition } from '../forms/load.ts';
import { addedQuestions, versionsOf } from '../forms/versions.ts';
import { sharedItems, type SharedItem } from './shared-items.ts';

/** The most children one notification may name (a household). */
export const MAX_CHILDREN = 20;
const SHORT_LIMIT = 200;
/** The account and each shared item: short and factual. Same limit as the database's checks. */
export const ACCOUNT_LIMIT = 5000;
export const WORDS_LIMIT = 5000;
const POSTCODE = /^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$/i;
const TIME = /^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$/;

const incidentNames = ['idempotencyKey', 'formVersion', 'policeReference', 'incident-day', 'incident-month', 'incident-year', 'incidentTime', 'account',
  'contactName', 'contactPhone', 'contactEmail'] as const;
export const childNames = ['forename', 'surname', 'dob-day', 'dob-month', 'dob-year', 'nhsNumber', 'upn', 'address', 'postcode', 'present', 'spokenTo', 'words'] as const;
export type ChildAnswerName = (typeof childNames)[number];

/** Everything typed, as typed (normalised text), by field name. */
export interface EncompassAnswers {
  fields: Record<(typeof incidentNames)[number], string>;
  shared: Partial<Record<SharedItem, string>>;
  children: Array<Record<ChildAnswerName, string>>;
  /** The answers to questions a council added to the form (forms/encompass/), by name. */
  extra: Record<string, string>;
}

export const childField = (position: number, name: string) => `child-${position}-${name}`;

export const blankChild = (): Record<ChildAnswerName, string> => Object.fromEntries(childNames.map((n) => [n, ''])) as Record<ChildAnswerName, string>;

export function blankAnswers(idempotencyKey: string, contact: { name: string; email: string | null }, formVersion = 1): EncompassAnswers {
  const fields = Object.fromEntries(incidentNames.map((n) => [n, ''])) as EncompassAnswers['fields'];
  return { fields: { ...fields, idempotencyKey, formVersion: String(formVersion), contactName: contact.name, contactEmail: contact.email ?? '' }, shared: {}, children: [blankChild()], extra: {} };
}

/** The names of every version's added questions: the answers a posted notification may carry besides its own. */
export function addedAnswerNames(forms: FormCatalogue): string[] {
  return [...new Set(versionsOf(forms, 'encompass').flatMap((version) => addedQuestions(version).map((question) => question.name)))];
}

/** The answers in a posted form; only the shared items switched on for the force, and the added questions named, are read. */
export function readAnswers(form: Record<string, unknown>, items: readonly SharedItem[], extraNames: readonly string[] = []): EncompassAnswers {
  const text = (name: string) => normaliseText(form[name]);
  const fields = Object.fromEntries(incidentNames.map((n) => [n, text(n)])) as EncompassAnswers['fields'];
  const extra = Object.fromEntries(extraNames.filter((name) => form[name] !== undefined).map((name) => [name, text(name)]));
  const shared = Object.fromEntries(items.map((item) => [item, text(`shared-${item}`)]));
  const count = Math.min(MAX_CHILDREN, Math.max(1, Number.parseInt(text('childCount'), 10) || 1));
  const children = Array.from({ length: count }, (_, index) =>
    Object.fromEntries(childNames.map((n) => [n, text(childField(index + 1, n))])) as Record<ChildAnswerName, string>);
  return { fields, shared, children, extra };
}

const isBlank = (child: Record<ChildAnswerName, string>) => childNames.every((n) => child[n].trim() === '');

export interface CheckedChild {
  /** 1, 2, … in the order given, blank groups left out. */
  position: number;
  forename: string;
  surname: string;
  dateOfBirth: string;
  nhsNumber: string | null;
  upn: string | null;
  address: string | null;
  postcode: string | null;
  present: boolean;
  spokenTo: boolean;
  words: string | null;
}

export interface CheckedEncompass {
  idempotencyKey: string;
  policeReference: string;
  occurredAt: string;
  account: string;
  sharedItems: Partial<Record<SharedItem, string>>;
  contact: { name: string; phone: string; email: string | null };
  children: CheckedChild[];
  /** The version of forms/encompass it was made with (absent: version 1). */
  formVersion?: number;
  /** The answers to the questions a council added, by name (absent: none answered). */
  extraAnswers?: Record<string, string>;
}

/** Errors by the id of the field (or group) they belong to, which the error summary links to. */
export type EncompassErrors = Record<string, string>;

/** The exact-match lookup for a child, by the strongest identifier given (as /lookup: NHS number, or name, date of birth and postcode). */
export function lookupQueryOf(child: CheckedChild): LookupQuery {
  if (child.nhsNumber) return { nhsNumber: child.nhsNumber };
  if (child.upn) return { upn: child.upn, dateOfBirth: child.dateOfBirth };
  return { surname: child.surname, dateOfBirth: child.dateOfBirth, postcode: child.postcode! };
}

/** A stored value as text (the questions asked once are text, dates and single choices). */
const asText = (value: StoredValue | undefined): string | null => (value === undefined || value === null ? null : Array.isArray(value) ? value.join(',') : value);

export function checkAnswers(answers: EncompassAnswers, form: FormDefinition, now: Date = new Date()): { ok: true; value: CheckedEncompass } | { ok: false; errors: EncompassErrors } {
  const f = answers.fields;
  // The questions asked once, as the form file says (required, length, format, date range).
  const { errors, values } = checkForm(form, { ...answers.extra, ...f }, { now });
  const storable = (id: string, label: string, value: string, limit: number) => {
    const problem = textProblem(label, value, limit);
    if (problem) errors[id] = problem;
    return !problem;
  };
  /** A stored answer by the column its question names in the file. */
  const byColumn = (column: string) => {
    for (const page of form.pages) for (const section of page.sections) {
      const question = section.repeats ? undefined : section.questions.find((q) => q.column === column);
      if (question) return asText(values[question.name]);
    }
    return null;
  };

  if (!/^[0-9a-f-]{36}$/.test(f.idempotencyKey)) errors.policeReference = 'The form has expired: check the answers and send them again';
  if (!errors.policeReference && /[\t\n]/.test(f.policeReference.trim())) errors.policeReference = 'Police reference must be on one line';
  const date = byColumn('occurredAt');
  const time = TIME.exec(f.incidentTime.trim());
  if (!errors.incidentTime && f.incidentTime.trim() && !time) errors.incidentTime = 'Enter the time of the incident as hours and minutes on the 24-hour clock, like 21:30';
  const occurredAt = date && time ? instantAtLondonTime(date, { hour: Number(time[1]), minute: Number(time[2]) }) : undefined;
  if (occurredAt && occurredAt.getTime() > now.getTime() + 5 * 60_000) errors.incidentTime = 'The time of the incident must be now or in the past';

  const shared: Partial<Record<SharedItem, string>> = {};
  for (const [item, value] of Object.entries(answers.shared) as Array<[SharedItem, string]>) {
    if (storable(`shared-${item}`, sharedItems[item].label, value, ACCOUNT_LIMIT) && value.trim()) shared[item] = value.trim();
  }


  const children: CheckedChild[] = [];
  answers.children.forEach((child, index) => {
    const n = index + 1;
    if (isBlank(child) && answers.children.length > 1) return;
    const id = (name: string) => childField(n, name);
    const which = `child ${n}`;
    if (storable(id('forename'), `First name of ${which}`, child.forename, SHORT_LIMIT) && !child.forename.trim()) errors[id('forename')] = `Enter the first name of ${which}`;
    if (storable(id('surname'), `Last name of ${which}`, child.surname, SHORT_LIMIT) && !child.surname.trim()) errors[id('surname')] = `Enter the last name of ${which}`;
    const dob = checkDate(child['dob-day'], child['dob-month'], child['dob-year'], `the date of birth of ${which}`, true, dateRanges.childDateOfBirth, now);
    if (dob.error) errors[id('dob')] = dob.error;
    let nhsNumber: string | null = null;
    if (child.nhsNumber.trim()) {
      const nhs = checkNhsNumber(child.nhsNumber);
      if (nhs.ok) nhsNumber = nhs.value;
      else errors[id('nhsNumber')] = textProblem('NHS number', child.nhsNumber) ?? nhsNumberMessages[nhs.problem];
    }
    let upn: string | null = null;
    if (child.upn.trim()) {
      const checked = checkUpn(child.upn);
      if (checked.ok) upn = checked.value;
      else errors[id('upn')] = textProblem('Unique pupil number', child.upn) ?? upnMessages[checked.problem];
    }
    storable(id('address'), `Address of ${which}`, child.address, SHORT_LIMIT);
    const postcode = child.postcode.trim();
    if (storable(id('postcode'), `Postcode of ${which}`, child.postcode, SHORT_LIMIT) && postcode && !POSTCODE.test(postcode)) errors[id('postcode')] = 'Enter a real postcode';
    if (!child.nhsNumber.trim() && !child.upn.trim() && !postcode) {
      errors[id('nhsNumber')] ??= `Enter the NHS number, unique pupil number or postcode of ${which}`;
    }
    if (!['yes', 'no'].includes(child.present)) errors[id('present')] = `Select whether ${which} was present`;
    if (!['yes', 'no'].includes(child.spokenTo)) errors[id('spokenTo')] = `Select whether ${which} was spoken to`;
    if (storable(id('words'), 'What the child said', child.words, WORDS_LIMIT) && child.words.trim() && child.spokenTo === 'no') {
      errors[id('words')] = `You said ${which} was not spoken to: remove what they said, or say they were spoken to`;
    }
    children.push({
      position: children.length + 1, forename: child.forename.trim(), surname: child.surname.trim(), dateOfBirth: dob.date ?? '',
      nhsNumber, upn, address: child.address.trim() || null, postcode: postcode ? postcode.toUpperCase() : null,
      present: child.present === 'yes', spokenTo: child.spokenTo === 'yes', words: child.words.trim() || null,
    });
  });

  if (Object.keys(errors).length || !occurredAt) return { ok: false, errors };
  const extraAnswers = Object.fromEntries(addedQuestions(form).flatMap((question) => {
    const value = asText(values[question.name]);
    return value === null ? [] : [[question.name, value]];
  }));
  return {
    ok: true,
    value: {
      idempotencyKey: f.idempotencyKey, policeReference: byColumn('policeReference') ?? '', occurredAt: occurredAt.toISOString(), account: byColumn('account') ?? '',
      sharedItems: shared, contact: { name: byColumn('contactName') ?? '', phone: byColumn('contactPhone') ?? '', email: byColumn('contactEmail') }, children,
      ...(form.version !== 1 ? { formVersion: form.version } : {}),
      ...(Object.keys(extraAnswers).length ? { extraAnswers } : {}),
    },
  };
}
