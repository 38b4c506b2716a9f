// The same policy rules as SQL: which children a query may return. CASL flattens the rules
// into "any permitting rule, and none of the forbidding ones that came after it"
// (rulesToCondition); each rule's conditions become a parameterised SQL fragment here. Only
// the condition names in src/policy/schema.ts exist, so every one has a translation.
// Field-only restrictions (a forbidding rule that names fields) limit what is shown, not
// which children are found, so they are left out.
import { rulesToCondition } from '@casl/ability/extra';
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db/connect.ts';
import type { Action, PortalAbility } from './ability.ts';
import type { ChildAttributes } from './fields.ts';

type Fragment = PendingQuery<Row[]>;
type Conditions = Partial<Omit<ChildAttributes, 'relationships'>> & {
  relationships?: { $elemMatch: { organisationId: string; kind: string } };
};

function conditionToSql(sql: Sql, key: string, value: unknown): Fragment {
  switch (key) {
    case 'open':
      return sql`(exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null) = ${value as boolean})`;
    case 'sealed':
      return sql`(c.sealed = ${value as boolean})`;
    case 'addressWithheld':
      return sql`(c.address_withheld = ${value as boolean})`;
    case 'relationships': {
      const { organisationId, kind } = (value as NonNullable<Conditions['relationships']>).$elemMatch;
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
      // The schema admits no other names; refuse rather than silently match everything.
      throw new Error(`policy condition "${key}" has no SQL translation`);
  }
}

function combine(sql: Sql, parts: Fragment[], operator: 'and' | 'or'): Fragment {
  if (parts.length === 0) return operator === 'and' ? sql`true` : sql`false`;
  let result = parts[0]!;
  for (const part of parts.slice(1)) result = operator === 'and' ? sql`${result} and ${part}` : sql`${result} or ${part}`;
  return sql`(${result})`;
}

/** A WHERE condition over `children c` matching exactly the children the ability permits. */
export function childrenFilter(sql: Sql, ability: PortalAbility, action: Action): Fragment {
  const rules = ability.rulesFor(action, 'Child').filter((rule) => !(rule.inverted && rule.fields));
  const condition = rulesToCondition(
    rules,
    (rule) => {
      const parts = Object.entries((rule.conditions ?? {}) as Conditions).map(([key, value]) => conditionToSql(sql, key, value));
      const matches = combine(sql, parts, 'and');
      return rule.inverted ? sql`not ${matches}` : matches;
    },
    { and: (parts) => combine(sql, parts, 'and'), or: (parts) => combine(sql, parts, 'or'), empty: () => sql`true` },
  );
  return condition ?? sql`false`;
}
