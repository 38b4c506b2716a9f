// The start page: for visitors, what the portal is and the way in; for those the policy lets
// read alerts (`read Alert`: a social worker their own, a team manager their team's), also the
// unread alerts about their children, each of which can be marked as read.
import { Hono } from 'hono';
import type { AlertRecord } from '../access/index.ts';
import { formatDateTime } from '../web/format.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';

/** An alert as the start page shows it. */
function presentAlert(alert: AlertRecord, showWorker: boolean) {
  return {
    id: alert.id,
    childHref: `/children/${alert.childId}`,
    createdAt: formatDateTime(alert.createdAt),
    message: alert.message,
    // A team manager sees whose alert it is.
    worker: showWorker ? alert.workerName : null,
  };
}

export function startRoutes(views: Views) {
  const routes = new Hono<AppEnv>();
  routes.get('/', async (c) => {
    const { actor, access } = c.var;
    if (!actor || !access?.can('read', 'Alert')) return views.render(c, 'start/index');
    const alerts = await access.visibleAlerts(20);
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'start/index', {
      notifications: alerts.map((alert) => presentAlert(alert, alert.socialWorkerId !== actor.socialWorkerId)),
    });
  });
  return routes;
}

/** Marking an alert as read: signed-in users only (registered after the deny-by-default middleware). */
export function alertRoutes() {
  const routes = new Hono<AppEnv>();
  routes.post('/alerts/:id/read', async (c) => {
    // Another's alert, or one the policy does not let this user mark, answers as a missing one.
    if (!(await c.var.access!.markAlertRead(c.req.param('id')))) return c.notFound();
    return c.redirect('/', 303);
  });
  return routes;
}
