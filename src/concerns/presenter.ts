// Turns what the concern routes have (the answers as typed, the checked concern, errors, the
// partner's released concerns) into the view models views/concerns/ render. Templates loop and
// branch over these; every label, date and fallback text is resolved here.
import type { ReleasedConcern } from '../access/index.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { escapeHtml, formatDateTime } from '../web/format.ts';
import { numberedPagination, type NumberedPagination } from '../web/numbered-pagination.ts';
import { categoryLabel } from './categories.ts';
import { sectionAsked } from '../forms/check.ts';
import { portalForms, type FormCatalogue, type FormDefinition } from '../forms/load.ts';
import type { QuestionFile } from '../forms/schema.ts';
import { submissionSections, type StoredSubmission, type SubmissionSection } from '../forms/sections.ts';
import { errorFieldsOf, formVersion, questionsOf, versionCarried } from '../forms/versions.ts';
import type { CheckedConcern as Checked } from './form.ts';
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

// ---- The form (views/concerns/new.eta) ----

/** The component a question is asked with, and its parameters as the GOV.UK partial of that name takes them. */
export interface QuestionView {
  component: QuestionFile['component'];
  params: Record<string, unknown>;
  /** Checkboxes of kinds: the follow-up "which is the main one?" (radios), or the main kind carried hidden. */
  main?: { params: Record<string, unknown> | null; hidden: string | null };
}

export interface SectionView {
  heading: string;
  intro: string | null;
  questions: QuestionView[];
}

export interface ConcernFormView {
  title: string;
  errorList: ErrorSummaryItem[];
  errorMessages: Record<string, ErrorMessage>;
  caption: string;
  /** Raised from a child's record: the form does not ask who the child is. */
  childKnown: boolean;
  answers: Answers;
  /** Why the answers are already filled in (a draft), or another unsent draft to go back to. */
  banner: FormBanner | null;
  /** A new version of the form this user has not seen: what changed, once (src/forms/notes.ts). */
  changeNote: FormBanner | null;
  /** The version of the form asked (carried as a hidden field, so a draft finishes on it). */
  formVersion: number;
  /** The form's sections as its version's file lays them out, each question ready for its partial. */
  sections: SectionView[];
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

/** The htmx attributes that check a question as it is left (the server answers with that question's group). */
const live = (group: string) => ({ 'hx-post': `/concerns/new?check=${group}`, 'hx-trigger': 'blur', 'hx-target': `#group-${group}`, 'hx-select': `#group-${group}`, 'hx-swap': 'outerHTML' });
const groupOf = (group: string) => ({ attributes: { id: `group-${group}` } });

/** A choice question's items: the first takes the question's name as its id, the rest name-value. */
function choiceItems(name: string, options: Array<{ value: string; label: string }>, checked: (value: string) => boolean): RadioItem[] {
  return options.map(({ value, label }, index) => ({ id: index === 0 ? name : `${name}-${value}`, value, text: label, checked: checked(value) }));
}

/** One question as its partial's parameters: the answer as typed, its message, and (if checked on leaving) htmx's attributes. */
export function questionView(form: FormDefinition, question: QuestionFile, answers: Answers, messages: Record<string, ErrorMessage>): QuestionView {
  const { name, display = {} } = question;
  const value = (key: string) => answers[key] ?? '';
  const hint = question.hint ? { text: question.hint } : undefined;
  const leaving = question.check_on_leaving === true;
  const legend = { text: question.label, ...(display.label_classes ? { classes: display.label_classes } : {}) };
  const errorMessage = messages[name] ?? false;
  switch (question.component) {
    case 'input':
    case 'textarea':
      return {
        component: question.component,
        params: {
          id: name, name, value: value(name), label: legend, hint, errorMessage,
          ...(question.component === 'input' ? { type: display.type ?? 'text' } : { rows: display.rows ?? 5 }),
          ...(display.spellcheck !== undefined ? { spellcheck: display.spellcheck } : {}),
          ...(display.autocomplete ? { autocomplete: display.autocomplete } : {}),
          ...(display.inputmode ? { inputmode: display.inputmode } : {}),
          ...(display.classes ? { classes: display.classes } : {}),
          ...(leaving ? { attributes: live(name), formGroup: groupOf(name) } : {}),
        },
      };
    case 'date-input':
      return {
        component: 'date-input',
        params: {
          id: name, namePrefix: name, fieldset: { legend }, hint, errorMessage,
          items: [
            { name: 'day', value: value(`${name}-day`), classes: 'govuk-input--width-2' },
            { name: 'month', value: value(`${name}-month`), classes: 'govuk-input--width-2' },
            { name: 'year', value: value(`${name}-year`), classes: 'govuk-input--width-4', ...(leaving ? { attributes: live(name) } : {}) },
          ],
          ...(leaving ? { formGroup: groupOf(name) } : {}),
        },
      };
    case 'checkboxes': {
      const options = question.options_from === 'categories' ? (form.categories ?? []).map(({ value: v, label }) => ({ value: v, label })) : question.options ?? [];
      const ticked = value(name).split(',');
      const view: QuestionView = {
        component: 'checkboxes',
        params: { name, fieldset: { legend }, hint, errorMessage, items: choiceItems(name, options, (v) => ticked.includes(v)), ...(display.classes ? { classes: display.classes } : {}) },
      };
      const main = question.main_question;
      if (main) {
        // Asked once more than one kind is ticked (after Continue, or coming back to the form).
        const several = options.filter((option) => ticked.includes(option.value));
        view.main = several.length > 1
          ? {
            params: {
              name: main.name, classes: 'govuk-radios--small', fieldset: { legend: { text: main.label, classes: 'govuk-fieldset__legend--s' } },
              hint: main.hint ? { text: main.hint } : undefined, errorMessage: messages[main.name] ?? false,
              items: choiceItems(main.name, several, (v) => value(main.name) === v),
            },
            hidden: null,
          }
          : { params: null, hidden: value(main.name) };
      }
      return view;
    }
    case 'radios':
    case 'select': {
      const options = question.options ?? [];
      const items = choiceItems(name, options, (v) => value(name) === v).map((item, index) => {
        const reveal = options[index]!.reveal;
        // Revealed questions (GOV.UK conditional reveal, by CSS: shown to all without JavaScript).
        return reveal ? { ...item, reveal: reveal.map((revealed) => questionView(form, revealed, answers, messages)) } : item;
      });
      return {
        component: question.component,
        params: question.component === 'select'
          ? { id: name, name, label: legend, hint, errorMessage, items: [{ value: '', text: 'Choose', selected: !value(name) }, ...items.map((item) => ({ value: item.value, text: item.text, selected: item.checked }))] }
          : { name, fieldset: { legend }, hint, errorMessage, items, ...(display.classes ? { classes: display.classes } : {}) },
      };
    }
  }
}

/** A version's "what's changed" banner, linking to the full note on the form's page of versions. */
export function changeNoteBanner(form: FormDefinition): FormBanner {
  return { title: 'What’s changed', text: form.changes.summary, link: { href: `/forms/${form.form}#version-${form.version}`, text: `Read what changed in version ${form.version} of this form` } };
}

export function presentConcernForm(
  answers: Answers, child: KnownChild | undefined, errors: ConcernErrors, draft?: DraftState | 'asking-main',
  form: FormDefinition = versionCarried(portalForms(), 'concern', answers.formVersion), changeNote?: FormDefinition,
): ConcernFormView {
  const fields = ['form', ...errorFieldsOf(form)];
  const targets: Record<string, string> = { form: 'category' };
  for (const question of questionsOf(form)) if (question.component === 'date-input') targets[question.name] = `${question.name}-day`;
  const list = errorList(errors, fields, targets);
  const messages = errorMessages(errors, fields);
  const ticked = kindsTicked(answers.categories ?? '', form);
  const kinds = (form.categories ?? []).map(({ value, label }) => ({ value, label }));
  const yesNo = [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];
  const shown = Object.fromEntries(Object.keys(answers).map((name) => [name, answers[name] ?? ''])) as Answers;
  return {
    title: Object.keys(errors).length ? 'Error: Raise a concern' : 'Raise a concern',
    errorList: list,
    errorMessages: messages,
    caption: child ? `About ${child.label}` : 'About a child',
    childKnown: Boolean(child),
    answers: { ...Object.fromEntries(answerNames.map((name) => [name, answers[name] ?? ''])), ...shown, formVersion: String(form.version) } as Answers,
    banner: draft === 'asking-main' ? askingMain : draftBanner(draft),
    changeNote: changeNote ? changeNoteBanner(changeNote) : null,
    formVersion: form.version,
    sections: form.pages.flatMap((page) => page.sections)
      .filter((section) => sectionAsked(section, { childKnown: Boolean(child) }))
      .map((section) => ({ heading: section.heading, intro: section.intro ?? null, questions: section.questions.map((question) => questionView(form, question, answers, messages)) })),
    kindItems: choiceItems('categories', kinds, (v) => ticked.includes(v)),
    categoryItems: choiceItems('category', kinds, (v) => answers.category === v),
    mainItems: ticked.length > 1 ? choiceItems('category', kinds.filter((kind) => ticked.includes(kind.value)), (v) => answers.category === v) : [],
    immediateRiskItems: choiceItems('immediateRisk', yesNo, (v) => answers.immediateRisk === v),
    parentsAwareItems: choiceItems('parentsAware', yesNo, (v) => answers.parentsAware === v),
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
  /** The rows under their version's section headings, as the page shows them. */
  sections: Array<{ heading: string; rows: SummaryRow[] }>;
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

/** A checked concern as it will be stored: the columns the form file's questions name, and the added answers. */
export function storedFromChecked(concern: Checked): StoredSubmission {
  const { child } = concern;
  return {
    childForename: child.forename, childSurname: child.surname, childDateOfBirth: child.dateOfBirth, childNhsNumber: child.nhsNumber,
    childUpn: child.upn, childAddress: child.address, childPostcode: child.postcode,
    category: concern.category, otherCategories: concern.otherCategories ?? [], whatHappened: concern.whatHappened, happenedOn: concern.happenedOn,
    childWords: concern.childWords, immediateRisk: concern.immediateRisk, actionsTaken: concern.actionsTaken, parentsAware: concern.parentsAware,
    parentsNotAwareReason: concern.parentsNotAwareReason, referrerPhone: concern.referrerPhone, referrerEmail: concern.referrerEmail,
    extraAnswers: concern.extraAnswers ?? {},
  };
}

/** A section's rows as a summary list's; `change` gives a row its Change link's target (none: no link). */
function summaryRows(section: SubmissionSection, change?: (name: string) => string): SummaryRow[] {
  return section.rows.map((r) => ({
    ...row(r.label, r.value, r.freeText ? 'app-preserve-lines' : undefined),
    ...(change ? { actions: { items: [{ href: `/concerns/new#${change(r.name)}`, text: 'Change', visuallyHiddenText: r.label.toLowerCase() }] } } : {}),
  }));
}

export function presentConcernCheck(
  answers: Answers, child: KnownChild | undefined, concern: CheckedConcern, failed = false,
  urgent: { phone: PhoneNow | null; immediateRiskHours: number } = { phone: null, immediateRiskHours: 2 },
  form: FormDefinition = versionCarried(portalForms(), 'concern', answers.formVersion),
): ConcernCheckView {
  // A Change link goes back to the question: a date's day box, a choice's first item.
  const target = (name: string) => (questionsOf(form).find((q) => q.name === name)?.component === 'date-input' ? `${name}-day` : name);
  const childHeadings = form.pages.flatMap((page) => page.sections).filter((section) => section.asked === 'child_unknown').map((section) => section.heading);
  const sections = submissionSections(form, storedFromChecked(concern), { catalogue: portalForms(), ...(child ? { skipHeadings: childHeadings } : {}) });
  const about = sections.filter((section) => childHeadings.includes(section.heading));
  const rest = sections.filter((section) => !childHeadings.includes(section.heading));
  const childRows = child ? [row('Child', child.label)] : about.flatMap((section) => summaryRows(section, target));
  const fields = [...answerNames, ...Object.keys(answers).filter((name) => !(answerNames as readonly string[]).includes(name))];
  return {
    immediateRisk: concern.immediateRisk,
    phone: concern.immediateRisk ? urgent.phone : null,
    whatNext: concern.immediateRisk
      ? `You said the child is at immediate risk of harm. The front door aims to act on it within ${hours(urgent.immediateRiskHours)}, day or night.`
      : 'The council’s front door will decide what to do within one working day and tell you under “Your submissions”.',
    title: failed ? 'Your concern has not been sent' : 'Check your answers before sending your concern',
    failed,
    childRows,
    concernRows: rest.flatMap((section) => summaryRows(section, target)),
    sections: [
      { heading: childHeadings[0] ?? 'The child', rows: childRows },
      ...rest.map((section) => ({ heading: section.heading, rows: summaryRows(section, target) })),
    ].filter((section) => section.rows.length),
    hiddenAnswers: fields.map((name) => ({ name, value: name === 'formVersion' ? String(form.version) : answers[name] ?? '' })),
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
  /** The forms (every version): the concern is shown with its own version's questions. */
  forms?: FormCatalogue;
}

/** The version of the concern form a released concern was made with (version 1 when not said). */
export function concernForm(concern: Pick<ReleasedConcern, 'formVersion'>, forms: FormCatalogue = portalForms()): FormDefinition {
  return formVersion(forms, 'concern', concern.formVersion ?? 1) ?? formVersion(forms, 'concern', 1)!;
}

/** A released concern as its version's sections (only what was released to this reader), optionally only some policy fields. */
export function concernSections(concern: ReleasedConcern, fields?: readonly string[], forms: FormCatalogue = portalForms()): SubmissionSection[] {
  return submissionSections(concernForm(concern, forms), concern as StoredSubmission, { catalogue: forms, ...(fields ? { fields } : {}) });
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
    // What was sent, with the questions of the version it was sent on.
    rows: [
      ...concernSections(concern, ['submission'], options.forms).flatMap((section) => summaryRows(section)),
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
