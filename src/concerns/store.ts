// Writing and reading concerns. Submitting is idempotent on the form's key and is one
// transaction: the concern, a contact entry in the child's chronology (when the child is known),
// an audit entry, and the front door's notification in the outbox. If any part fails, nothing
// is written.
import type { Sql } from '../db/connect.ts';
import { recordAccess } from '../audit/access-log.ts';
import { concernReceivedForFrontDoor } from '../notifications/messages.ts';
import { enqueue } from '../notifications/outbox.ts';
import { concernCategories } from './categories.ts';
import type { Decision } from './decisions.ts';
import type { CheckedConcern } from './form.ts';

export interface Submitter {
  userId: string;
  issuer: string;
  subject: string;
  name: string;
  role: string;
  agency: 'council' | 'education' | 'health' | 'police';
  organisationId: string;
  organisationName: string;
  requestId: string;
}

export class IdempotencyConflict extends Error {
  override name = 'IdempotencyConflict';
}

/** Returns the concern's reference: the new one, or the one this key already made. */
export async function submitConcern(
  sql: Sql,
  concern: CheckedConcern,
  by: Submitter,
  options: { decisionDueAt: Date; publicUrl: string; hooks?: { beforeCommit?: (tx: Sql) => Promise<void> } },
): Promise<{ reference: string; created: boolean }> {
  return sql.begin(async (tx) => {
    const [created] = await tx<{ id: string; reference: string }[]>`
      insert into concerns (
        reference, idempotency_key, submitted_by_user_id, submitted_by_name, submitted_by_role, organisation_id,
        child_id, child_forename, child_surname, child_date_of_birth, child_nhs_number, child_upn, child_address, child_postcode,
        category, what_happened, happened_on, child_words, immediate_risk, actions_taken, parents_aware,
        parents_not_aware_reason, referrer_phone, referrer_email, decision_due_at)
      values (
        -- at least six digits; lpad alone would cut a seventh digit off and repeat references
        (select 'SPP-' || to_char(now(), 'YYYY') || '-' || lpad(n::text, greatest(6, length(n::text)), '0')
         from (select nextval('concern_reference_seq') as n) as next),
        ${concern.idempotencyKey}, ${by.userId}, ${by.name}, ${by.role}, ${by.organisationId},
        ${concern.childId}, ${concern.child.forename}, ${concern.child.surname}, ${concern.child.dateOfBirth},
        ${concern.child.nhsNumber}, ${concern.child.upn}, ${concern.child.address}, ${concern.child.postcode},
        ${concern.category}, ${concern.whatHappened}, ${concern.happenedOn}, ${concern.childWords}, ${concern.immediateRisk},
        ${concern.actionsTaken}, ${concern.parentsAware}, ${concern.parentsNotAwareReason}, ${concern.referrerPhone},
        ${concern.referrerEmail}, ${options.decisionDueAt})
      on conflict (idempotency_key) do nothing
      returning id, reference`;

    if (!created) {
      // The same form was sent before (a double click, a retry): answer with that concern.
      // A concurrent first attempt has committed by now: ON CONFLICT waited for it.
      const [existing] = await tx<{ reference: string; submitted_by_user_id: string }[]>`
        select reference, submitted_by_user_id from concerns where idempotency_key = ${concern.idempotencyKey}`;
      if (!existing || existing.submitted_by_user_id !== by.userId) throw new IdempotencyConflict('idempotency key used by someone else');
      return { reference: existing.reference, created: false };
    }

    const category = concernCategories[concern.category].label;
    if (concern.childId) {
      await tx`
        insert into chronology_events (child_id, occurred_on, event_type, source_agency, source_organisation_id, concern_id, summary)
        values (${concern.childId}, ${concern.happenedOn}, 'Partner concern', ${by.agency}, ${by.organisationId}, ${created.id},
                ${`${category} concern raised by ${by.organisationName} (${created.reference}). Awaiting front-door decision.`})`;
    }
    await recordAccess(tx, {
      issuer: by.issuer,
      subject: by.subject,
      userName: by.name,
      organisationId: by.organisationId,
      organisationName: by.organisationName,
      role: by.role,
      childId: concern.childId,
      action: 'submit_concern',
      fieldsReleased: [],
      reason: `${category} (${created.reference})`,
      requestId: by.requestId,
    });
    const [council] = await tx<{ front_door_email: string | null }[]>`
      select front_door_email from organisations where kind = 'local_authority' order by name limit 1`;
    if (council?.front_door_email) {
      const text = concernReceivedForFrontDoor({ reference: created.reference, publicUrl: options.publicUrl });
      await enqueue(tx, { kind: 'concern_received', recipient: council.front_door_email, ...text, dedupeKey: `concern-received:${created.id}` });
    }
    await options.hooks?.beforeCommit?.(tx as unknown as Sql);
    return { reference: created.reference, created: true };
  });
}

/** A stored concern: what the partner sent (as checked), and where it stands. */
export interface ConcernRow extends Omit<CheckedConcern, 'idempotencyKey' | 'child'> {
  id: string;
  reference: string;
  organisationId: string;
  organisationName: string;
  submittedByName: string;
  childForename: string | null;
  childSurname: string | null;
  childDateOfBirth: string | null;
  childNhsNumber: string | null;
  childUpn: string | null;
  childAddress: string | null;
  childPostcode: string | null;
  receivedAt: Date;
  decisionDueAt: Date;
  status: 'received' | 'decided';
  decision: Decision | null;
  feedback: string | null;
  decidedAt: Date | null;
}

/** Every concern column a page shows; `extra` adds columns (with a leading comma) for the front door. */
export const selectConcerns = (sql: Sql, extra = sql``) => sql`
  select c.id, c.reference, c.organisation_id as "organisationId", o.name as "organisationName",
         c.submitted_by_name as "submittedByName", c.child_id as "childId",
         c.child_forename as "childForename", c.child_surname as "childSurname",
         c.child_date_of_birth::text as "childDateOfBirth", c.child_nhs_number as "childNhsNumber",
         c.child_upn as "childUpn", c.child_address as "childAddress", c.child_postcode as "childPostcode",
         c.category, c.what_happened as "whatHappened", c.happened_on::text as "happenedOn",
         c.child_words as "childWords", c.immediate_risk as "immediateRisk", c.actions_taken as "actionsTaken",
         c.parents_aware as "parentsAware", c.parents_not_aware_reason as "parentsNotAwareReason",
         c.referrer_phone as "referrerPhone", c.referrer_email as "referrerEmail",
         c.received_at as "receivedAt", c.decision_due_at as "decisionDueAt", c.status, c.decision,
         c.feedback, c.decided_at as "decidedAt" ${extra}
  from concerns c join organisations o on o.id = c.organisation_id`;

/** A concern by reference, only if it belongs to the given organisation. */
export async function findOwnConcern(sql: Sql, reference: string, organisationId: string): Promise<ConcernRow | undefined> {
  const [row] = await sql<ConcernRow[]>`${selectConcerns(sql)} where c.reference = ${reference} and c.organisation_id = ${organisationId}`;
  return row;
}

export async function organisationSubmissions(sql: Sql, organisationId: string): Promise<ConcernRow[]> {
  return sql<ConcernRow[]>`${selectConcerns(sql)} where c.organisation_id = ${organisationId} order by c.received_at desc limit 200`;
}
