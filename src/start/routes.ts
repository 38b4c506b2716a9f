// The start page. For visitors (and anyone who has not chosen a role yet), what the portal is and
// the way in. Signed in with a role, a home page whose panels are the policy's answer, one
// `access.can` each:
//   read Submissions   the organisation's new decisions and latest submissions
//   read FrontDoorQueue  how many concerns wait, are overdue, are at immediate risk
//   read Alert         the unread alerts about their children (a social worker's own, a team manager's team's)
//   lookup Child       the lookup form itself
//   acknowledge EncompassNotification  police notifications waiting (first), and any escalated
//   read AccessLog     the latest unusual activity (many or refused lookups, bursts of summaries,
//                      lookups out of hours, repeated lookups that found no one)
//   read ImportFreshness  when each source was last imported, warned when the case system's is stale
//   read CaseAuditAction  overdue actions agreed in case-file audits, one's own to do or to follow (when any)
import { Hono } from 'hono';
import { unusualActivity as findUnusualActivity, type UnusualActivitySettings } from '../audit/unusual-activity.ts';
import type { RateLimit } from '../auth/rate-limit.ts';
import type { Sql } from '../db/connect.ts';
import type { AppEnv } from '../web/env.ts';
import { NEW_DECISION_DAYS } from '../web/navigation.ts';
import type { Views } from '../web/views.ts';
import { presentAlert, presentFrontDoorCounts, presentLookupPanel, presentPartnerPanels, presentUnusualActivityPanel } from './presenter.ts';
import { presentFailedMessages } from './presenter.ts';
import { failedMessageCount } from '../notifications/message-status.ts';
import { lastSuccessfulImport } from '../imports/runs.ts';
import { presentFreshness } from '../imports/presenter.ts';
import { presentEncompassPanel } from '../encompass/inbox-presenter.ts';
import { presentOverdueActionsPanel } from '../case-audits/presenter.ts';
import { todayInEngland } from '../validation/dates.ts';

/** How many of the organisation's latest submissions the home page lists. */
const RECENT_SUBMISSIONS = 5;
/** Unusual activity: the last week's, the top few. */
const UNUSUAL_DAYS = 7;
const UNUSUAL_TOP = 5;

export interface StartOptions {
  sql: Sql;
  /** The per-person lookup limit: unusual activity is an hour of at least half of it (as its page). */
  lookupRateLimit: RateLimit;
  /** Unusual activity's thresholds, from configuration. */
  unusualActivity: UnusualActivitySettings;
  /** Hours after which the case system's last extract is stale (IMPORT_STALE_HOURS; default 24). */
  importStaleHours?: number;
}

export function startRoutes(views: Views, { sql, lookupRateLimit, unusualActivity, importStaleHours = 24 }: StartOptions) {
  const routes = new Hono<AppEnv>();
  routes.get('/', async (c) => {
    const { actor, access } = c.var;
    if (!actor || !access) return views.render(c, 'start/index');
    const now = new Date();
    const home: Record<string, unknown> = {};

    // First: police notifications waiting for the school (or the front door), before the school day.
    if (access.can('acknowledge', 'EncompassNotification')) {
      const { notifications, total } = await access.visibleEncompassNotifications({ limit: 20, offset: 0, unacknowledged: true });
      home.encompass = presentEncompassPanel(notifications.filter((n) => access.mayAcknowledgeEncompass(n) || n.escalatedToFrontDoorAt), total, now);
    }

    if (access.can('read', 'Submissions')) {
      const list = { submittedByRoles: null, category: null, order: 'newest', page: 1 } as const;
      const [decided, recent] = await Promise.all([
        access.visibleConcerns({ ...list, status: 'decided', pageSize: 20, decidedSince: new Date(now.getTime() - NEW_DECISION_DAYS * 86_400_000) }),
        access.visibleConcerns({ ...list, status: 'all', pageSize: RECENT_SUBMISSIONS }),
      ]);
      Object.assign(home, presentPartnerPanels(decided.concerns, recent.concerns, NEW_DECISION_DAYS, now));
    }
    if (access.can('read', 'FrontDoorQueue')) {
      home.frontDoor = presentFrontDoorCounts(await access.concernCounts({ decidedSince: now, now }));
    }
    if (access.can('read', 'Alert')) {
      const alerts = await access.visibleAlerts(20);
      home.notifications = alerts.map((alert) => presentAlert(alert, alert.socialWorkerId !== actor.socialWorkerId));
    }
    if (access.can('lookup', 'Child')) home.lookup = presentLookupPanel();
    if (access.can('read', 'AccessLog')) {
      const threshold = Math.max(1, Math.ceil(lookupRateLimit.limit / 2));
      const found = await findUnusualActivity(sql, { ...unusualActivity, lookupThreshold: threshold }, UNUSUAL_DAYS);
      home.unusualActivity = presentUnusualActivityPanel(found, unusualActivity, UNUSUAL_DAYS, UNUSUAL_TOP);
    }
    // When each source was last imported; a warning when the case system's extract is stale.
    if (access.can('read', 'ImportFreshness')) home.importFreshness = { ...presentFreshness(await lastSuccessfulImport(sql), importStaleHours, now), runsHref: access.can('read', 'ImportRun') ? '/imports' : null };
    // Actions agreed in case-file audits that are overdue: the person's to do, or to follow as auditor (only when there are some).
    if (access.can('read', 'CaseAuditAction')) {
      const today = todayInEngland(now);
      home.overdueAuditActions = presentOverdueActionsPanel(await access.overdueCaseAuditActions(today), today);
    }
    if (access.can('read', 'Messages')) home.failedMessages = presentFailedMessages(await failedMessageCount(sql));
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'start/home', { title: 'Home', ...home });
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
