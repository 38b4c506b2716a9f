// Turns a released record (src/access/) into what a view shows: the released fields as display
// values. The access module has already dropped everything else.
import type { ChronologyEntry, ReleasedChild } from '../access/index.ts';
import { accessActionLabels } from '../audit/access-log.ts';
import { isRole, roles } from '../auth/roles.ts';
import { childFields, type ChildField } from '../policy/fields.ts';
import { formatDate, formatDateTime } from '../web/format.ts';

export const legalStatusLabels = {
  child_protection: 'Child protection plan',
  looked_after: 'Looked after',
  child_in_need: 'Child in need',
} as const;

export const cpCategoryLabels: Record<string, string> = {
  NEG: 'Neglect',
  PHY: 'Physical abuse',
  SAB: 'Sexual abuse',
  EMO: 'Emotional abuse',
  MUL: 'Multiple categories',
};

const relationshipLabels: Record<string, string> = { enrolled: 'On roll at', registered: 'Registered with', caseload: 'On the caseload of' };

export type ChildSummary = { id: string } & Partial<Record<ChildField, unknown>>;

/** A partner's concern in the chronology, as the "Read the concern" details show it. */
export interface ChronologyConcernView {
  whatHappened: string;
  childWords: string | null;
  immediateRisk: string;
  actionsTaken: string | null;
  parentsKnow: string;
  raisedBy: string;
}

export interface ChronologyView {
  occurredOn: string | null;
  eventType: string;
  sourceAgency: string;
  summary: string;
  concern: ChronologyConcernView | null;
}

export interface ViewedByView {
  at: string | null;
  organisationName: string | null;
  roleTitle: string;
  userName: string;
  /** The reason given, or what was done where none was. */
  reason: string;
}

function chronologyEntry(entry: ChronologyEntry): ChronologyView {
  const concern = entry.concern;
  return {
    occurredOn: formatDate(entry.occurredOn),
    eventType: entry.eventType,
    sourceAgency: entry.sourceAgency,
    summary: entry.summary,
    concern: concern && {
      whatHappened: concern.whatHappened,
      childWords: concern.childWords,
      immediateRisk: concern.immediateRisk ? 'Yes' : 'No',
      actionsTaken: concern.actionsTaken,
      parentsKnow: concern.parentsAware ? 'Yes' : `No: ${concern.parentsNotAwareReason}`,
      raisedBy: `${concern.submittedByName}, ${concern.referrerPhone}`,
    },
  };
}

function value(record: ReleasedChild, field: ChildField): unknown {
  const order: Array<keyof typeof legalStatusLabels> = ['child_protection', 'looked_after', 'child_in_need'];
  const open = order.filter((kind) => (record.openKinds ?? []).includes(kind));
  switch (field) {
    case 'legalStatus':
      return open.length ? open.map((kind) => legalStatusLabels[kind]).join(' and ') : 'No open involvement';
    case 'cpCategory':
      return record.cpCategory ? `${cpCategoryLabels[record.cpCategory] ?? record.cpCategory} (${record.cpCategory})` : 'Not on a child protection plan';
    case 'cpisStatus': {
      const cpis = open.filter((kind) => kind !== 'child_in_need');
      return cpis.length ? cpis.map((kind) => `${legalStatusLabels[kind]}: active`).join(' and ') : 'No child protection plan or looked-after status';
    }
    case 'cpisStartDate':
      return formatDate([record.cpStartDate, record.lookedAfterStartDate].filter(Boolean).sort()[0]);
    case 'dateOfBirth':
    case 'involvementStartDate':
    case 'nextReviewDate':
      return formatDate(record[field]);
    case 'relationships':
      return (record.currentRelationships ?? []).map((r) => `${relationshipLabels[r.kind] ?? r.kind} ${r.organisationName} since ${formatDate(r.startDate)}`);
    case 'chronology':
      return (record.chronology ?? []).map(chronologyEntry);
    case 'viewedBy':
      return (record.viewedBy ?? []).map((v): ViewedByView => ({
        at: formatDateTime(v.at),
        organisationName: v.organisationName,
        roleTitle: isRole(v.role) ? roles[v.role].title : v.role,
        userName: v.userName,
        reason: v.reason || accessActionLabels[v.action],
      }));
    default:
      return record[field];
  }
}

export function presentChild(record: ReleasedChild): ChildSummary {
  const summary: ChildSummary = { id: record.id };
  for (const field of record.fields) summary[field] = value(record, field);
  return summary;
}

/** The summary rows views/partials/child-fields.eta shows, in this order, where released. */
const summaryOrder: ChildField[] = ['forename', 'surname', 'dateOfBirth', 'gender', 'nhsNumber', 'upn', 'address', 'postcode', 'legalStatus',
  'cpCategory', 'involvementStartDate', 'nextReviewDate', 'cpisStatus', 'cpisStartDate', 'workerName', 'teamName', 'workerPhone', 'teamPhone',
  'councilName', 'dutyPhone', 'outOfHoursPhone'];

/** What views/partials/child-fields.eta shows: only the released fields, each with its label. */
export interface ChildFieldsView {
  rows: Array<{ field: ChildField; label: string; value: string }>;
  relationships: { label: string; items: string[] } | null;
  chronology: ChronologyView[] | null;
  viewedBy: ViewedByView[] | null;
}

const shownText = (value: unknown) => (value === null || value === undefined || value === '' ? 'Not recorded' : String(value));

export function presentChildFields(record: ReleasedChild): ChildFieldsView {
  const summary = presentChild(record);
  const released = (field: ChildField) => field in summary;
  return {
    rows: summaryOrder.filter(released).map((field) => ({ field, label: childFields[field], value: shownText(summary[field]) })),
    relationships: released('relationships') ? { label: childFields.relationships, items: summary.relationships as string[] } : null,
    chronology: released('chronology') ? (summary.chronology as ChronologyView[]) : null,
    viewedBy: released('viewedBy') ? (summary.viewedBy as ViewedByView[]) : null,
  };
}

/** A child's name where released, for a heading or a link. */
export function childName(summary: ChildSummary): string {
  return [summary.forename, summary.surname].filter(Boolean).join(' ');
}

/** The child's summary page (views/children/summary.eta). */
export function presentChildSummary(record: ReleasedChild, canRaiseConcern: boolean) {
  const summary = presentChild(record);
  return {
    title: 'Child summary',
    heading: 'forename' in summary || 'surname' in summary ? childName(summary) : 'Child summary',
    raiseConcernHref: canRaiseConcern ? `/concerns/new?child=${record.id}` : null,
    child: presentChildFields(record),
  };
}
