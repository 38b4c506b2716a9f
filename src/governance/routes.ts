// Information governance (DESIGN.md §2):
//   GET /governance/access-log  search who looked at which child's record, and when
//   GET /governance/view-as     see a child as a role would, with the rule behind each field
// Access to both comes from the policy files (subjects AccessLog and ViewAs); "view as" reads
// the child through the access module's preview mode.
import { Hono, type Context } from 'hono';
import { isAccessAction, searchAccessLog } from '../audit/access-log.ts';
import { roles, isRole, type Role } from '../auth/roles.ts';
import type { RateLimit } from '../auth/rate-limit.ts';
import { lookupBursts } from '../audit/unusual-activity.ts';
import type { Sql } from '../db/connect.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import { dateRanges } from '../validation/dates.ts';
import { normaliseText, textProblem } from '../validation/text.ts';
import { checkIsoDateText } from '../web/date-input.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import type { Views } from '../web/views.ts';
import { presentAccessLog, presentUnusualActivity, presentViewAs } from './presenter.ts';
import { organisationOptions, workerOptions } from './queries.ts';

/** The longest reason a preview takes: a sentence or two, kept in the access log. */
const REASON_LIMIT = 500;

export function governanceRoutes(sql: Sql, views: Views, lookupRateLimit: RateLimit) {
  const routes = new Hono<AppEnv>();

  routes.use('/governance/*', noStore);
  routes.use('/governance/access-log', permit('read', 'AccessLog'));
  routes.use('/governance/view-as', permit('read', 'ViewAs'));
  routes.use('/governance/unusual-activity', permit('read', 'AccessLog'));

  // Hours in which one person looked up many children, or was refused by the limit.
  routes.get('/governance/unusual-activity', async (c) => {
    const threshold = Math.max(1, Math.ceil(lookupRateLimit.limit / 2));
    const bursts = await lookupBursts(sql, { threshold, days: 7 });
    return views.render(c, 'governance/unusual-activity', presentUnusualActivity(bursts, threshold, lookupRateLimit.limit));
  });

  /** A query parameter as typed, normalised (src/validation/text.ts) and trimmed; shown again whole. */
  const queryText = (c: Context<AppEnv>, name: string) => normaliseText(c.req.query(name)).trim();

  routes.get('/governance/access-log', async (c) => {
    const q = (name: string) => queryText(c, name);
    const values = { child: q('child'), organisation: q('organisation'), from: q('from'), to: q('to'), action: q('action'), before: q('before') };
    const errors: Record<string, string> = {};
    if (values.child && !isUuid(values.child)) errors.child = 'Enter a child’s record id, like 3f2b8c1e-0000-4000-8000-000000000000';
    if (values.organisation && !isUuid(values.organisation)) errors.organisation = 'Choose an organisation from the list';
    const fromError = values.from ? checkIsoDateText(values.from, 'the start date', dateRanges.accessLogSearch) : undefined;
    if (fromError) errors.from = fromError;
    const toError = values.to ? checkIsoDateText(values.to, 'the end date', dateRanges.accessLogSearch) : undefined;
    if (toError) errors.to = toError;
    else if (values.to && values.from && !fromError && values.to < values.from) errors.to = 'The end date must be the same as or after the start date';
    if (values.action && !isAccessAction(values.action)) errors.action = 'Choose what was done from the list';
    const before = /^\d{1,18}$/.test(values.before) ? values.before : undefined;
    const rows = Object.keys(errors).length
      ? []
      : await searchAccessLog(sql, {
          childId: values.child || undefined,
          organisationId: values.organisation || undefined,
          from: values.from || undefined,
          to: values.to || undefined,
          action: values.action || undefined,
          before,
          limit: 50,
        });
    return views.render(c, 'governance/access-log', {
      ...presentAccessLog({ values, errors, rows, organisations: await organisationOptions(sql), older: rows.length === 50 ? String(rows[rows.length - 1]!.id) : null }),
    }, Object.keys(errors).length ? 400 : 200);
  });

  routes.get('/governance/view-as', async (c) => {
    const q = (name: string) => queryText(c, name);
    const values = { role: q('role'), organisation: q('organisation'), worker: q('worker'), child: q('child'), reason: q('reason') };
    const [orgs, workers] = await Promise.all([organisationOptions(sql), workerOptions(sql)]);
    const errors: Record<string, string> = {};
    const page = () => (presentViewAs({ values, errors, organisations: orgs, workers }));
    if (!values.role && !values.organisation && !values.child) return views.render(c, 'governance/view-as', page());

    if (!isRole(values.role)) errors.role = 'Choose a role';
    const organisation = orgs.find((o) => o.id === values.organisation);
    if (!organisation) errors.organisation = 'Choose an organisation';
    else if (isRole(values.role) && !(roles[values.role].organisationKinds as readonly string[]).includes(organisation.kind)) {
      errors.organisation = `A ${roles[values.role].title.toLowerCase()} cannot belong to ${organisation.name}`;
    }
    const worker = workers.find((w) => w.id === values.worker);
    if (values.worker && !worker) errors.worker = 'Choose a social worker from the list';
    if (!isUuid(values.child)) errors.child = 'Enter a child’s record id';
    const reasonProblem = values.reason ? textProblem('The reason', values.reason, REASON_LIMIT) : 'Enter why you are previewing this child’s record';
    if (reasonProblem) errors.reason = reasonProblem;
    if (Object.keys(errors).length) return views.render(c, 'governance/view-as', page(), 400);

    const role = values.role as Role;
    const council = roles[role].agency === 'council';
    const preview = await c.var.access!.previewAs({
      role,
      organisationId: organisation!.id,
      socialWorkerId: council ? (worker?.id ?? null) : null,
      teamId: council ? (worker?.teamId ?? null) : null,
      trainingCompleted: true,
    }, values.child, `View as ${roles[role].title} at ${organisation!.name}: ${values.reason}`);
    if (!preview) {
      errors.child = 'No child has that record id';
      return views.render(c, 'governance/view-as', page(), 400);
    }
    return views.render(c, 'governance/view-as', {
      ...presentViewAs({ values, errors, organisations: orgs, workers, preview: { preview, role, organisationName: organisation!.name } }),
    });
  });

  return routes;
}
