// The policy's rules as SQL: which rows of a record subject a query may return. CASL flattens
// the rules for an action into "any permitting rule, and none of the forbidding ones that came
// after it" (rulesToCondition); each rule's conditions become a parameterised SQL fragment
// here, through the subject's own translation. A subject or condition without a translation is
// refused with an error, never matched. Field-only restrictions (a forbidding rule that names
// fields) limit what is shown, not which rows are found, so they are left out.
import { rulesToCondition } from '@casl/ability/extra';
import type { PendingQuery, Row } from 'postgres';
import type { Db } from '../db/connect.ts';
import type { Action, PortalAbility } from '../policy/ability.ts';
import type { RecordSubject } from '../policy/subjects.ts';

export type Fragment = PendingQuery<Row[]>;
type Translate = (sql: Db, key: string, value: unknown) => Fragment;

interface RelationshipMatch {
  $elemMatch: { organisationId: string; kind: string };
}

/**
 * `exists (…)` where the policy says true, `not exists (…)` where it says false. Never
 * `exists (…) = $1`: PostgreSQL cannot turn a compared EXISTS into a join, so it ran the
 * subquery for every child (a school's list at 1 M children took 3 s; as a semi-join, ms).
 */
function existsIs(sql: Db, key: string, value: unknown, exists: Fragment): Fragment {
  if (value === true) return sql`${exists}`;
  if (value === false) return sql`not ${exists}`;
  throw new Error(`policy condition "${key}" must be true or false`);
}

/** Conditions on `children c`. */
const childCondition: Translate = (sql, key, value) => {
  switch (key) {
    case 'open':
      return existsIs(sql, key, value, sql`exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)`);
    case 'cpisActive':
      return existsIs(sql, key, value, sql`exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null
                                                     and i.kind in ('child_protection', 'looked_after'))`);
    case 'sealed':
      return sql`(c.sealed = ${value as boolean})`;
    case 'addressWithheld':
      return sql`(c.address_withheld = ${value as boolean})`;
    case 'restricted':
      return sql`(c.restricted = ${value as boolean})`;
    case 'relationships': {
      const { organisationId, kind } = (value as RelationshipMatch).$elemMatch;
      return sql`exists (select 1 from child_organisation_relationships r
                         where r.child_id = c.id and r.end_date is null
                           and r.organisation_id = ${organisationId} and r.kind = ${kind})`;
    }
    case 'allocatedWorkerId':
      return sql`exists (select 1 from allocations a where a.child_id = c.id and a.end_date is null
                           and a.social_worker_id = ${value as string})`;
    case 'allocatedTeamId':
      return sql`exists (select 1 from allocations a join social_workers w on w.id = a.social_worker_id
                         where a.child_id = c.id and a.end_date is null and w.team_id = ${value as string})`;
    default:
      throw new Error(`policy condition "${key}" on Child has no SQL translation`);
  }
};

/** Conditions on `concerns c`. */
const concernCondition: Translate = (sql, key, value) => {
  switch (key) {
    case 'organisationId':
      return sql`(c.organisation_id = ${value as string})`;
    default:
      throw new Error(`policy condition "${key}" on Concern has no SQL translation`);
  }
};

/** Conditions on `social_worker_notifications c` joined to `social_workers w`. */
const alertCondition: Translate = (sql, key, value) => {
  switch (key) {
    case 'socialWorkerId':
      return sql`(c.social_worker_id = ${value as string})`;
    case 'teamId':
      return sql`(w.team_id = ${value as string})`;
    default:
      throw new Error(`policy condition "${key}" on Alert has no SQL translation`);
  }
};

/** Conditions on `encompass_notifications c`. */
const encompassCondition: Translate = (sql, key, value) => {
  switch (key) {
    case 'forceId':
      return sql`(c.force_id = ${value as string})`;
    case 'schoolId':
      return sql`(c.school_id is not null and c.school_id = ${value as string})`;
    case 'forFrontDoor':
      return sql`((c.school_id is null) = ${value as boolean})`;
    default:
      throw new Error(`policy condition "${key}" on EncompassNotification has no SQL translation`);
  }
};

/** Conditions on `documents c` (c.child_id: the folder's child; null for the unmatched folder). */
const documentCondition: Translate = (sql, key, value) => {
  switch (key) {
    case 'organisationId':
      return sql`(c.organisation_id = ${value as string})`;
    case 'allocatedWorkerId':
      return sql`exists (select 1 from allocations a where a.child_id = c.child_id and a.end_date is null
                           and a.social_worker_id = ${value as string})`;
    case 'sealed':
      return sql`(coalesce((select k.sealed from children k where k.id = c.child_id), false) = ${value as boolean})`;
    default:
      throw new Error(`policy condition "${key}" on Document has no SQL translation`);
  }
};

/** Conditions on `case_audits c` (issue 17). */
const caseAuditCondition: Translate = (sql, key, value) => {
  switch (key) {
    case 'auditorUserId':
      return sql`(c.auditor_user_id = ${value as string})`;
    case 'auditedUserId':
      return sql`(c.audited_user_id is not null and c.audited_user_id = ${value as string})`;
    default:
      throw new Error(`policy condition "${key}" on CaseAudit has no SQL translation`);
  }
};

/** Conditions on `case_audit_actions c` (each belongs to one audit). */
const caseAuditActionCondition: Translate = (sql, key, value) => {
  switch (key) {
    case 'assigneeUserId':
      return sql`(c.assignee_user_id = ${value as string})`;
    case 'auditorUserId':
      return sql`exists (select 1 from case_audits a where a.id = c.audit_id and a.auditor_user_id = ${value as string})`;
    default:
      throw new Error(`policy condition "${key}" on CaseAuditAction has no SQL translation`);
  }
};

const translations: Record<RecordSubject, Translate> = {
  Child: childCondition, Concern: concernCondition, Alert: alertCondition, EncompassNotification: encompassCondition, Document: documentCondition,
  CaseAudit: caseAuditCondition, CaseAuditAction: caseAuditActionCondition,
};

function combine(sql: Db, parts: Fragment[], operator: 'and' | 'or'): Fragment {
  if (parts.length === 0) return operator === 'and' ? sql`true` : sql`false`;
  let result = parts[0]!;
  for (const part of parts.slice(1)) result = operator === 'and' ? sql`${result} and ${part}` : sql`${result} or ${part}`;
  return sql`(${result})`;
}

/** A WHERE condition over the subject's table (aliased `c`) matching exactly the rows the ability permits. */
export function rowFilter(sql: Db, ability: PortalAbility, action: Action, subject: RecordSubject): Fragment {
  const translate = Object.hasOwn(translations, subject) ? translations[subject] : undefined;
  if (!translate) throw new Error(`subject "${String(subject)}" has no SQL translation`);
  const rules = ability.rulesFor(action, subject).filter((rule) => !(rule.inverted && rule.fields));
  const condition = rulesToCondition(
    rules,
    (rule) => {
      const parts = Object.entries(rule.conditions ?? {}).map(([key, value]) => translate(sql, key, value));
      const matches = combine(sql, parts, 'and');
      return rule.inverted ? sql`not ${matches}` : matches;
    },
    { and: (parts) => combine(sql, parts, 'and'), or: (parts) => combine(sql, parts, 'or'), empty: () => sql`true` },
  );
  return condition ?? sql`false`;
}
