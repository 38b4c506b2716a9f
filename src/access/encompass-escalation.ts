// Escalation's one write to a police notification (src/encompass/escalation.ts runs the steps):
// taking the notifications due for a step, once across any number of processes. A system step,
// not a reader's: nothing is released, the caller only e-mails the reference and records steps.
import type { Db } from '../db/connect.ts';
import type { Fragment } from './rules-to-sql.ts';

export interface ClaimedNotification {
  id: string;
  reference: string;
  schoolId: string | null;
}

/**
 * Takes up to `batch` unacknowledged notifications whose `step` column is empty and which meet
 * `due`, sets the column to `now` and returns them: rows another process holds are skipped, and a
 * row once taken is never taken again.
 */
export async function claimOverdue(tx: Db, step: 'escalated_to_dsls_at' | 'escalated_to_front_door_at', due: Fragment, now: Date, batch: number): Promise<ClaimedNotification[]> {
  return tx<ClaimedNotification[]>`
    with due as (
      select id from encompass_notifications
      where acknowledged_at is null and ${tx(step)} is null and ${due}
      order by due_at
      limit ${batch}
      for update skip locked)
    update encompass_notifications n set ${tx(step)} = ${now}
    from due where n.id = due.id
    returning n.id, n.reference, n.school_id as "schoolId"`;
}

