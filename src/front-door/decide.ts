// Recording the front door's decision on a concern, in one transaction: the decision (and the
// child it is matched to), the child's chronology, the access log and the referrer's e-mail.
// Deciding is idempotent: only a concern still 'received' is updated, so a double click, a
// retry or two workers at once make one decision, one chronology entry and one e-mail; the
// later attempts get the decision that was recorded.
import { recordAccess, type AccessEntry } from '../audit/access-log.ts';
import { isRole, roles } from '../auth/roles.ts';
import { concernCategories } from '../concerns/categories.ts';
import type { Sql } from '../db/connect.ts';
import { concernDecidedForReferrer } from '../notifications/messages.ts';
import { enqueue } from '../notifications/outbox.ts';
import { decisionLabels, type Decision } from '../concerns/decisions.ts';
import { hasPartnerConcernEntry } from './queries.ts';

export interface DecisionInput {
  concernId: string;
  decision: Decision;
  reason: string;
  feedback: string;
  /** The child the worker confirmed, or null to leave the concern as it is (unmatched, or the partner's child). */
  childId: string | null;
}

export interface Decider extends Omit<AccessEntry, 'childId' | 'action' | 'fieldsReleased' | 'reason'> {
  userId: string;
}

export interface DecisionResult {
  /** False when the concern had been decided already: nothing was written. */
  recorded: boolean;
  reference: string;
  decision: Decision;
  childId: string | null;
}

interface Decided {
  id: string;
  reference: string;
  child_id: string | null;
  referrer_email: string | null;
  category: keyof typeof concernCategories;
  organisation_id: string;
  organisation_name: string;
  submitted_by_role: string;
  happened_on: string;
  decision: Decision;
}

/** Returns undefined when there is no such concern. */
export async function decideConcern(sql: Sql, input: DecisionInput, by: Decider, options: { publicUrl: string }): Promise<DecisionResult | undefined> {
  return sql.begin(async (tx) => {
    const [row] = await tx<Decided[]>`
      update concerns c
      set status = 'decided', decision = ${input.decision}, decision_reason = ${input.reason}, feedback = ${input.feedback},
          decided_by_user_id = ${by.userId}, decided_at = now(), child_id = coalesce(${input.childId}::uuid, c.child_id)
      from organisations o
      where c.id = ${input.concernId} and c.status = 'received' and o.id = c.organisation_id
      returning c.id, c.reference, c.child_id, c.referrer_email, c.category, c.organisation_id,
                o.name as organisation_name, c.submitted_by_role, c.happened_on::text, c.decision`;

    if (!row) {
      // Decided already (a double click, a retry, a colleague), or no such concern. The update
      // waited for any concurrent decision to commit, so this reads the one that won.
      const [existing] = await tx<{ reference: string; decision: Decision | null; child_id: string | null }[]>`
        select reference, decision, child_id from concerns where id = ${input.concernId}`;
      if (!existing?.decision) return undefined;
      return { recorded: false, reference: existing.reference, decision: existing.decision, childId: existing.child_id };
    }

    const label = decisionLabels[row.decision];
    if (row.child_id) {
      if (!(await hasPartnerConcernEntry(tx, row.child_id, row.id))) {
        // Raised without a known child, matched now: the concern joins the child's chronology.
        const agency = isRole(row.submitted_by_role) ? roles[row.submitted_by_role].agency : 'council';
        await tx`
          insert into chronology_events (child_id, occurred_on, event_type, source_agency, source_organisation_id, concern_id, summary)
          values (${row.child_id}, ${row.happened_on}, 'Partner concern', ${agency}, ${row.organisation_id}, ${row.id},
                  ${`${concernCategories[row.category].label} concern raised by ${row.organisation_name} (${row.reference}). Matched to this child by the front door.`})`;
      }
      await tx`
        insert into chronology_events (child_id, occurred_on, event_type, source_agency, source_organisation_id, concern_id, summary)
        values (${row.child_id}, (now() at time zone 'Europe/London')::date, 'Front door decision', 'council', ${by.organisationId}, ${row.id},
                ${`Front door decision on ${row.reference}: ${label}. ${input.reason}`})`;
    }
    const { userId: _userId, ...who } = by;
    await recordAccess(tx, { ...who, childId: row.child_id, action: 'decide_concern', fieldsReleased: [], reason: `${label} (${row.reference})` });
    if (row.referrer_email) {
      await enqueue(tx, {
        kind: 'concern_decided',
        recipient: row.referrer_email,
        ...concernDecidedForReferrer({ reference: row.reference, publicUrl: options.publicUrl }),
        dedupeKey: `concern-decided:${row.id}`,
      });
    }
    return { recorded: true, reference: row.reference, decision: row.decision, childId: row.child_id };
  });
}
