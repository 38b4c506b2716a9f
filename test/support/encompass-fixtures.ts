// Police notifications put straight into the tables (migrations/026_encompass.sql), for tests of
// what happens after sending (escalation, acknowledgement, figures) that need a notification
// sent at a chosen time. The sending journey itself is tested through its own pages.
import type { Sql } from '../../src/db/connect.ts';
import { recordEncompassEvent } from '../../src/encompass/events.ts';

let serial = 0;

export interface FixtureNotification {
  /** A school's id, or null for the council's front door. */
  schoolId: string | null;
  councilId?: string;
  forceId: string;
  sentByUserId: string;
  sentAt: Date;
  dueAt: Date;
  /** DSLs e-mailed when it was sent (an 'emailed' event each). */
  emailed?: string[];
}

/** An incident with one notification; returns the notification's id and reference. */
export async function insertNotification(sql: Sql, n: FixtureNotification): Promise<{ id: string; reference: string }> {
  serial += 1;
  const incidentReference = `OE-2026-${String(900000 + serial).padStart(6, '0')}`;
  return sql.begin(async (tx) => {
    const [incident] = await tx<[{ id: string }]>`
      insert into encompass_incidents (reference, idempotency_key, answers_digest, force_id, sent_by_user_id, sent_by_name,
                                       police_reference, occurred_at, account, contact_name, contact_phone, sent_at)
      values (${incidentReference}, ${`fixture-${serial}-${Math.random()}`}, 'fixture', ${n.forceId}, ${n.sentByUserId}, 'DC Sam Reid',
              ${`NP/${serial}`}, ${n.sentAt}, 'A short factual account.', 'DC Sam Reid', '01632 960001', ${n.sentAt})
      returning id`;
    const reference = `${incidentReference}-1`;
    const [notification] = await tx<[{ id: string }]>`
      insert into encompass_notifications (incident_id, force_id, reference, school_id, local_authority_id, due_at, created_at)
      values (${incident.id}, ${n.forceId}, ${reference}, ${n.schoolId}, ${n.schoolId ? null : n.councilId!}, ${n.dueAt}, ${n.sentAt})
      returning id`;
    await tx`insert into encompass_children (notification_id, position, forename, surname, date_of_birth, present, spoken_to, routed_because)
             values (${notification.id}, 1, 'Test', 'Child', '2017-05-01', true, false, ${n.schoolId ? 'on_roll' : 'not_on_roll'})`;
    await recordEncompassEvent(tx, { notificationId: notification.id, kind: 'sent', userId: n.sentByUserId, at: n.sentAt });
    for (const userId of n.emailed ?? []) await recordEncompassEvent(tx, { notificationId: notification.id, kind: 'emailed', recipientUserId: userId, at: n.sentAt });
    return { id: notification.id, reference };
  });
}
