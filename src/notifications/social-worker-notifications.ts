// Notifications for a child's allocated social worker (migrations/005_social_worker_notifications.sql):
// today, that an emergency department or police officer looked their child up. Written in the
// caller's transaction with the access-log row; shown on the social worker's start page until read.
import type { Db } from '../db/connect.ts';

export interface SocialWorkerNotification {
  id: string;
  childId: string;
  message: string;
  createdAt: Date;
}

/** The social worker's unread notifications, newest first. */
export async function unreadNotifications(sql: Db, socialWorkerId: string, limit = 20): Promise<SocialWorkerNotification[]> {
  return sql<SocialWorkerNotification[]>`
    select id, child_id as "childId", message, created_at as "createdAt"
    from social_worker_notifications
    where social_worker_id = ${socialWorkerId} and read_at is null
    order by created_at desc
    limit ${limit}`;
}

export async function notifySocialWorker(sql: Db, notification: { socialWorkerId: string; childId: string; kind: 'lookup' | 'concern'; message: string }): Promise<void> {
  await sql`insert into social_worker_notifications (social_worker_id, child_id, kind, message)
            values (${notification.socialWorkerId}, ${notification.childId}, ${notification.kind}, ${notification.message})`;
}
