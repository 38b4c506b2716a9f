// Sending a police notification (Operation Encompass, issue 14): one transaction writes the
// incident, one notification per destination (each school a child is on roll at, or the council's
// front door) carrying only its own children, what each child said (apart), the steps (sent,
// e-mailed), an entry in each matched child's chronology tagged police, the allocated social
// worker's alert and e-mail, the access-log row, and the e-mails (no details) through the outbox.
// All of it commits or none of it. Idempotent on the form's key: a double click or a retry makes
// one incident. Only ./encompass.ts calls this, after the policy has said the actor may.
import { createHash } from 'node:crypto';
import type { Actor } from '../auth/actor.ts';
import { recordAccess } from '../audit/access-log.ts';
import type { Db, Sql } from '../db/connect.ts';
import { acknowledgementDueAt } from '../encompass/due.ts';
import { recordEncompassEvent } from '../encompass/events.ts';
import type { CheckedEncompass } from '../encompass/form.ts';
import { encompassMessages } from '../notifications/messages.ts';
import { enqueue } from '../notifications/outbox.ts';
import { theCouncil } from '../organisations/council.ts';
import { addAlert } from './alerts.ts';
import { allocatedWorker } from './child-records.ts';
import { addEncompassChronologyEntry } from './chronology.ts';
import { IdempotencyConflict, loggedAs } from './concern-writes.ts';
import { incidentByIdempotencyKey, insertChild, insertIncident, insertNotification, schoolRecipients, type RoutedBecause } from './encompass-records.ts';

/** Where one child goes, as the lookup found it: its school, or the front door (school null). */
export interface RoutedChild {
  position: number;
  /** The child on record the lookup matched (identity only: never shown to the officer). */
  childId: string | null;
  school: { id: string; name: string } | null;
  because: RoutedBecause;
}

export interface Sent {
  reference: string;
  /** False when this form key had made the incident already: nothing new was written. */
  created: boolean;
  /** With created false: the answers differ from the ones it was sent with, and were not sent. */
  changed: boolean;
}

export interface SendOptions {
  publicUrl: string;
  /** The roles the policy lets acknowledge a school's notifications: whom a school's is e-mailed to. */
  schoolRoles: readonly string[];
  now?: Date;
  /** Tests inject a failure here to show that a failed send leaves nothing behind. */
  beforeCommit?: (tx: Db) => Promise<void>;
}

/** The answers as checked, in a fixed order, hashed: the same answers always give the same digest. */
export function encompassDigest(checked: CheckedEncompass): string {
  const { idempotencyKey: _key, ...answers } = checked;
  const canonical = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
        : value;
  return createHash('sha256').update(JSON.stringify(canonical(answers))).digest('hex');
}

/** The destinations in a fixed order: schools in the order their first child was given, then the front door. */
function destinations(routed: readonly RoutedChild[]): Array<{ school: { id: string; name: string } | null; positions: number[] }> {
  const bySchool = new Map<string, { school: { id: string; name: string } | null; positions: number[] }>();
  for (const child of routed) {
    const key = child.school?.id ?? 'front-door';
    if (!bySchool.has(key)) bySchool.set(key, { school: child.school, positions: [] });
    bySchool.get(key)!.positions.push(child.position);
  }
  return [...bySchool.values()].sort((a, b) => Number(a.school === null) - Number(b.school === null));
}

export async function sendEncompass(sql: Sql, checked: CheckedEncompass, routed: readonly RoutedChild[], by: Actor, options: SendOptions): Promise<Sent> {
  const digest = encompassDigest(checked);
  return sql.begin(async (tx) => {
    const created = await insertIncident(tx, { checked, answersDigest: digest, forceId: by.organisationId, userId: by.userId, userName: by.name });
    if (!created) {
      const existing = await incidentByIdempotencyKey(tx, checked.idempotencyKey);
      if (!existing || existing.sentByUserId !== by.userId) throw new IdempotencyConflict('idempotency key used by someone else');
      return { reference: existing.reference, created: false, changed: existing.answersDigest !== digest };
    }
    const council = await theCouncil(tx);
    const dueAt = acknowledgementDueAt(options.now ?? new Date());
    const message = { publicUrl: options.publicUrl };
    let n = 0;
    for (const destination of destinations(routed)) {
      n += 1;
      const notification = await insertNotification(tx, {
        incidentId: created.id, forceId: by.organisationId, reference: `${created.reference}-${n}`,
        schoolId: destination.school?.id ?? null, localAuthorityId: destination.school ? null : council?.id ?? null, dueAt,
      });
      await recordEncompassEvent(tx, { notificationId: notification.id, kind: 'sent', userId: by.userId });
      for (const position of destination.positions) {
        const child = checked.children.find((c) => c.position === position)!;
        const match = routed.find((r) => r.position === position)!;
        await insertChild(tx, notification.id, child, { childId: match.childId, because: match.because });
        if (match.childId) await tellTheCaseRecord(tx, match.childId, notification, checked, by, options.publicUrl);
      }
      // E-mails say only that something is waiting (src/notifications/messages.ts).
      if (destination.school) {
        for (const recipient of await schoolRecipients(tx, destination.school.id, options.schoolRoles)) {
          await enqueue(tx, { kind: 'encompass_for_school', recipient: recipient.email, ...encompassMessages.forSchool(message), dedupeKey: `encompass-school:${notification.id}:${recipient.id}` });
          await recordEncompassEvent(tx, { notificationId: notification.id, kind: 'emailed', recipientUserId: recipient.id });
        }
      } else if (council?.frontDoorEmail) {
        await enqueue(tx, { kind: 'encompass_for_front_door', recipient: council.frontDoorEmail, ...encompassMessages.forFrontDoor(message), dedupeKey: `encompass-front-door:${notification.id}` });
        await recordEncompassEvent(tx, { notificationId: notification.id, kind: 'emailed', detail: 'front door mailbox' });
      }
    }
    await recordAccess(tx, { ...loggedAs(by), childId: null, action: 'send_encompass', fieldsReleased: [], reason: `Operation Encompass (${created.reference})` });
    await options.beforeCommit?.(tx);
    return { reference: created.reference, created: true, changed: false };
  });
}

/** The matched child's chronology gets the notification, tagged police, and the allocated worker is told (issue 14, point 4). */
async function tellTheCaseRecord(tx: Db, childId: string, notification: { id: string; reference: string }, checked: CheckedEncompass, by: Actor, publicUrl: string) {
  await addEncompassChronologyEntry(tx, {
    childId, occurredAt: checked.occurredAt, sourceOrganisationId: by.organisationId, encompassNotificationId: notification.id,
    summary: `Police notification of a domestic abuse incident (Operation Encompass) from ${by.organisationName}, police reference ${checked.policeReference} (${notification.reference}).`,
  });
  const worker = await allocatedWorker(tx, childId);
  if (worker) {
    await addAlert(tx, { socialWorkerId: worker.id, childId, kind: 'encompass', message: `${by.organisationName} sent a police notification of domestic abuse about this child (${notification.reference}).` });
    // A worker the case system's feed added may have no address: the alert on their start page stands.
    if (worker.email) await enqueue(tx, {
      kind: 'encompass_for_allocated_worker', recipient: worker.email, ...encompassMessages.forAllocatedWorker({ publicUrl }),
      dedupeKey: `encompass-allocated-worker:${notification.id}:${childId}`,
    });
  }
}
