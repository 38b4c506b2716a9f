// The front door's view models: the queue (views/front-door/queue.eta, _results.eta) and one
// concern with its suggested children and the decision form (views/front-door/concern.eta).
// Concerns arrive reduced by the access module; this resolves labels, dates, time left, the
// summary rows, radio and select items, the error summary and the pagination.
import type { DecisionAnswers, DecisionErrors } from './decision-form.ts';
import type { CheckedSearch } from './search-form.ts';
import { concernForm, concernSections, presentFollowUps, type FollowUpView } from '../concerns/presenter.ts';
import type { ReleasedChild, ReleasedConcern, Suggestion } from '../access/index.ts';
import { isRole, roles } from '../auth/roles.ts';
import { presentChild } from '../children/summary.ts';
import { categoryLabel, concernCategories, kindsInWords } from '../concerns/categories.ts';
import { decisionLabels, decisions, isDecision } from '../concerns/decisions.ts';
import { portalForms, type FormCatalogue } from '../forms/load.ts';
import { currentVersion, questionsOf } from '../forms/versions.ts';
import { timeLeft } from '../concerns/working-days.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { escapeHtml, formatDate, formatDateTime } from '../web/format.ts';
import { numberedPagination, type NumberedPagination } from '../web/numbered-pagination.ts';
import { agencyLabels, statusLabels, type PartnerAgency, type StatusFilter } from './queue-filters.ts';

export interface SelectItem {
  value: string;
  text: string;
  selected: boolean;
}

export interface RadioItem {
  id: string;
  value: string;
  text: string;
  checked: boolean;
  hint?: { html: string };
}

export interface SummaryRow {
  key: { text: string };
  value: { text: string; classes?: string } | { html: string };
}

const row = (key: string, text: string, classes?: string): SummaryRow => ({ key: { text: key }, value: classes ? { text, classes } : { text } });
const roleTitle = (role: string | undefined) => (role && isRole(role) ? roles[role].title : role);
const due = (concern: ReleasedConcern, now: Date) => {
  if (concern.status !== 'received' || !concern.decisionDueAt) return null;
  const left = timeLeft(concern.decisionDueAt, now);
  return { overdue: left.overdue, text: left.text };
};

// ---- The queue ----

export interface QueueRow {
  reference: string;
  href: string;
  immediateRisk: boolean;
  /** The child as the partner named them. */
  child: string;
  matched: boolean;
  categoryLabel: string;
  from: string;
  receivedAt: string | null;
  due: { overdue: boolean; text: string } | null;
  decisionLabel: string | null;
  decidedAt: string | null;
  /** Who has it: a front-door worker's name, or "Not assigned". */
  assignedTo: string;
}

export interface QueueView {
  title: string;
  statusItems: SelectItem[];
  agencyItems: SelectItem[];
  categoryItems: SelectItem[];
  countText: string;
  concerns: QueueRow[];
  pagination: NumberedPagination | null;
}

export interface QueueInput {
  concerns: ReleasedConcern[];
  total: number;
  page: number;
  pages: number;
  status: StatusFilter;
  agency: PartnerAgency | null;
  category: string | null;
  now: Date;
}

export function presentQueue({ concerns, total, page, pages, status, agency, category, now }: QueueInput): QueueView {
  const href = (p: number) =>
    `/front-door?status=${encodeURIComponent(status)}&agency=${encodeURIComponent(agency ?? '')}&category=${encodeURIComponent(category ?? '')}&page=${p}`;
  return {
    title: 'Front door',
    statusItems: Object.entries(statusLabels).map(([value, text]) => ({ value, text, selected: value === status })),
    agencyItems: [
      { value: '', text: 'Any agency', selected: false },
      ...Object.entries(agencyLabels).map(([value, text]) => ({ value, text, selected: value === agency })),
    ],
    categoryItems: [
      { value: '', text: 'Any kind', selected: false },
      ...Object.entries(concernCategories).map(([value, { label }]) => ({ value, text: label, selected: value === category })),
    ],
    countText: `${total} ${total === 1 ? 'concern' : 'concerns'}`,
    concerns: concerns.map((concern) => ({
      reference: concern.reference,
      href: `/front-door/${concern.id}`,
      immediateRisk: Boolean(concern.immediateRisk),
      child: [concern.childForename, concern.childSurname].filter(Boolean).join(' ') || 'Name not given',
      matched: concern.childId !== null,
      categoryLabel: categoryLabel(concern.category),
      from: `${concern.organisationName} (${roleTitle(concern.submittedByRole)})`,
      receivedAt: formatDateTime(concern.receivedAt),
      due: due(concern, now),
      decisionLabel: concern.decision ? decisionLabels[concern.decision] : null,
      decidedAt: concern.decidedAt ? formatDateTime(concern.decidedAt) : null,
      assignedTo: concern.assignedToName ?? 'Not assigned',
    })),
    pagination: numberedPagination(page, pages, href, 'Pages of concerns'),
  };
}

// ---- One concern ----

export type { DecisionAnswers, DecisionErrors } from './decision-form.ts';

const decisionFields = ['match', 'decision', 'reason', 'feedback'] as const;

export interface FrontDoorConcernView {
  title: string;
  /** "Decision recorded", after the decision has been made on this page. */
  recorded: boolean;
  errorList: ErrorSummaryItem[];
  errorMessages: Record<(typeof decisionFields)[number], ErrorMessage>;
  categoryLabel: string;
  reference: string;
  immediateRisk: boolean;
  due: { overdue: boolean; text: string } | null;
  senderRows: SummaryRow[];
  /** The child as the partner described them; null when raised from the child's record in the portal. */
  childRows: SummaryRow[] | null;
  accountRows: SummaryRow[];
  childWords: string | null;
  /** What the partner added after sending it, oldest first. */
  followUps: FollowUpView[];
  decided: boolean;
  decisionRows: SummaryRow[];
  decisionAction: string;
  matchItems: Array<RadioItem | { divider: string }>;
  /** No child's record matches: the match question says so. */
  noSuggestions: boolean;
  /** The search by hand for the child, while the concern waits for a decision by this user. */
  search: SearchView | null;
  decisionItems: RadioItem[];
  /** The decision form's questions as its current version words them (forms/decision/<n>.yaml). */
  decisionQuestions: Record<'match' | 'decision' | 'reason' | 'feedback', { legendHtml: string; label: string; hint: { text: string } | undefined }>;
  reason: string;
  feedback: string;
  /** The concern's version as this page shows it: the decision form sends it back. */
  seenVersion: string;
  /** Someone else changed the concern after the worker's page was made: the decision was refused. */
  staleMessage: string | null;
  /** What the front door knows of the matched child, beside the decision form. */
  context: ContextView | null;
  /** Who has the concern, and the form to give it to someone (while it waits for a decision). */
  assignment: AssignmentView | null;
  backHref: string;
  next: { href: string; reference: string } | null;
}

export interface ContextView {
  name: string;
  rows: SummaryRow[];
  chronology: Array<{ date: string; type: string; summary: string }>;
  /** False when the policy does not release the chronology. */
  chronologyShown: boolean;
  earlierConcerns: Array<{ href: string; reference: string; received: string; category: string; from: string; outcome: string }>;
}

export interface AssignmentView {
  action: string;
  assignedText: string;
  items: SelectItem[];
}

export interface SearchView {
  action: string;
  name: string;
  dateOfBirth: { day: string; month: string; year: string };
  identifier: string;
  errorMessage: ErrorMessage;
  /** After a search: how many were found, and where they are. */
  resultText: string | null;
}

/** A suggested child as a radio item: the name, why it is suggested, and only the released fields. */
function matchItem({ child, reason }: Suggestion, index: number, answer: string): RadioItem {
  // The same display values as the child's summary, and only the released ones.
  const shown = presentChild(child);
  const text = (field: 'dateOfBirth' | 'postcode' | 'legalStatus') => (field in shown ? (shown[field] as string | null) : null);
  const [dateOfBirth, postcode, legalStatus] = [text('dateOfBirth'), text('postcode'), text('legalStatus')];
  const hint = `<strong data-testid="match-reason">${escapeHtml(reason)}</strong><br>`
    + (dateOfBirth ? `Born ${escapeHtml(dateOfBirth)}` : '')
    + (postcode ? `, ${escapeHtml(postcode)}` : '')
    + (legalStatus ? `<br>${escapeHtml(legalStatus)}` : '');
  return { id: index === 0 ? 'match' : `match-${child.id}`, value: child.id, text: `${child.forename} ${child.surname}`, checked: answer !== '' && child.id === answer, hint: { html: hint } };
}

export interface FrontDoorConcernInput {
  concern: ReleasedConcern;
  /** The children it may be about (while it waits for a decision). */
  suggestions: Suggestion[];
  /** Children found by the front door's search by hand (offered after the suggestions). */
  found?: Suggestion[];
  /** The search as asked, when the search form is shown. */
  search?: (CheckedSearch & { ran: boolean }) | null;
  /** The child it was matched to, once decided. */
  matchedChild: { id: string; name: string } | null;
  answers: DecisionAnswers;
  errors: DecisionErrors;
  recorded: boolean;
  now: Date;
  /** The matched child as the front door may read it (with its chronology where released). */
  contextChild?: ReleasedChild | null;
  earlierConcerns?: ReleasedConcern[];
  /** The forms (every version): the concern is shown with its own version's questions. */
  forms?: FormCatalogue;
  /** Offer "Passed to the allocated social worker": the child is open and has an allocated worker. */
  passOffered?: boolean;
  staff?: Array<{ id: string; name: string }>;
  staleMessage?: string | null;
  next?: { id: string; reference: string } | null;
}

/** How many chronology events the concern page shows beside the decision. */
export const CONTEXT_CHRONOLOGY_SIZE = 10;

function presentContext(child: ReleasedChild, earlier: ReleasedConcern[]): ContextView {
  const shown = presentChild(child);
  const text = (field: 'legalStatus' | 'workerName' | 'teamName', none: string) => (field in shown ? String(shown[field] ?? none) : null);
  const rows: SummaryRow[] = [];
  const status = text('legalStatus', 'No open involvement');
  if (status !== null) rows.push(row('Status', status));
  const worker = text('workerName', 'Not allocated');
  if (worker !== null) rows.push(row('Allocated worker', worker));
  const team = text('teamName', 'No team');
  if (team !== null) rows.push(row('Team', team));
  return {
    name: [child.forename, child.surname].filter(Boolean).join(' ') || 'The matched child',
    rows,
    chronologyShown: child.chronology !== undefined,
    chronology: (child.chronology ?? []).slice(0, CONTEXT_CHRONOLOGY_SIZE).map((e) => ({ date: formatDate(e.occurredOn) ?? '', type: e.eventType, summary: e.summary })),
    earlierConcerns: earlier.map((e) => ({
      href: `/front-door/${e.id}`,
      reference: e.reference,
      received: e.receivedAt ? (formatDateTime(e.receivedAt) ?? '') : '',
      category: e.category ? categoryLabel(e.category) : '',
      from: e.organisationName ?? '',
      outcome: e.decision ? decisionLabels[e.decision] : e.status === 'received' ? 'Waiting for a decision' : '',
    })),
  };
}

export function presentFrontDoorConcern({
  concern: c, suggestions: suggested, found = [], search = null, matchedChild, answers, errors, recorded, now,
  contextChild = null, earlierConcerns = [], passOffered = false, staff = [], staleMessage = null, next = null, forms = portalForms(),
}: FrontDoorConcernInput): FrontDoorConcernView {
  // Shown elsewhere on the page: the kinds (the caption) and the child's own words (a quotation).
  const decisionForm = questionsOf(currentVersion(forms, 'decision', now));
  const decisionQuestion = decisionForm.find((q) => q.name === 'decision');
  const apart = new Set(questionsOf(concernForm(c, forms)).filter((q) => q.child_own_words || q.main_question).map((q) => q.name));
  // Suggestions first, then the children found by a search that were not already suggested.
  const suggestions = [...suggested, ...found.filter((f) => !suggested.some((s) => s.child.id === f.child.id))];
  const foundCount = found.length;
  const notGiven = (value: string | null | undefined) => value || 'Not given';
  const raisedFromRecord = Boolean(c.childId && !c.childForename && !c.childSurname && !c.childNhsNumber && !c.childUpn);
  // The partner's child first when they chose one; "None of these" unless that child is among the suggestions.
  const offerUnmatched = !c.childId || !suggestions.some((s) => s.child.id === c.childId);
  const matchItems: Array<RadioItem | { divider: string }> = suggestions.map((s, index) => matchItem(s, index, answers.match));
  if (offerUnmatched) {
    if (suggestions.length) matchItems.push({ divider: 'or' });
    matchItems.push({ id: suggestions.length ? 'match-unmatched' : 'match', value: 'unmatched', text: 'None of these – keep unmatched', checked: answers.match === 'unmatched' });
  }
  const childLink = matchedChild
    ? `<a class="govuk-link" href="/children/${escapeHtml(matchedChild.id)}">${escapeHtml(matchedChild.name)}</a>`
    : 'Not matched';
  const decided = c.status === 'decided';
  return {
    title: `${Object.keys(errors).length || search?.error ? 'Error: ' : ''}Concern ${c.reference}`,
    recorded: recorded && decided,
    errorList: [...(search?.error ? [{ text: search.error, href: '#search-dob-day' }] : []), ...errorList(errors, decisionFields)],
    errorMessages: errorMessages(errors, decisionFields),
    categoryLabel: c.category ? kindsInWords(c.category, c.otherCategories ?? []) : '',
    reference: c.reference,
    immediateRisk: Boolean(c.immediateRisk),
    due: due(c, now),
    senderRows: [
      row('Sent by', `${c.submittedByName}, ${roleTitle(c.submittedByRole)}, ${c.organisationName}`),
      row('Received', formatDateTime(c.receivedAt) ?? ''),
      row('Phone number', c.referrerPhone ?? ''),
      row('Email address', notGiven(c.referrerEmail)),
    ],
    childRows: raisedFromRecord ? null : [
      row('Name', notGiven([c.childForename, c.childSurname].filter(Boolean).join(' '))),
      row('Date of birth', notGiven(formatDate(c.childDateOfBirth))),
      row('NHS number', notGiven(c.childNhsNumber)),
      row('Unique pupil number', notGiven(c.childUpn)),
      row('Address', notGiven([c.childAddress, c.childPostcode].filter(Boolean).join(', '))),
    ],
    // What was sent, with the questions of the version it was sent on; the kinds are the page's
    // caption and the child's own words have a place of their own.
    accountRows: concernSections(c, ['submission'], forms).flatMap((section) => section.rows)
      .filter((r) => !apart.has(r.name))
      .map((r) => row(r.label, r.value, r.freeText ? 'app-preserve-lines' : undefined)),
    childWords: c.childWords || null,
    followUps: presentFollowUps(c),
    decided,
    decisionRows: decided ? [
      row('Decision', c.decision ? decisionLabels[c.decision] : ''),
      row('Reason', c.decisionReason ?? '', 'app-preserve-lines'),
      row('Feedback to the partner', c.feedback ?? '', 'app-preserve-lines'),
      { key: { text: 'Child' }, value: { html: childLink } },
      row('Decided', `${c.decidedAt ? formatDateTime(c.decidedAt) : null}${c.decidedByName ? ` by ${c.decidedByName}` : ''}`),
    ] : [],
    decisionAction: `/front-door/${c.id}/decision`,
    matchItems,
    noSuggestions: suggested.length === 0,
    search: search && !decided ? {
      action: `/front-door/${c.id}`,
      name: search.answers.name,
      dateOfBirth: { day: search.answers.day, month: search.answers.month, year: search.answers.year },
      identifier: search.answers.identifier,
      errorMessage: search.error ? { text: search.error } : false,
      resultText: search.ran
        ? (foundCount ? `${foundCount} ${foundCount === 1 ? 'child' : 'children'} found: choose from them below` : 'No child you can see matches your search')
        : null,
    } : null,
    // The decisions the form's version offers, in its order and words (passing to the allocated worker only where offered).
    decisionItems: (decisionQuestion?.options ?? decisions.map((d) => ({ value: d, label: decisionLabels[d] })))
      .filter((option) => isDecision(option.value) && (option.value !== 'passed_to_allocated_worker' || passOffered || answers.decision === option.value))
      .map((option, index) => ({ id: index === 0 ? 'decision' : `decision-${option.value}`, value: option.value, text: option.label, checked: option.value === answers.decision })),
    decisionQuestions: Object.fromEntries((['match', 'decision', 'reason', 'feedback'] as const).map((name) => {
      const question = decisionForm.find((q) => q.name === name);
      const label = question?.label ?? name;
      return [name, { label, legendHtml: `<h2 class="govuk-fieldset__heading">${escapeHtml(label)}</h2>`, hint: question?.hint ? { text: question.hint } : undefined }];
    })) as FrontDoorConcernView['decisionQuestions'],
    reason: answers.reason,
    feedback: answers.feedback,
    seenVersion: String(c.version ?? ''),
    staleMessage: staleMessage ? `Someone else has changed this concern since you opened it: ${staleMessage}. Check it, then decide again.` : null,
    context: contextChild && !decided ? presentContext(contextChild, earlierConcerns) : null,
    assignment: decided || !staff.length ? null : {
      action: `/front-door/${c.id}/assign`,
      assignedText: c.assignedToName ? `${c.assignedToName}${c.assignedAt ? ` since ${formatDateTime(c.assignedAt)}` : ''}` : 'Not assigned',
      items: [
        { value: '', text: 'Nobody', selected: !c.assignedToUserId },
        ...staff.map((u) => ({ value: u.id, text: u.name, selected: u.id === c.assignedToUserId })),
      ],
    },
    backHref: '/front-door',
    next: next ? { href: `/front-door/${next.id}`, reference: next.reference } : null,
  };
}
