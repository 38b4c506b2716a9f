// The access log's CSV export: its columns, one entry's cells, and how the export is described
// in the access log itself. Names are given (the person, their organisation, the child where
// the policy releases it) and so are the ids behind them, for matching against other systems.
import type { AuditedChild } from '../access/index.ts';
import { accessActionLabels, type AccessLogFilters, type AccessLogRow } from '../audit/access-log.ts';
import { isRole, roles } from '../auth/roles.ts';

export const EXPORT_COLUMNS = [
  'When (UK time)', 'When (UTC)', 'Person', 'Role', 'Organisation', 'What was done', 'Child', 'Child’s date of birth',
  'Fields released', 'Reason', 'Sealed into the hash chain', 'Child’s record id', 'Organisation id', 'Log entry id', 'Request id',
] as const;

/** One entry's cells, in EXPORT_COLUMNS' order. */
export function exportCells(row: AccessLogRow & { atInEngland: string }, children: Map<string, AuditedChild>): string[] {
  const child = row.childId ? children.get(row.childId) : undefined;
  const childName = child ? [child.forename, child.surname].filter(Boolean).join(' ') : '';
  return [
    row.atInEngland, row.at.toISOString(), row.userName, isRole(row.role) ? roles[row.role].title : row.role, row.organisationName ?? '',
    accessActionLabels[row.action] ?? row.action, childName, child?.dateOfBirth ?? '',
    row.fieldsReleased.join(' '), row.reason ?? '', row.chained ? 'yes' : 'not yet', row.childId ?? '', row.organisationId ?? '', row.id, row.requestId,
  ];
}

/** What an export was of, for its own entry in the access log: filters by id and code, never a child's name. */
export function describeExport(filters: Omit<AccessLogFilters, 'limit' | 'before'>): string {
  const parts = [
    filters.childId && `child ${filters.childId}`,
    filters.userId && `person ${filters.userId}`,
    filters.person && `people named like "${filters.person}"`,
    filters.organisationId && `organisation ${filters.organisationId}`,
    filters.role && `role ${filters.role}`,
    filters.action && `action ${filters.action}`,
    filters.from && `from ${filters.from}`,
    filters.to && `to ${filters.to}`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'every entry';
}
