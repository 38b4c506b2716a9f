// Alerts for the council's social workers about the children allocated to them: a partner's
// concern, the front door's decision on one, an emergency department or police lookup. The one
// module that reads and writes `social_worker_notifications`. Alerts are a record subject of
// the policy (`Alert`): which ones a user reads, and may mark as read, is the policy's row
// filter (a social worker's own; a team manager's team's), through ./index.ts.
import type { Db } from '../db/connect.ts';
import type { Fragment } from './rules-to-sql.ts';

export type AlertKind = 'lookup' | 'concern' | 'decision' | 'encompass';

export interface AlertRecord {
  id: string;
  socialWorkerId: string;
  teamId: string;
  workerName: string;
  childId: string;
  kind: AlertKind;
  message: string;
  createdAt: Date;
}

/** Unread alerts the filter (over `social_worker_notifications c`) admits, newest first. */
export async function unreadAlerts(sql: Db, filter: Fragment, limit = 20): Promise<AlertRecord[]> {
  return sql<AlertRecord[]>`
    select c.id::text as id, c.social_worker_id as "socialWorkerId", w.team_id as "teamId", w.name as "workerName",
           c.child_id as "childId", c.kind, c.message, c.created_at as "createdAt"
    from social_worker_notifications c join social_workers w on w.id = c.social_worker_id
    where c.read_at is null and ${filter}
    order by c.created_at desc, c.id desc
    limit ${limit}`;
}

/** Marks one alert read, if the filter admits it; whether it did. */
export async function markAlertRead(sql: Db, id: string, filter: Fragment): Promise<boolean> {
  const rows = await sql`
    update social_worker_notifications c set read_at = now()
    from social_workers w
    where c.id = ${id}::bigint and w.id = c.social_worker_id and c.read_at is null and ${filter}
    returning c.id`;
  return rows.length > 0;
}

export async function addAlert(sql: Db, alert: { socialWorkerId: string; childId: string; kind: AlertKind; message: string }): Promise<void> {
  await sql`insert into social_worker_notifications (social_worker_id, child_id, kind, message)
            values (${alert.socialWorkerId}, ${alert.childId}, ${alert.kind}, ${alert.message})`;
}
