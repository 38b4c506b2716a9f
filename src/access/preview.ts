// Preview mode ("view as"): what a role at an organisation would see of a child, and for each
// field which rule of which policy file released or withheld it (or that no rule released it).
// The record is read without the previewing user's own filter, only to evaluate the previewed
// role's rules; what is shown is no more than the previewed role would get, and of that only the
// structured values: free text (the chronology, partners' words, an address) is named, not shown.
import type { Sql } from '../db/connect.ts';
import { roles } from '../auth/roles.ts';
import { asChild, buildAbility, permittedChildFields, type Action, type PolicyUser } from '../policy/ability.ts';
import { childFieldNames, childFields, freeTextChildFields, type ChildField } from '../policy/fields.ts';
import type { Policies, SourcedRule } from '../policy/load.ts';
import { findChild } from './child-records.ts';
import { releaseChild, type ReleasedChild } from './released.ts';

export type PreviewUser = PolicyUser;

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
  /** What the previewed role would see, less the free-text fields' values. */
  child: ReleasedChild | null;
  /** Every field the previewed role would get. */
  fields: ChildField[];
  /** Those of them that are free text: released to the role, not shown in the preview. */
  freeText: ChildField[];
  decisions: FieldDecision[];
  recordDecision: { source: string | null; reason: string };
}

const NO_RULE = 'No rule for this role releases it: anything not released is withheld (deny by default).';

export async function previewChild(sql: Sql, policies: Policies, user: PreviewUser, childId: string): Promise<Preview | undefined> {
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
  // Free text is never read for a preview: the values shown are the structured ones only.
  const freeText = fields.filter((field) => freeTextChildFields.includes(field));
  const shown = fields.filter((field) => !freeTextChildFields.includes(field));
  return { action, visible, child: visible ? releaseChild(record, shown) : null, fields, freeText, decisions, recordDecision };
}
