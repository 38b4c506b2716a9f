// What every part of the merge shares: the run it works for, and how it words a report line.
import type postgres from 'postgres';
import type { Issue } from '../issues.ts';
import type { ImportRecord, ImportSource } from '../records.ts';

export type Tx = postgres.TransactionSql;

export interface MergeContext {
  runId: string;
  /** The case system, as configured (IMPORT_CASE_SYSTEM): the first half of a child's key. */
  system: string;
  source: ImportSource;
  localAuthorityId: string;
  /** ISO date: the end date given to what a snapshot no longer lists. */
  today: string;
}

export type MergeOutcome = 'inserted' | 'updated' | 'unchanged' | 'rejected' | 'held';

/** One record's result: its outcome and any report lines (the reason it was held or rejected, warnings). */
export interface Result {
  outcome: MergeOutcome;
  issues: Issue[];
}

export const ok = (outcome: 'inserted' | 'updated' | 'unchanged', issues: Issue[] = []): Result => ({ outcome, issues });

type IssueDetail = Pick<Issue, 'rule' | 'message'> & Partial<Pick<Issue, 'field' | 'value'>>;

/** The report line for a record: the child's id where the record names one; a held record travels with it. */
export function issueFor(context: MergeContext, record: ImportRecord, outcome: Issue['outcome'], detail: IssueDetail): Issue {
  const caseSystemId = 'caseSystemId' in record ? record.caseSystemId : (record.child.caseSystemId ?? null);
  return {
    source: context.source,
    where: record.where,
    caseSystemId,
    rule: detail.rule,
    dfeRule: null,
    field: detail.field ?? null,
    value: detail.value ?? null,
    message: detail.message,
    outcome,
    ...(outcome === 'held' ? { record } : {}),
  };
}

export const rejected = (context: MergeContext, record: ImportRecord, detail: IssueDetail): Result =>
  ({ outcome: 'rejected', issues: [issueFor(context, record, 'rejected', detail)] });
export const held = (context: MergeContext, record: ImportRecord, detail: IssueDetail): Result =>
  ({ outcome: 'held', issues: [issueFor(context, record, 'held', detail)] });

/** The later of two ISO dates (an end date may not fall before its start). */
export const later = (a: string, b: string) => (a > b ? a : b);
