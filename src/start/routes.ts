// The start page: for visitors, what the portal is and the way in; for those the policy lets
// read alerts (`read Alerts`: a social worker), also the lookups of their children not yet seen.
import { Hono } from 'hono';
import type { Sql } from '../db/connect.ts';
import { unreadNotifications } from '../notifications/social-worker-notifications.ts';
import { formatDateTime } from '../web/format.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';

export function startRoutes(sql: Sql, views: Views) {
  const routes = new Hono<AppEnv>();
  routes.get('/', async (c) => {
    const actor = c.var.actor;
    if (!actor?.socialWorkerId || !c.var.access?.can('read', 'Alerts')) return views.render(c, 'start/index');
    const notifications = await unreadNotifications(sql, actor.socialWorkerId, 20);
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'start/index', {
      notifications: notifications.map((n) => ({ ...n, createdAt: formatDateTime(n.createdAt) })),
    });
  });
  return routes;
}
