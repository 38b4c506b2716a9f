// Turns a released record (src/access/) into what a view shows: the released fields as display
// values. The access module has already dropped everything else.
import type { ReleasedChild } from '../access/index.ts';
import { accessActionLabels } from '../audit/access-log.ts';
import { isRole, roles } from '../auth/roles.ts';
import type { ChildField } from '../policy/fields.ts';
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
      return (record.chronology ?? []).map((e) => ({ ...e, occurredOn: formatDate(e.occurredOn) }));
    case 'viewedBy':
      return (record.viewedBy ?? []).map((v) => ({
        ...v, at: formatDateTime(v.at), roleTitle: isRole(v.role) ? roles[v.role].title : v.role, actionLabel: accessActionLabels[v.action],
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
