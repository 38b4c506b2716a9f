// Turns what the concern routes have (the answers as typed, the checked concern, errors, the
// partner's released concerns) into the view models views/concerns/ render. Templates loop and
// branch over these; every label, date and fallback text is resolved here.
import type { ReleasedConcern } from '../access/index.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { escapeHtml, formatDate, formatDateTime } from '../web/format.ts';
import { numberedPagination, type NumberedPagination } from '../web/numbered-pagination.ts';
import { concernCategories, kindsInWords, type ConcernCategory } from './categories.ts';
import { decisionLabels } from './decisions.ts';
import { DRAFT_DAYS, type DraftNotice } from './drafts.ts';
import { answerNames, kindsTicked, type Answers, type CheckedConcern, type ConcernErrors } from './form.ts';
import { timeLeft } from './working-days.ts';

/** A row as views/partials/govuk/summary-list takes it. */
export interface SummaryRow {
  key: { text: string };
  value: { text: string; classes?: string } | { html: string };
  /** Check answers: a Change link back to the question. */
  actions?: { items: Array<{ href: string; text: string; visuallyHiddenText: string }> };
}

/** An item as views/partials/govuk/radios and select take it. */
export interface RadioItem {
  id: string;
  value: string;
  text: string;
  checked: boolean;
}

/** The child a concern is raised about, when raised from a record the user may see: a label only. */
export interface KnownChild {
  id: string;
  label: string;
}

const row = (key: string, text: string, classes?: string): SummaryRow => ({ key: { text: key }, value: classes ? { text, classes } : { text } });
const joined = (parts: Array<string | null | undefined>, separator: string) => parts.filter(Boolean).join(separator);
const yesNo = (value: boolean | undefined) => (value ? 'Yes' : 'No');
const categoryLabel = (category: string | undefined) => concernCategories[category as keyof typeof concernCategories].label;

// ---- The form (views/concerns/new.eta) ----

/** The form's fields that can have an error, top to bottom ("form" is the form as a whole). */
const formFields = ['form', 'childForename', 'childSurname', 'dob', 'childNhsNumber', 'childUpn', 'childAddress', 'childPostcode', 'categories', 'category',
  'whatHappened', 'when', 'childWords', 'immediateRisk', 'actionsTaken', 'parentsAware', 'parentsNotAwareReason', 'referrerPhone', 'referrerEmail'] as const;
type FormField = (typeof formFields)[number];
/** Where each error links: a date's day box; an expired form to the first question every form has. */
const formTargets = { form: 'category', dob: 'dob-day', when: 'when-day' };

export interface ConcernFormView {
  title: string;
  errorList: ErrorSummaryItem[];
  errorMessages: Record<FormField, ErrorMessage>;
  caption: string;
  /** Raised from a child's record: the form does not ask who the child is. */
  childKnown: boolean;
  answers: Answers;
  /** Why the answers are already filled in (a draft), or another unsent draft to go back to. */
  banner: FormBanner | null;
  /** Every kind of concern, the ones ticked checked (checkboxes named `categories`). */
  kindItems: RadioItem[];
  /** Every kind, the main one (`category`) checked. */
  categoryItems: RadioItem[];
  /**
   * With more than one kind ticked, the follow-up question "Which is the main concern?": radios
   * named `category` over the kinds ticked. Empty otherwise (one kind is its own main one).
   */
  mainItems: RadioItem[];
  immediateRiskItems: RadioItem[];
  parentsAwareItems: RadioItem[];
}

const yesNoItems = (name: string, answer: string): RadioItem[] => [
  { id: name, value: 'yes', text: 'Yes', checked: answer === 'yes' },
  { id: `${name}-no`, value: 'no', text: 'No', checked: answer === 'no' },
];

/** A notification banner over the form: a title, a sentence, and perhaps a link. */
export interface FormBanner {
  title: string;
  text: string;
  link: { href: string; text: string } | null;
}

/**
 * What the form says about a draft: shown from one (and why), or a form for another child while
 * a draft is waiting. `hadOtherAnswers`: a lookup's details went into a draft that had answers.
 */
export type DraftState =
  | { shown: true; notice: DraftNotice | null; hadOtherAnswers?: boolean }
  | { shown: false; waiting: boolean };

export function draftBanner(state: DraftState | undefined): FormBanner | null {
  if (!state) return null;
  if (!state.shown) {
    return state.waiting
      ? { title: 'Important', text: 'You have another concern you have not sent. Anything you enter in this one replaces it.', link: { href: '/concerns/new', text: 'Go back to the concern you have not sent' } }
      : null;
  }
  if (state.notice === 'timed_out') {
    return { title: 'Your answers were kept', text: 'You were signed out because you had not done anything for a while. Everything you had entered is below: check it and continue.', link: null };
  }
  if (state.notice === 'from_lookup') {
    return {
      title: 'Important',
      text: state.hadOtherAnswers
        ? 'The child’s details from your lookup are below, with the answers of the concern you had not sent. Check every answer is about this child.'
        : 'The child’s details from your lookup are below.',
      link: null,
    };
  }
  return { title: 'Important', text: `You have not sent this concern yet. Your answers are kept for ${DRAFT_DAYS} days after you last continued.`, link: null };
}

/** The follow-up question, the first time it is asked: a question, not an error. */
const askingMain: FormBanner = {
  title: 'Important', text: 'You selected more than one kind of concern. Say which is the main one, then continue.',
  link: { href: '#category', text: 'Choose the main concern' },
};

export function presentConcernForm(answers: Answers, child: KnownChild | undefined, errors: ConcernErrors, draft?: DraftState | 'asking-main'): ConcernFormView {
  const list = errorList(errors, formFields, formTargets);
  const ticked = kindsTicked(answers.categories ?? '');
  return {
    title: Object.keys(errors).length ? 'Error: Raise a concern' : 'Raise a concern',
    errorList: list,
    errorMessages: errorMessages(errors, formFields),
    caption: child ? `About ${child.label}` : 'About a child',
    childKnown: Boolean(child),
    answers: Object.fromEntries(answerNames.map((name) => [name, answers[name] ?? ''])) as Answers,
    banner: draft === 'asking-main' ? askingMain : draftBanner(draft),
    kindItems: Object.entries(concernCategories).map(([value, { label }], index) => ({
      id: index === 0 ? 'categories' : `categories-${value}`, value, text: label, checked: ticked.includes(value),
    })),
    categoryItems: Object.entries(concernCategories).map(([value, { label }], index) => ({
      id: index === 0 ? 'category' : `category-${value}`, value, text: label, checked: answers.category === value,
    })),
    mainItems: ticked.length > 1
      ? ticked.map((value, index) => ({ id: index === 0 ? 'category' : `category-${value}`, value, text: concernCategories[value as ConcernCategory].label, checked: answers.category === value }))
      : [],
    immediateRiskItems: yesNoItems('immediateRisk', answers.immediateRisk),
    parentsAwareItems: yesNoItems('parentsAware', answers.parentsAware),
  };
}

// ---- Check your answers (views/concerns/check.eta) ----

export interface HiddenField {
  name: string;
  value: string;
}

const hours = (n: number) => (n === 1 ? '1 hour' : `${n.toLocaleString('en-GB')} hours`);

export interface ConcernCheckView {
  immediateRisk: boolean;
  /** With immediate risk: whom to phone now, before the written record goes. */
  phone: PhoneNow | null;
  /** What happens after sending, for this concern. */
  whatNext: string;
  title: string;
  failed: boolean;
  childRows: SummaryRow[];
  concernRows: SummaryRow[];
  /** Every answer, carried to the next step (views/partials/concern-hidden-answers.eta). */
  hiddenAnswers: HiddenField[];
}

/** A phone number as a page shows it, with the tel: address a phone can dial. */
export interface PhoneNumber {
  text: string;
  tel: string;
}

/** The council's numbers to phone now: the front door in working hours, the out-of-hours team otherwise. */
export interface PhoneNow {
  council: string;
  frontDoor: PhoneNumber;
  outOfHours: PhoneNumber;
}

const dialable = (text: string): PhoneNumber => ({ text, tel: text.replace(/[^0-9+]/g, '') });

export function phoneNumbers(council: { name: string; dutyPhone: string; outOfHoursPhone: string } | undefined): PhoneNow | null {
  return council ? { council: council.name, frontDoor: dialable(council.dutyPhone), outOfHours: dialable(council.outOfHoursPhone) } : null;
}

export function presentConcernCheck(
  answers: Answers, child: KnownChild | undefined, concern: CheckedConcern, failed = false,
  urgent: { phone: PhoneNow | null; immediateRiskHours: number } = { phone: null, immediateRiskHours: 2 },
): ConcernCheckView {
  const notKnown = (value: string | null) => value || 'Not known';
  const about = concern.child;
  const others: readonly ConcernCategory[] = concern.otherCategories ?? [];
  /** A row with a Change link back to its question on the form (the draft holds every answer). */
  const changeable = (key: string, text: string, field: string, classes?: string): SummaryRow => ({
    ...row(key, text, classes),
    actions: { items: [{ href: `/concerns/new#${field}`, text: 'Change', visuallyHiddenText: key.toLowerCase() }] },
  });
  return {
    immediateRisk: concern.immediateRisk,
    phone: concern.immediateRisk ? urgent.phone : null,
    whatNext: concern.immediateRisk
      ? `You said the child is at immediate risk of harm. The front door aims to act on it within ${hours(urgent.immediateRiskHours)}, day or night.`
      : 'The council’s front door will decide what to do within one working day and tell you under “Your submissions”.',
    title: failed ? 'Your concern has not been sent' : 'Check your answers before sending your concern',
    failed,
    childRows: child ? [row('Child', child.label)] : [
      changeable('Name', joined([about.forename, about.surname], ' '), 'childForename'),
      changeable('Date of birth', about.dateOfBirth ? formatDate(about.dateOfBirth)! : 'Not known', 'dob-day'),
      changeable('NHS number', notKnown(about.nhsNumber), 'childNhsNumber'),
      changeable('Unique pupil number', notKnown(about.upn), 'childUpn'),
      changeable('Address', notKnown(about.address), 'childAddress'),
      changeable('Postcode', notKnown(about.postcode), 'childPostcode'),
    ],
    concernRows: [
      changeable(others.length ? 'Kinds of concern' : 'Kind of concern', kindsInWords(concern.category, others), 'categories'),
      changeable('What happened', concern.whatHappened, 'whatHappened', 'app-preserve-lines'),
      changeable('When', formatDate(concern.happenedOn) ?? '', 'when-day'),
      changeable('The child’s own words', concern.childWords || 'None given', 'childWords', 'app-preserve-lines'),
      changeable('Immediate risk of harm', yesNo(concern.immediateRisk), 'immediateRisk'),
      changeable('Actions already taken', concern.actionsTaken || 'None given', 'actionsTaken', 'app-preserve-lines'),
      changeable('Parents or carers know', concern.parentsAware ? 'Yes' : `No: ${concern.parentsNotAwareReason}`, 'parentsAware'),
      changeable('Your phone number', concern.referrerPhone, 'referrerPhone'),
      changeable('Your email address', concern.referrerEmail || 'Not given', 'referrerEmail'),
    ],
    hiddenAnswers: answerNames.map((name) => ({ name, value: answers[name] })),
  };
}

// ---- The receipt (views/concerns/receipt.eta) ----

/** A GOV.UK tag, as views/partials/govuk/tag takes it. */
export interface TagView {
  text: string;
  classes: string;
}

/** How a concern's child is named to its sender: one of the two ways the access module allows. */
export interface ChildNameView {
  text: string;
  /** The child's summary, where the sender may read the child the concern is matched to. */
  href: string | null;
  /** Whether this is the name as the sender typed it (not the name on the council's record). */
  asTyped: boolean;
}

/**
 * The matched child as the access module names it to this actor (`access.childLabel`): undefined
 * when the concern has no child or the actor may not read it; a null name when the name is withheld.
 */
export type MatchedChildLabel = { id: string; name: string | null } | undefined;

const stageTags: Record<string, TagView> = {
  sent: { text: 'Sent', classes: 'govuk-tag--blue' },
  being_considered: { text: 'Being considered', classes: 'govuk-tag--yellow' },
  decided: { text: 'Decided', classes: 'govuk-tag--green' },
};

/** Where the concern is, as a tag; from the released progress only (no progress part: no tag). */
export function stageTag(concern: ReleasedConcern): TagView | null {
  const stage = concern.stage ?? (concern.status === 'decided' ? 'decided' : concern.status ? 'sent' : undefined);
  return stage ? stageTags[stage]! : null;
}

/**
 * The child a concern is about, as its sender may see it: the name on the record of the child the
 * concern is matched to, where the access module releases that name to them; otherwise the name
 * they typed (released as the concern's childIdentifiers); otherwise nothing to name.
 */
export function childNameOf(concern: ReleasedConcern, matched: MatchedChildLabel): ChildNameView {
  if (matched?.name) return { text: matched.name, href: `/children/${matched.id}`, asTyped: false };
  const typed = joined([concern.childForename, concern.childSurname], ' ');
  if (typed) return { text: typed, href: null, asTyped: true };
  return { text: 'Not named', href: null, asTyped: false };
}

export interface ConcernReceiptView {
  title: string;
  reference: string;
  /** Right after sending (the redirect from sending says so, once): the confirmation panel. */
  justSent: boolean;
  receivedAt: string | null;
  status: TagView | null;
  decided: boolean;
  decidedAt: string | null;
  decisionLabel: string | null;
  feedback: string | null;
  referrerPhone: string | null;
  /** What happens next for an immediate-risk concern still waiting for a decision. */
  immediateRiskNext: string | null;
  child: ChildNameView;
  /** Where it is: the status tag, the decision and when, the feedback. */
  statusRows: SummaryRow[];
  rows: SummaryRow[];
  /** What the partner added after sending it, oldest first. */
  followUps: FollowUpView[];
  /** The form to add information, where the policy allows it; with what was typed and its error. */
  addForm: FollowUpForm | null;
  /** Information was just added (after the redirect). */
  added: boolean;
}

export interface FollowUpView {
  addedAt: string | null;
  addedByName: string;
  text: string;
}

export interface FollowUpForm {
  action: string;
  idempotencyKey: string;
  text: string;
  errorMessage: ErrorMessage;
  errorList: ErrorSummaryItem[];
}

/** Information the partner is adding: what was typed, its form key, and the message if it was refused. */
export interface FollowUpNote {
  text: string;
  idempotencyKey: string;
  error?: string;
}

export function presentFollowUps(concern: ReleasedConcern): FollowUpView[] {
  return (concern.followUps ?? []).map((f) => ({ addedAt: formatDateTime(new Date(f.addedAt)), addedByName: f.addedByName, text: f.text }));
}

function followUpForm(reference: string, note: FollowUpNote): FollowUpForm {
  const errors = note.error ? { followUp: note.error } : {};
  return {
    action: `/concerns/${reference}/follow-ups`,
    idempotencyKey: note.idempotencyKey,
    text: note.text,
    errorMessage: note.error ? { text: note.error } : false,
    errorList: errorList(errors, ['followUp']),
  };
}

/** How long after sending the confirmation panel may still show (a bookmarked address with the flag shows the receipt). */
const PANEL_MINUTES = 60;

/** A tag as markup for a summary row's `html` (the text escaped). */
const tagHtml = (tag: TagView) => `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>`;

export interface ReceiptOptions {
  note: FollowUpNote | null;
  added?: boolean;
  immediateRiskHours?: number;
  /** The redirect right after sending asked for the confirmation panel (`?sent=1`). */
  sent?: boolean;
  /** The matched child as the access module names it to this actor. */
  matched?: MatchedChildLabel;
  now?: Date;
}

export function presentReceipt(concern: ReleasedConcern, options: ReceiptOptions = { note: null }): ConcernReceiptView {
  const now = options.now ?? new Date();
  const status = stageTag(concern);
  const decided = concern.status === 'decided';
  const decisionLabel = concern.decision ? decisionLabels[concern.decision] : null;
  const decidedAt = formatDateTime(concern.decidedAt);
  // The panel says "sent", and only just after sending: never for a concern decided since, nor from an old bookmark.
  const justSent = options.sent === true && !decided && concern.receivedAt !== undefined
    && now.getTime() - concern.receivedAt.getTime() < PANEL_MINUTES * 60_000;
  const child = childNameOf(concern, options.matched);
  return {
    immediateRiskNext: concern.immediateRisk && !decided
      ? `You said the child is at immediate risk of harm, so the front door aims to act within ${hours(options.immediateRiskHours ?? 2)} of receiving it, day or night. If you have not already phoned them, phone now.`
      : null,
    followUps: presentFollowUps(concern),
    addForm: options.note ? followUpForm(concern.reference, options.note) : null,
    added: options.added === true,
    title: justSent ? 'Concern sent' : `Concern ${concern.reference}`,
    reference: concern.reference,
    justSent,
    receivedAt: formatDateTime(concern.receivedAt),
    status,
    decided,
    decidedAt,
    decisionLabel,
    feedback: concern.feedback ?? null,
    referrerPhone: concern.referrerPhone ?? null,
    child,
    statusRows: [
      status ? { key: { text: 'Status' }, value: { html: tagHtml(status) } } : null,
      decided && decisionLabel ? row('Decision', decisionLabel) : null,
      decided && decidedAt ? row('Decided', decidedAt) : null,
      decided ? row('Feedback', concern.feedback || 'None given', 'app-preserve-lines') : null,
    ].filter((r): r is SummaryRow => r !== null),
    rows: [
      row(concern.otherCategories?.length ? 'Kinds of concern' : 'Kind of concern', kindsInWords(concern.category!, concern.otherCategories ?? [])),
      row('What happened', concern.whatHappened ?? '', 'app-preserve-lines'),
      row('When', formatDate(concern.happenedOn) ?? ''),
      row('The child’s own words', concern.childWords || 'None given', 'app-preserve-lines'),
      row('Immediate risk of harm', yesNo(concern.immediateRisk)),
      row('Sent by', `${concern.submittedByName}, ${concern.organisationName}`),
    ],
  };
}

// ---- The organisation's submissions (views/concerns/submissions.eta) ----

export interface SubmissionView {
  reference: string;
  href: string;
  receivedAt: string | null;
  submittedByName: string | null;
  child: ChildNameView;
  categoryLabel: string;
  status: TagView | null;
  decided: boolean;
  /** Time left to decide, while it waits. */
  due: string | null;
  decisionLabel: string | null;
  feedback: string;
}

/** The submissions' filters as the page was asked for (already checked against the lists below). */
export interface SubmissionFilters {
  status: 'sent' | 'being_considered' | 'decided' | null;
  sentBy: 'me' | 'organisation';
}

export interface SubmissionsView {
  title: string;
  submissions: SubmissionView[];
  total: number;
  countText: string;
  /** A filter is chosen: an empty list means nothing matches, not that nothing was ever sent. */
  filtered: boolean;
  statusItems: Array<{ value: string; text: string; selected: boolean }>;
  sentByItems: RadioItem[];
  pagination: NumberedPagination | null;
}

export interface SubmissionsInput {
  concerns: ReleasedConcern[];
  /** The matched child of each concern (by concern id) as the access module names it. */
  matched?: ReadonlyMap<string, MatchedChildLabel>;
  total?: number;
  page?: number;
  pages?: number;
  filters?: SubmissionFilters;
}

const statusFilterLabels = { sent: 'Sent', being_considered: 'Being considered', decided: 'Decided' } as const;

/** The address of a page of the submissions with these filters. */
export function submissionsHref(filters: SubmissionFilters, page: number): string {
  const query = new URLSearchParams();
  if (filters.status) query.set('status', filters.status);
  if (filters.sentBy !== 'organisation') query.set('sentBy', filters.sentBy);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/submissions?${text}` : '/submissions';
}

export function presentSubmissions(list: ReleasedConcern[] | SubmissionsInput, now: Date): SubmissionsView {
  const input: SubmissionsInput = Array.isArray(list) ? { concerns: list } : list;
  const { concerns } = input;
  const filters = input.filters ?? { status: null, sentBy: 'organisation' };
  const total = input.total ?? concerns.length;
  const page = input.page ?? 1;
  return {
    title: 'Your organisation’s submissions',
    total,
    countText: `${total.toLocaleString('en-GB')} ${total === 1 ? 'concern' : 'concerns'}`,
    filtered: filters.status !== null || filters.sentBy !== 'organisation',
    statusItems: [
      { value: '', text: 'Any status', selected: filters.status === null },
      ...Object.entries(statusFilterLabels).map(([value, text]) => ({ value, text, selected: value === filters.status })),
    ],
    sentByItems: [
      { id: 'sentBy', value: 'organisation', text: 'Anyone in your organisation', checked: filters.sentBy === 'organisation' },
      { id: 'sentBy-me', value: 'me', text: 'You', checked: filters.sentBy === 'me' },
    ],
    pagination: numberedPagination(page, input.pages ?? 1, (p) => submissionsHref(filters, p), 'Pages of submissions'),
    submissions: concerns.map((concern) => ({
      reference: concern.reference,
      href: `/concerns/${concern.reference}`,
      receivedAt: formatDateTime(concern.receivedAt),
      submittedByName: concern.submittedByName ?? null,
      child: childNameOf(concern, input.matched?.get(concern.id)),
      categoryLabel: categoryLabel(concern.category),
      status: stageTag(concern),
      decided: concern.status === 'decided',
      due: concern.status === 'received' && concern.decisionDueAt ? timeLeft(concern.decisionDueAt, now).text : null,
      decisionLabel: concern.decision ? decisionLabels[concern.decision] : null,
      feedback: concern.feedback || '',
    })),
  };
}

// ---- The same form sent again with changed answers (views/concerns/already-sent.eta) ----

export interface AlreadySentView {
  title: string;
  reference: string;
  receiptHref: string;
  addForm: FollowUpForm;
}

/** The concern this form made was sent before: the changes were not; offer to add them. */
export function presentAlreadySent(reference: string, note: FollowUpNote): AlreadySentView {
  return {
    title: 'This concern was already sent',
    reference,
    receiptHref: `/concerns/${reference}`,
    addForm: followUpForm(reference, note),
  };
}
