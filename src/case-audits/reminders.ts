// Reminders of the actions agreed in case-file audits (issue 17): one to the person responsible
// when an open action is due within REMINDER_DAYS_BEFORE days, and one (to them and the auditor)
// once it is overdue.
//
// ONCE, ACROSS PROCESSES: each step takes its rows with one UPDATE of those whose step column is
// still empty, chosen FOR UPDATE SKIP LOCKED (./queries.ts claimActionReminders), in the same
// transaction as the e-mails it queues. Two processes running at once take different rows; a
// row is never taken again once its column is set; the e-mails' dedupe keys make a retried
// transaction harmless. The clock is injected (`now`), as for police notifications' escalation.
import type { Db, Sql } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { errorFields } from '../log.ts';
import { enqueue } from '../notifications/outbox.ts';
import { repeatEvery, type Repeating } from '../background/repeat.ts';
import { todayInEngland } from '../validation/dates.ts';
import { actionDueSoon, actionOverdue } from './messages.ts';
import { claimActionReminders } from './queries.ts';

/** Days before the due date that the person responsible is reminded. */
export const REMINDER_DAYS_BEFORE = 3;
/** How often the worker looks: reminders are by the day, so hourly is plenty. */
export const REMINDER_INTERVAL_MS = 60 * 60_000;

export interface ReminderOptions { now: Date; publicUrl: string; batch?: number }

/** Runs both steps that are due at `now`, once. How many actions each step took. */
export async function remindActions(sql: Sql, options: ReminderOptions): Promise<{ dueSoon: number; overdue: number }> {
  const dueSoon = await sql.begin((tx) => step(tx, 'due_soon', options));
  const overdue = await sql.begin((tx) => step(tx, 'overdue', options));
  return { dueSoon, overdue };
}

async function step(tx: Db, which: 'due_soon' | 'overdue', { now, publicUrl, batch = 100 }: ReminderOptions): Promise<number> {
  const claimed = await claimActionReminders(tx, which, todayInEngland(now), REMINDER_DAYS_BEFORE, now, batch);
  for (const action of claimed) {
    const text = which === 'due_soon' ? actionDueSoon({ publicUrl }) : actionOverdue({ publicUrl });
    const recipients = which === 'due_soon'
      ? [{ email: action.assigneeEmail, who: 'assignee' }]
      : [{ email: action.assigneeEmail, who: 'assignee' }, ...(action.auditorUserId !== action.assigneeUserId ? [{ email: action.auditorEmail, who: 'auditor' }] : [])];
    for (const { email, who } of recipients) {
      if (email) await enqueue(tx, { kind: 'case_audit_action', recipient: email, ...text, dedupeKey: `case-audit-action:${which}:${action.id}:${who}` });
    }
  }
  return claimed.length;
}

/** The background worker: any number of processes may run it (see ONCE, above). */
export function startActionReminders(sql: Sql, log: Logger, settings: { publicUrl: string }, clock: () => Date = () => new Date(), intervalMs = REMINDER_INTERVAL_MS): Repeating {
  return repeatEvery(intervalMs, async () => {
    try {
      const done = await remindActions(sql, { ...settings, now: clock() });
      if (done.dueSoon + done.overdue > 0) log.info('case audit action reminders', { ...done });
    } catch (error) {
      log.warn('case audit action reminders failed', errorFields(error));
    }
  });
}
