// The officer's answers on /encompass/new (issue 14, point 1): read as typed, checked with a
// message by each field (GOV.UK wording), and kept as typed so nothing is lost. Each child is a
// numbered group of fields (child-1-forename, …); "Add another child" adds a group. A group left
// wholly blank is no child. Nothing here touches the database.
import { checkNhsNumber, nhsNumberMessages } from '../identifiers/nhs-number.ts';
import { checkUpn, upnMessages } from '../identifiers/upn.ts';
import { isPhoneNumber } from '../concerns/form.ts';
import { instantAtLondonTime } from '../concerns/working-days.ts';
import { dateRanges } from '../validation/dates.ts';
import { normaliseText, textProblem } from '../validation/text.ts';
import { checkDate } from '../web/date-input.ts';
import type { LookupQuery } from '../access/index.ts';
import { sharedItems, type SharedItem } from './shared-items.ts';

/** The most children one notification may name (a household). */
export const MAX_CHILDREN = 20;
const SHORT_LIMIT = 200;
/** The account and each shared item: short and factual. Same limit as the database's checks. */
export const ACCOUNT_LIMIT = 5000;
export const WORDS_LIMIT = 5000;
const POLICE_REFERENCE_LIMIT = 40;
const POSTCODE = /^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$/i;
const TIME = /^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$/;

const incidentNames = ['idempotencyKey', 'policeReference', 'incident-day', 'incident-month', 'incident-year', 'incidentTime', 'account',
  'contactName', 'contactPhone', 'contactEmail'] as const;
export const childNames = ['forename', 'surname', 'dob-day', 'dob-month', 'dob-year', 'nhsNumber', 'upn', 'address', 'postcode', 'present', 'spokenTo', 'words'] as const;
export type ChildAnswerName = (typeof childNames)[number];

/** Everything typed, as typed (normalised text), by field name. */
export interface EncompassAnswers {
  fields: Record<(typeof incidentNames)[number], string>;
  shared: Partial<Record<SharedItem, string>>;
  children: Array<Record<ChildAnswerName, string>>;
}

export const childField = (position: number, name: string) => `child-${position}-${name}`;

export const blankChild = (): Record<ChildAnswerName, string> => Object.fromEntries(childNames.map((n) => [n, ''])) as Record<ChildAnswerName, string>;

export function blankAnswers(idempotencyKey: string, contact: { name: string; email: string | null }): EncompassAnswers {
  const fields = Object.fromEntries(incidentNames.map((n) => [n, ''])) as EncompassAnswers['fields'];
  return { fields: { ...fields, idempotencyKey, contactName: contact.name, contactEmail: contact.email ?? '' }, shared: {}, children: [blankChild()] };
}

/** The answers in a posted form; only the shared items switched on for the force are read. */
export function readAnswers(form: Record<string, unknown>, items: readonly SharedItem[]): EncompassAnswers {
  const text = (name: string) => normaliseText(form[name]);
  const fields = Object.fromEntries(incidentNames.map((n) => [n, text(n)])) as EncompassAnswers['fields'];
  const shared = Object.fromEntries(items.map((item) => [item, text(`shared-${item}`)]));
  const count = Math.min(MAX_CHILDREN, Math.max(1, Number.parseInt(text('childCount'), 10) || 1));
  const children = Array.from({ length: count }, (_, index) =>
    Object.fromEntries(childNames.map((n) => [n, text(childField(index + 1, n))])) as Record<ChildAnswerName, string>);
  return { fields, shared, children };
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
}

/** Errors by the id of the field (or group) they belong to, which the error summary links to. */
export type EncompassErrors = Record<string, string>;

/** The exact-match lookup for a child, by the strongest identifier given (as /lookup: NHS number, or name, date of birth and postcode). */
export function lookupQueryOf(child: CheckedChild): LookupQuery {
  if (child.nhsNumber) return { nhsNumber: child.nhsNumber };
  if (child.upn) return { upn: child.upn, dateOfBirth: child.dateOfBirth };
  return { surname: child.surname, dateOfBirth: child.dateOfBirth, postcode: child.postcode! };
}

export function checkAnswers(answers: EncompassAnswers, now: Date = new Date()): { ok: true; value: CheckedEncompass } | { ok: false; errors: EncompassErrors } {
  const errors: EncompassErrors = {};
  const f = answers.fields;
  const storable = (id: string, label: string, value: string, limit: number) => {
    const problem = textProblem(label, value, limit);
    if (problem) errors[id] = problem;
    return !problem;
  };

  if (!/^[0-9a-f-]{36}$/.test(f.idempotencyKey)) errors.policeReference = 'The form has expired: check the answers and send them again';
  if (storable('policeReference', 'Police reference', f.policeReference, POLICE_REFERENCE_LIMIT)) {
    if (!f.policeReference.trim()) errors.policeReference = 'Enter the police reference for the incident';
    else if (/[\t\n]/.test(f.policeReference.trim())) errors.policeReference = 'Police reference must be on one line';
  }
  const day = checkDate(f['incident-day'], f['incident-month'], f['incident-year'], 'the date of the incident', true, dateRanges.event, now);
  if (day.error) errors.incident = day.error;
  const time = TIME.exec(f.incidentTime.trim());
  if (!f.incidentTime.trim()) errors.incidentTime = 'Enter the time of the incident';
  else if (!time) errors.incidentTime = 'Enter the time of the incident as hours and minutes on the 24-hour clock, like 21:30';
  const occurredAt = day.date && time ? instantAtLondonTime(day.date, { hour: Number(time[1]), minute: Number(time[2]) }) : undefined;
  if (occurredAt && occurredAt.getTime() > now.getTime() + 5 * 60_000) errors.incidentTime = 'The time of the incident must be now or in the past';

  if (storable('account', 'Account', f.account, ACCOUNT_LIMIT) && !f.account.trim()) errors.account = 'Enter a short factual account of the incident';
  const shared: Partial<Record<SharedItem, string>> = {};
  for (const [item, value] of Object.entries(answers.shared) as Array<[SharedItem, string]>) {
    if (storable(`shared-${item}`, sharedItems[item].label, value, ACCOUNT_LIMIT) && value.trim()) shared[item] = value.trim();
  }

  if (storable('contactName', 'Name', f.contactName, SHORT_LIMIT) && !f.contactName.trim()) errors.contactName = 'Enter the name the school should ask for';
  if (storable('contactPhone', 'Phone number', f.contactPhone, SHORT_LIMIT)) {
    if (!f.contactPhone.trim()) errors.contactPhone = 'Enter a phone number the school can call';
    else if (!isPhoneNumber(f.contactPhone)) errors.contactPhone = 'Enter a telephone number, like 01632 960 001, 07700 900 982 or 101 ext 4455';
  }
  if (storable('contactEmail', 'Email address', f.contactEmail, SHORT_LIMIT) && f.contactEmail.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.contactEmail.trim())) {
    errors.contactEmail = 'Enter an email address in the correct format, like name@example.police.uk';
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
  return {
    ok: true,
    value: {
      idempotencyKey: f.idempotencyKey, policeReference: f.policeReference.trim(), occurredAt: occurredAt.toISOString(), account: f.account.trim(),
      sharedItems: shared, contact: { name: f.contactName.trim(), phone: f.contactPhone.trim(), email: f.contactEmail.trim() || null }, children,
    },
  };
}
