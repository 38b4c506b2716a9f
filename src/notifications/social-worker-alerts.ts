// Alerts for a child's allocated social worker, shown on their start page: for now, that a
// partner looked the child up. Written in the caller's transaction with the access-log row.
import type { Db } from '../db/connect.ts';

export async function alertSocialWorker(sql: Db, alert: { socialWorkerId: string; childId: string; kind: 'lookup'; message: string }): Promise<void> {
  await sql`insert into social_worker_notifications (social_worker_id, child_id, kind, message)
            values (${alert.socialWorkerId}, ${alert.childId}, ${alert.kind}, ${alert.message})`;
}
