// The start page: for visitors, what the portal is and the way in; for a signed-in social
// worker, also the lookups of their children they have not yet seen.
import { Hono } from 'hono';
import type { Sql } from '../db/connect.ts';
import { unreadNotifications } from '../notifications/social-worker-notifications.ts';
import { formatDateTime } from '../web/format.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';

export function startRoutes(sql: Sql, views: Views) {
  const routes = new Hono<AppEnv>();
  routes.get('/', async (c) => {
    const session = c.get('session');
    if (!session?.socialWorkerId || session.role !== 'council.social_worker') return views.render(c, 'start/index');
    const notifications = await unreadNotifications(sql, session.socialWorkerId, 20);
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'start/index', {
      notifications: notifications.map((n) => ({ ...n, createdAt: formatDateTime(n.createdAt) })),
    });
  });
  return routes;
}
