// Training records' view models: the list of partners (views/training/list.eta) and the form to
// record one partner's training (views/training/record.eta).
import { isRole, roles } from '../auth/roles.ts';
import { errorList, errorMessages, type ErrorMessage, type ErrorSummaryItem } from '../web/error-list.ts';
import { escapeHtml, formatDate, formatDateTime } from '../web/format.ts';
import type { PartnerUser } from './queries.ts';

/** A partner as the pages show them. */
export interface PartnerView {
  id: string;
  name: string;
  email: string | null;
  /** "Role, organisation", one for each of their roles. */
  assignments: string[];
  /** When they completed the training, or null where it is not recorded. */
  training: string | null;
  /** Who recorded it, or that their organisation's sign-in says so. */
  recorded: string | null;
  lastSignedIn: string | null;
  href: string;
}

export function presentPartner(user: PartnerUser): PartnerView {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    assignments: user.assignments.map((a) => `${isRole(a.role) ? roles[a.role].title : a.role}, ${a.organisationName}`),
    training: user.trainingCompletedOn ? formatDate(user.trainingCompletedOn) : null,
    recorded: user.recordedAt ? `Recorded by ${user.recordedByName ?? 'the council'} on ${formatDateTime(user.recordedAt)}` : user.trainingCompletedOn ? 'From their organisation’s sign-in' : null,
    lastSignedIn: formatDateTime(user.lastSignedInAt),
    href: `/training/${user.id}`,
  };
}

export function presentTrainingList(users: PartnerUser[], recordedId: string) {
  const partners = users.map(presentPartner);
  return {
    title: 'Safeguarding training records',
    users: partners,
    /** The partner whose training was just recorded, for the banner. */
    recordedName: partners.find((u) => u.id === recordedId)?.name ?? null,
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

export function presentTrainingRecord(user: PartnerUser, values: { day: string; month: string; year: string }, error?: string): TrainingRecordView {
  const partner = presentPartner(user);
  const errors = { completed: error };
  return {
    title: `${error ? 'Error: ' : ''}Record training for ${partner.name}`,
    errorList: errorList(errors, ['completed'], { completed: 'completed-day' }),
    errorMessage: errorMessages(errors, ['completed']).completed,
    name: partner.name,
    action: `/training/${partner.id}`,
    rows: [
      { key: { text: 'Role' }, value: { html: partner.assignments.map((a) => `${escapeHtml(a)}<br>`).join('') } },
      { key: { text: 'Training now' }, value: { text: partner.training ? `Completed ${partner.training}. ${partner.recorded}` : 'Not recorded' } },
    ],
    values: { day: values.day, month: values.month, year: values.year },
  };
}
