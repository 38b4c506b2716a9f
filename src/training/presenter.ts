// Training records' view models: the list of partners (views/training/list.eta) and the form to
// record one partner's training (views/training/record.eta).
import { isRole, roles } from '../auth/roles.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { escapeHtml, formatDate, formatDateTime } from '../web/format.ts';
import { trainingStateLabels, type TrainingFilterErrors, type TrainingFilterInput } from './filters.ts';
import type { PartnerUser } from './queries.ts';
import { DEFAULT_TRAINING_VALID_MONTHS, renewalDueOn, trainingState, type TrainingState } from './renewal.ts';

/** A partner as the pages show them. */
export interface PartnerView {
  id: string;
  name: string;
  email: string | null;
  /** "Role, organisation", one for each of their roles. */
  assignments: string[];
  /** When they completed the training, or null where it is not recorded. */
  training: string | null;
  /** Where the date came from: who recorded it, or what their organisation's sign-in said. */
  recorded: string | null;
  /** Current, renewal due, or not recorded, with the tag's colour. */
  status: { text: string; classes: string; state: TrainingState };
  /** When renewal is (or was) due, in words; null where nothing is recorded. */
  renewal: string | null;
  lastSignedIn: string | null;
  href: string;
}

const stateTags: Record<TrainingState, string> = {
  current: 'govuk-tag--green',
  renewal_due: 'govuk-tag--orange',
  not_recorded: 'govuk-tag--yellow',
};

/** Where the training date came from, in words (migrations/018 training_source). */
function dateSource(user: PartnerUser): string | null {
  if (!user.trainingCompletedOn) return null;
  if (user.trainingSource === 'council' || (!user.trainingSource && user.recordedAt)) {
    return `Recorded by ${user.recordedByName ?? 'the council'}${user.recordedAt ? ` on ${formatDateTime(user.recordedAt)}` : ''}`;
  }
  if (user.trainingSource === 'sign_in_dated') return 'Date given by their organisation’s sign-in';
  return `Confirmed by their organisation, no date given: first confirmed on ${formatDate(user.trainingCompletedOn)}`;
}

export function presentPartner(user: PartnerUser, validMonths = DEFAULT_TRAINING_VALID_MONTHS, today?: string): PartnerView {
  const state = trainingState(user.trainingCompletedOn, validMonths, today);
  const due = user.trainingCompletedOn ? formatDate(renewalDueOn(user.trainingCompletedOn, validMonths)) : null;
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    assignments: user.assignments.map((a) => `${isRole(a.role) ? roles[a.role].title : a.role}, ${a.organisationName}`),
    // An undated confirmation has no completion date to show: only the day it was first confirmed (in `recorded`).
    training: user.trainingCompletedOn && user.trainingSource !== 'sign_in_undated' ? formatDate(user.trainingCompletedOn) : null,
    recorded: dateSource(user),
    status: { text: trainingStateLabels[state], classes: stateTags[state], state },
    renewal: due ? (state === 'renewal_due' ? `Renewal was due on ${due}` : `Renewal due ${due}`) : null,
    lastSignedIn: formatDateTime(user.lastSignedInAt),
    href: `/training/${user.id}`,
  };
}

export interface TrainingListOptions {
  validMonths: number;
  organisations: Array<{ id: string; name: string }>;
  input: TrainingFilterInput;
  errors: TrainingFilterErrors;
  today?: string;
}

const filterFields = ['organisation', 'status'] as const;

const noFilters: TrainingListOptions = { validMonths: DEFAULT_TRAINING_VALID_MONTHS, organisations: [], input: { organisation: '', status: '' }, errors: {} };

export function presentTrainingList(users: PartnerUser[], recordedId: string, options: TrainingListOptions = noFilters) {
  const partners = users.map((user) => presentPartner(user, options.validMonths, options.today));
  const { input, errors } = options;
  const filtered = !Object.keys(errors).length && Boolean(input.organisation || input.status);
  const organisations = [...options.organisations].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
  return {
    title: `${Object.keys(errors).length ? 'Error: ' : ''}Safeguarding training records`,
    users: partners,
    /** The partner whose training was just recorded, for the banner. */
    recordedName: partners.find((u) => u.id === recordedId)?.name ?? null,
    validYears: options.validMonths % 12 === 0 ? `${options.validMonths / 12} ${options.validMonths === 12 ? 'year' : 'years'}` : `${options.validMonths} months`,
    errorList: errorList(errors, filterFields),
    errorMessages: errorMessages(errors, filterFields),
    organisationItems: [
      { value: '', text: 'All organisations', selected: !organisations.some((o) => o.id === input.organisation) },
      ...organisations.map((o) => ({ value: o.id, text: o.name, selected: o.id === input.organisation })),
    ],
    statusItems: [
      { value: '', text: 'Any status', selected: !Object.hasOwn(trainingStateLabels, input.status) },
      ...(Object.keys(trainingStateLabels) as TrainingState[]).map((value) => ({ value, text: trainingStateLabels[value], selected: value === input.status })),
    ],
    filtered,
    empty: filtered ? 'No partner matches these filters.' : 'No partner has signed in yet.',
  };
}

export interface TrainingRecordView {
  title: string;
  errorList: ErrorSummaryItem[];
  errorMessage: ErrorMessage;
  name: string;
  action: string;
  rows: Array<{ key: { text: string }; value: { text: string } | { html: string } }>;
  values: { day: string; month: string; year: string };
}

export function presentTrainingRecord(user: PartnerUser, values: { day: string; month: string; year: string }, error?: string, validMonths = DEFAULT_TRAINING_VALID_MONTHS): TrainingRecordView {
  const partner = presentPartner(user, validMonths);
  const errors = { completed: error };
  return {
    title: `${error ? 'Error: ' : ''}Record training for ${partner.name}`,
    errorList: errorList(errors, ['completed'], { completed: 'completed-day' }),
    errorMessage: errorMessages(errors, ['completed']).completed,
    name: partner.name,
    action: `/training/${partner.id}`,
    rows: [
      { key: { text: 'Role' }, value: { html: partner.assignments.map((a) => `${escapeHtml(a)}<br>`).join('') } },
      { key: { text: 'Training now' }, value: { text: partner.recorded ? `${partner.training ? `Completed ${partner.training}. ` : ''}${partner.recorded}. ${partner.renewal}.` : 'Not recorded' } },
    ],
    values: { day: values.day, month: values.month, year: values.year },
  };
}

/**
 * For the page that says why someone cannot raise concerns (views/concerns/not-trained.eta):
 * when their training's renewal fell due, where it has; null where training was never recorded.
 */
export function presentTrainingRenewal(actor: { trainingCompleted: boolean; trainingRenewalDue?: string | null } | undefined): { dueOn: string } | null {
  if (!actor || actor.trainingCompleted || !actor.trainingRenewalDue) return null;
  return { dueOn: formatDate(actor.trainingRenewalDue)! };
}
