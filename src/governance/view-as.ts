// "View as": what a role at an organisation would see of a child, and for each field which
// rule of which policy file released or withheld it (or that no rule released it).
import type { Sql } from '../db/connect.ts';
import { roles, type Role } from '../auth/roles.ts';
import { chronologyOf, findChild } from '../children/queries.ts';
import { presentChild, type ChildSummary } from '../children/summary.ts';
import { viewsOfChild } from '../audit/access-log.ts';
import { asChild, buildAbility, permittedChildFields, type Action, type PolicyUser } from '../policy/ability.ts';
import { childFieldNames, childFields, type ChildField } from '../policy/fields.ts';
import type { Policies, SourcedRule } from '../policy/load.ts';

export interface FieldDecision {
  field: ChildField;
  label: string;
  shown: boolean;
  source: string | null;
  reason: string;
}

export interface Preview {
  action: Action | null;
  visible: boolean;
  child: ChildSummary | null;
  fields: ChildField[];
  decisions: FieldDecision[];
  recordDecision: { source: string | null; reason: string };
}

const NO_RULE = 'No rule for this role releases it: anything not released is withheld (deny by default).';

export async function previewAs(sql: Sql, policies: Policies, user: PolicyUser, childId: string): Promise<Preview | undefined> {
  // The record is read in full here only to evaluate the rules; the preview shows no more
  // than the previewed role would get.
  const record = await findChild(sql, childId, sql`true`);
  if (!record) return undefined;
  const ability = buildAbility(policies, user);
  const action: Action | null = ability.can('read', 'Child') ? 'read' : ability.can('lookup', 'Child') ? 'lookup' : null;
  const subject = asChild(record);
  const fields = action ? permittedChildFields(ability, action, record) : [];
  const ruleOf = (rule: { origin: unknown } | null) => (rule?.origin as SourcedRule | undefined) ?? null;

  const whole = action ? ruleOf(ability.relevantRuleFor(action, subject)) : null;
  const visible = fields.length > 0;
  const recordDecision = {
    source: whole?.source ?? null,
    reason: !action
      ? `A ${roles[user.role].title.toLowerCase()} has no access to children’s records.`
      : whole
        ? (whole.reason ?? '')
        : 'No rule for this role matches this child (for example, no current relationship with the organisation, or the case is closed).',
  };
  const decisions = childFieldNames.map((field): FieldDecision => {
    const rule = visible && action ? ruleOf(ability.relevantRuleFor(action, subject, field)) : null;
    return {
      field,
      label: childFields[field],
      shown: fields.includes(field),
      source: rule?.source ?? (visible ? null : recordDecision.source),
      reason: rule?.reason ?? (visible ? NO_RULE : recordDecision.reason),
    };
  });
  const extras = {
    chronology: fields.includes('chronology') ? await chronologyOf(sql, childId) : undefined,
    viewedBy: fields.includes('viewedBy') ? await viewsOfChild(sql, childId) : undefined,
  };
  return { action, visible, child: visible ? presentChild(record, fields, extras) : null, fields, decisions, recordDecision };
}

export const roleOptions = (Object.keys(roles) as Role[]).map((role) => ({ value: role, text: roles[role].title }));
