// Escalation of police notifications nobody has acknowledged (issue 14, point 3).
//
// THE STEPS, each once per notification, each recorded in encompass_events:
//   1. At its due time (the start of the next school day, ./school-days.ts), a school's
//      notification not yet acknowledged → the school's other DSLs and deputies are e-mailed
//      (no details: the reference and where to sign in), and their home page shows it as overdue
//      (escalated_to_dsls_at). "Other" means those not e-mailed when it was sent; where every
//      DSL and deputy was, all of them are reminded.
//   2. ENCOMPASS_FRONT_DOOR_AFTER_MINUTES later (default 60), still not acknowledged → the
//      council's front door is alerted through its mailbox, and sees it in its notifications
//      (escalated_to_front_door_at).
//   A notification sent to the front door itself has one step: at its due time, not yet
//   acknowledged → the front door's own mailbox (the front-door team and its manager read it) is
//   alerted. There is no one further to tell: the portal has no separate front-door manager role.
//
// ONCE, ACROSS PROCESSES: each step is a single UPDATE of the rows whose step column is still
// null, chosen with FOR UPDATE SKIP LOCKED, in the same transaction as its e-mails (the outbox)
// and its events. Two processes running at once take different rows; a row is never picked
// again once its column is set. The e-mails' dedupe keys make a retried transaction harmless.
//
// THE CLOCK is injected (`now`): the server passes the real time, tests a faked one, so a test
// can move to 08:30 without waiting or touching the process's clock.
import type { Db, Sql } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import { enqueue } from '../notifications/outbox.ts';
import { theCouncil } from '../organisations/council.ts';
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import { claimOverdue as claim } from '../access/index.ts';
import { recordEncompassEvent } from './events.ts';
import { overdueForFrontDoor, overdueForSchool, overdueSchoolForFrontDoor } from './escalation-messages.ts';

export interface EscalationOptions {
  /** The time now: the real clock in the server, a faked one in tests. */
  now: Date;
  /** Minutes after the due time before the front door is alerted about a school's notification. */
  frontDoorAfterMinutes: number;
  /** The portal's public address, for the e-mails' link. */
  publicUrl: string;
  /** Notifications handled per step per run (the rest wait for the next run). */
  batch?: number;
}

export interface EscalationResult {
  toDsls: number;
  toFrontDoor: number;
}

/** The roles of a school's safeguarding leads, who receive and escalate its notifications. */
const SCHOOL_LEAD_ROLES = ['education.dsl', 'education.deputy_dsl'];


/** Runs every step that is due at `now`, once. Returns how many notifications each step took. */
export async function escalateOverdue(sql: Sql, options: EscalationOptions): Promise<EscalationResult> {
  const toDsls = await sql.begin((tx) => toOtherLeads(tx, options));
  const toFrontDoor = await sql.begin((tx) => toTheFrontDoor(tx, options));
  return { toDsls, toFrontDoor };
}

async function toOtherLeads(tx: Db, { now, publicUrl, batch = 100 }: EscalationOptions): Promise<number> {
  const picked = await claim(tx, 'escalated_to_dsls_at', tx`school_id is not null and due_at <= ${now}`, now, batch);
  for (const notification of picked) {
    const leads = await tx<Array<{ id: string; email: string; emailedBefore: boolean }>>`
      select u.id, u.email,
             exists (select 1 from encompass_events e where e.notification_id = ${notification.id} and e.kind = 'emailed' and e.recipient_user_id = u.id) as "emailedBefore"
      from users u
      where u.email is not null
        and exists (select 1 from jsonb_array_elements(u.role_assignments) a
                    where a->>'organisationId' = ${notification.schoolId} and a->>'role' in ${tx(SCHOOL_LEAD_ROLES)})
      order by u.name, u.id`;
    const others = leads.filter((lead) => !lead.emailedBefore);
    const recipients = others.length > 0 ? others : leads;
    const text = overdueForSchool({ reference: notification.reference, publicUrl });
    for (const lead of recipients) {
      await enqueue(tx, { kind: 'encompass_overdue', recipient: lead.email, ...text, dedupeKey: `encompass-overdue:${notification.id}:${lead.id}` });
      await recordEncompassEvent(tx, { notificationId: notification.id, kind: 'emailed', recipientUserId: lead.id, detail: 'Not acknowledged by the start of the school day', at: now });
    }
    const who = others.length > 0 ? 'the school’s other safeguarding leads' : 'all the school’s safeguarding leads again';
    await recordEncompassEvent(tx, { notificationId: notification.id, kind: 'escalated_to_dsls', detail: `Alerted ${who} (${recipients.length})`, at: now });
  }
  return picked.length;
}

async function toTheFrontDoor(tx: Db, { now, frontDoorAfterMinutes, publicUrl, batch = 100 }: EscalationOptions): Promise<number> {
  // A school's notification reaches the front door only after its own leads were alerted.
  const picked = await claim(tx, 'escalated_to_front_door_at', tx`
    (case when school_id is null then due_at else due_at + make_interval(mins => ${frontDoorAfterMinutes}) end) <= ${now}
    and (school_id is null or escalated_to_dsls_at is not null)`, now, batch);
  if (picked.length === 0) return 0;
  const mailbox = (await theCouncil(tx))?.frontDoorEmail ?? null;
  for (const notification of picked) {
    const input = { reference: notification.reference, publicUrl };
    const text = notification.schoolId ? overdueSchoolForFrontDoor(input) : overdueForFrontDoor(input);
    if (mailbox) {
      await enqueue(tx, { kind: 'encompass_overdue', recipient: mailbox, ...text, dedupeKey: `encompass-overdue:${notification.id}:front-door` });
      await recordEncompassEvent(tx, { notificationId: notification.id, kind: 'emailed', recipientUserId: null, detail: 'front door mailbox', at: now });
    }
    const what = notification.schoolId ? 'The school has not acknowledged it: alerted the front door' : 'Not acknowledged by the start of the school day: alerted the front door’s mailbox';
    await recordEncompassEvent(tx, {
      notificationId: notification.id,
      kind: 'escalated_to_front_door',
      // Without a mailbox the front door still sees it in its list, marked overdue.
      detail: mailbox ? what : `${what} (no front-door e-mail address is recorded: shown in the portal only)`,
      at: now,
    });
  }
  return picked.length;
}

/** How often the worker looks for overdue notifications. A minute late at 08:30 is acceptable; an hour is not. */
export const ESCALATION_INTERVAL_MS = 60_000;

/**
 * The background worker: runs escalateOverdue every minute with the real clock (`clock` for
 * tests). Any number of processes may run it (see ONCE, above).
 */
export function startEscalationWorker(
  sql: Sql,
  log: Logger,
  settings: { frontDoorAfterMinutes: number; publicUrl: string },
  clock: () => Date = () => new Date(),
  intervalMs = ESCALATION_INTERVAL_MS,
): Repeating {
  return repeatEvery(intervalMs, async () => {
    try {
      const done = await escalateOverdue(sql, { ...settings, now: clock() });
      if (done.toDsls + done.toFrontDoor > 0) log.info('encompass escalations', { ...done });
    } catch (error) {
      log.warn('encompass escalation failed', errorFields(error));
    }
  });
}
