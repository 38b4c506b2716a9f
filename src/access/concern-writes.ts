// The two writes on a concern, each one transaction. Raising one writes the concern, a
// "Partner concern" entry in the child's chronology (when the child is known), the access-log
// row and the front door's e-mail; deciding writes the decision (and the child it is matched
// to), the chronology, the access-log row and the referrer's e-mail. Either all of it commits
// or none of it. Both are idempotent: a double click, a retry or two workers at once make one
// record. Only ./index.ts calls these, after the policy has said the actor may. Raising one also
// records its kinds (./concern-categories.ts) and deletes the sender's draft of it
// (src/concerns/drafts.ts, its one writer): a draft is not a protected record, and deleting it in
// the same transaction means a sent concern never comes back as a draft, nor a draft is lost to
// a send that failed.
import { createHash } from 'node:crypto';
import type { Actor } from '../auth/actor.ts';
import { recordAccess } from '../audit/access-log.ts';
import { categoryLabel, type ConcernCategory } from '../concerns/categories.ts';
import { deleteSentDraft } from '../concerns/drafts.ts';
import { decisionLabels, type Decision } from '../concerns/decisions.ts';
import type { CheckedConcern } from '../concerns/form.ts';
import type { Db, Sql } from '../db/connect.ts';
import { isRole, roles } from '../auth/roles.ts';
import {
  concernDecidedForReferrer, concernForAllocatedWorker, concernReceivedForFrontDoor, decisionForAllocatedWorker,
  furtherInformationForFrontDoor, immediateRiskConcernForFrontDoor, immediateRiskForAllocatedWorker,
} from '../notifications/messages.ts';
import { addAlert } from './alerts.ts';
import { recordCaseSystemEvent } from '../case-system-export/events.ts';
import { allocatedWorker } from './child-records.ts';
import { enqueue } from '../notifications/outbox.ts';
import { theCouncil } from '../organisations/council.ts';
import { addChronologyEntry, hasPartnerConcernEntry } from './chronology.ts';
import { insertConcernCategories } from './concern-categories.ts';
import { concernByIdempotencyKey, insertConcern, insertFollowUp, recordDecision, standingDecision } from './concern-records.ts';
import { enqueueFiling, moveUnmatchedDocuments } from './document-records.ts';

export class IdempotencyConflict extends Error {
  override name = 'IdempotencyConflict';
}

/** Who did it, as the access log records them. */
export const loggedAs = (actor: Actor) => ({
  issuer: actor.issuer,
  subject: actor.subject,
  userName: actor.name,
  organisationId: actor.organisationId,
  organisationName: actor.organisationName,
  role: actor.role,
  requestId: actor.requestId,
});

export interface RaiseOptions {
  decisionDueAt: Date;
  publicUrl: string;
  /** Tests inject a failure here to show that a failed submission leaves nothing behind. */
  beforeCommit?: (tx: Db) => Promise<void>;
}

/** The other kinds of a concern, for the chronology: " (also Domestic abuse, Self-harm)", or nothing. */
const also = (others: readonly ConcernCategory[] = []) => (others.length ? ` (also ${others.map(categoryLabel).join(', ')})` : '');

/** The answers as checked, in a fixed order, hashed: the same answers always give the same digest. */
export function answersDigest(concern: CheckedConcern): string {
  const { idempotencyKey: _key, otherCategories, ...rest } = concern;
  // A concern of one kind hashes as it did before kinds could be several (a retry across the
  // upgrade is the same concern, not a changed one).
  const answers = otherCategories?.length ? { ...rest, otherCategories } : rest;
  const canonical = (value: unknown): unknown =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
      : value;
  return createHash('sha256').update(JSON.stringify(canonical(answers))).digest('hex');
}

export interface Raised {
  reference: string;
  /** False when this form key had made the concern already: nothing new was written. */
  created: boolean;
  /** With created false: the answers differ from the ones the concern was made with, and were not sent. */
  changed: boolean;
}

/** Returns the concern's reference: the new one, or the one this key already made. */
export async function raiseConcern(sql: Sql, concern: CheckedConcern, by: Actor, options: RaiseOptions): Promise<Raised> {
  const digest = answersDigest(concern);
  return sql.begin(async (tx) => {
    const created = await insertConcern(tx, {
      concern, answersDigest: digest, userId: by.userId, name: by.name, role: by.role, organisationId: by.organisationId, decisionDueAt: options.decisionDueAt,
    });
    if (!created) {
      // The same form was sent before. A double click or a retry (the same answers) is answered
      // with that concern; changed answers are not lost silently: the caller says so.
      const existing = await concernByIdempotencyKey(tx, concern.idempotencyKey);
      if (!existing || existing.submittedByUserId !== by.userId) throw new IdempotencyConflict('idempotency key used by someone else');
      // The form's key is spent: a draft saved with it since (a Change after sending) goes too.
      await deleteSentDraft(tx, by.userId, concern.idempotencyKey);
      const changed = existing.answersDigest !== null && existing.answersDigest !== digest;
      return { reference: existing.reference, created: false, changed };
    }
    // Every kind ticked, the main one marked; and the user's draft of it, now sent.
    await insertConcernCategories(tx, created.id, concern.category, concern.otherCategories ?? []);
    // For the council's case system (docs/case-system-export.md): commits with the concern or not at all.
    await recordCaseSystemEvent(tx, { kind: 'concern.received', concernId: created.id, childId: concern.childId });
    await deleteSentDraft(tx, by.userId, concern.idempotencyKey);
    // Its PDF, filed to the child's (or the unmatched) folder by the filing worker (docs/documents.md).
    await enqueueFiling(tx, { sourceKind: 'concern', sourceId: created.id, event: 'sent', organisationId: by.organisationId, byName: by.name });
    const category = categoryLabel(concern.category);
    if (concern.childId) {
      await addChronologyEntry(tx, {
        childId: concern.childId, occurredOn: concern.happenedOn, eventType: 'Partner concern', sourceAgency: by.agency,
        sourceOrganisationId: by.organisationId, concernId: created.id,
        // No status here: it would go stale. The chronology shows the concern's live status.
        summary: `${category} concern${also(concern.otherCategories)} raised by ${by.organisationName} (${created.reference}).`,
      });
    }
    await recordAccess(tx, { ...loggedAs(by), childId: concern.childId, action: 'submit_concern', fieldsReleased: [], reason: `${category} (${created.reference})` });
    const council = await theCouncil(tx);
    const message = { reference: created.reference, publicUrl: options.publicUrl };
    if (council?.frontDoorEmail) {
      const text = concern.immediateRisk ? immediateRiskConcernForFrontDoor(message) : concernReceivedForFrontDoor(message);
      await enqueue(tx, { kind: 'concern_received', recipient: council.frontDoorEmail, ...text, dedupeKey: `concern-received:${created.id}` });
    }
    // The child's allocated social worker is told at once: an item on their home page and an
    // e-mail (which says only that there is something to read).
    const worker = concern.childId ? await allocatedWorker(tx, concern.childId) : undefined;
    if (worker && concern.childId) {
      await addAlert(tx, {
        socialWorkerId: worker.id, childId: concern.childId, kind: 'concern',
        message: `${concern.immediateRisk ? 'Immediate risk: ' : ''}${by.organisationName} raised a concern about this child (${created.reference}).`,
      });
      const text = concern.immediateRisk ? immediateRiskForAllocatedWorker(message) : concernForAllocatedWorker(message);
      if (worker.email) await enqueue(tx, { kind: 'concern_for_allocated_worker', recipient: worker.email, ...text, dedupeKey: `concern-allocated-worker:${created.id}` });
    }
    await options.beforeCommit?.(tx);
    return { reference: created.reference, created: true, changed: false };
  });
}

/**
 * Information a partner adds to a concern already sent: the note, an entry in the child's
 * chronology (when the concern is matched to a child), the access-log row and the front
 * door's e-mail, in one transaction. Idempotent on the follow-up form's key.
 */
export async function addFollowUp(
  sql: Sql,
  concern: { id: string; reference: string; childId: string | null },
  note: { text: string; idempotencyKey: string },
  by: Actor,
  options: { publicUrl: string },
): Promise<{ created: boolean }> {
  return sql.begin(async (tx) => {
    const created = await insertFollowUp(tx, { concernId: concern.id, idempotencyKey: note.idempotencyKey, userId: by.userId, name: by.name, text: note.text });
    if (!created) return { created: false };
    await recordCaseSystemEvent(tx, { kind: 'concern.information_added', concernId: concern.id, followUpId: created.id, childId: concern.childId });
    if (concern.childId) {
      await addChronologyEntry(tx, {
        childId: concern.childId, occurredOn: null, eventType: 'Partner follow-up', sourceAgency: by.agency,
        sourceOrganisationId: by.organisationId, concernId: concern.id,
        summary: `Further information from ${by.organisationName} on ${concern.reference}: ${note.text}`,
      });
    }
    await recordAccess(tx, { ...loggedAs(by), childId: concern.childId, action: 'submit_concern', fieldsReleased: [], reason: `Further information (${concern.reference})` });
    const council = await theCouncil(tx);
    if (council?.frontDoorEmail) {
      const text = furtherInformationForFrontDoor({ reference: concern.reference, publicUrl: options.publicUrl });
      await enqueue(tx, { kind: 'concern_follow_up', recipient: council.frontDoorEmail, ...text, dedupeKey: `concern-follow-up:${created.id}` });
    }
    return { created: true };
  });
}

export interface DecisionInput {
  concernId: string;
  decision: Decision;
  reason: string;
  feedback: string;
  /** The child the worker confirmed, or null to leave the concern as it is (unmatched, or the partner's child). */
  childId: string | null;
  /** The concern's version as the worker's page showed it; null when the form did not carry one. */
  seenVersion: number | null;
  /** The version of the decision form it was made with (forms/decision/<n>.yaml); 1 when not said. */
  formVersion?: number;
}

export interface DecisionResult {
  /** False when the concern had been decided already, or changed since the page: nothing was written. */
  recorded: boolean;
  /**
   * Someone else assigned or decided the concern after the worker's page was made: what they did,
   * in words for the page ("Nadia Hussain decided it: Early help"). Nothing was written.
   */
  stale?: string;
  reference: string;
  decision: Decision;
  childId: string | null;
}

/** The parts of a concern that tell whether it changed since a page was made. */
export interface ConcernState {
  version: number;
  decision: Decision | null;
  decidedByUserId: string | null;
  decidedByName: string | null;
  assignedToName: string | null;
}

/**
 * What someone else did to the concern since the worker's page showed `seenVersion`, in words;
 * undefined when nothing did (or the form carried no version). The worker's own identical
 * decision arriving twice (a double click) is not a change: it lands on the decision that stands.
 */
export function whatChanged(now: ConcernState, input: { seenVersion: number | null; decision: Decision }, userId: string): string | undefined {
  if (input.seenVersion === null || now.version === input.seenVersion) return undefined;
  if (now.decision) {
    if (now.decidedByUserId === userId && now.decision === input.decision) return undefined;
    return `${now.decidedByUserId === userId ? 'you' : (now.decidedByName ?? 'someone')} decided it: ${decisionLabels[now.decision]}`;
  }
  return now.assignedToName ? `it was assigned to ${now.assignedToName}` : 'it was taken off the worker it was assigned to';
}

/** Returns undefined when there is no such concern. */
export async function decideConcern(sql: Sql, input: DecisionInput, by: Actor, options: { publicUrl: string }): Promise<DecisionResult | undefined> {
  return sql.begin(async (tx) => {
    const row = await recordDecision(tx, { ...input, decidedByUserId: by.userId });
    if (!row) {
      // Decided already (a double click, a retry, a colleague), or no such concern. The update
      // waited for any concurrent decision to commit, so this reads the one that won.
      const existing = await standingDecision(tx, input.concernId);
      if (!existing) return undefined;
      const stale = whatChanged(existing, input, by.userId);
      if (stale) return { recorded: false, stale, reference: existing.reference, decision: existing.decision ?? input.decision, childId: existing.childId };
      if (!existing.decision) return undefined;
      return { recorded: false, reference: existing.reference, decision: existing.decision, childId: existing.childId };
    }
    const label = decisionLabels[row.decision];
    await recordCaseSystemEvent(tx, { kind: 'concern.decided', concernId: row.id, childId: row.childId });
    // The decision's PDF is filed; matched now, the concern's documents move to the child's folder (docs/documents.md).
    await enqueueFiling(tx, { sourceKind: 'concern', sourceId: row.id, event: 'decided', organisationId: by.organisationId, byName: by.name });
    if (row.childId) await moveUnmatchedDocuments(tx, row.id, row.childId);
    if (row.childId) {
      if (!(await hasPartnerConcernEntry(tx, row.childId, row.id))) {
        // Raised without a known child, matched now: the concern joins the child's chronology.
        await addChronologyEntry(tx, {
          childId: row.childId, occurredOn: row.happenedOn, eventType: 'Partner concern',
          sourceAgency: isRole(row.submittedByRole) ? roles[row.submittedByRole].agency : 'council',
          sourceOrganisationId: row.organisationId, concernId: row.id,
          summary: `${categoryLabel(row.category)} concern raised by ${row.organisationName} (${row.reference}). Matched to this child by the front door.`,
        });
      }
      await addChronologyEntry(tx, {
        childId: row.childId, occurredOn: null, eventType: 'Front door decision', sourceAgency: 'council',
        sourceOrganisationId: by.organisationId, concernId: row.id, summary: `Front door decision on ${row.reference}: ${label}. ${input.reason}`,
      });
    }
    await recordAccess(tx, { ...loggedAs(by), childId: row.childId, action: 'decide_concern', fieldsReleased: [], reason: `${label} (${row.reference})` });
    // The matched child's allocated social worker is told of the decision.
    const worker = row.childId ? await allocatedWorker(tx, row.childId) : undefined;
    if (worker && row.childId) {
      await addAlert(tx, { socialWorkerId: worker.id, childId: row.childId, kind: 'decision', message: `The front door decided on ${row.reference}: ${label}.` });
      if (worker.email) await enqueue(tx, {
        kind: 'decision_for_allocated_worker', recipient: worker.email,
        ...decisionForAllocatedWorker({ reference: row.reference, publicUrl: options.publicUrl }), dedupeKey: `decision-allocated-worker:${row.id}`,
      });
    }
    if (row.referrerEmail) {
      await enqueue(tx, {
        kind: 'concern_decided',
        recipient: row.referrerEmail,
        ...concernDecidedForReferrer({ reference: row.reference, publicUrl: options.publicUrl }),
        dedupeKey: `concern-decided:${row.id}`,
      });
    }
    return { recorded: true, reference: row.reference, decision: row.decision, childId: row.childId };
  });
}
