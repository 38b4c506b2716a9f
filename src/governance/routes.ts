// Information governance (DESIGN.md §2):
//   GET /governance/access-log  search who looked at which child's record, and when
//   GET /governance/view-as     see a child as a role would, with the rule behind each field
// Access to both comes from the policy files (subjects AccessLog and ViewAs).
import { Hono } from 'hono';
import { accessActionLabels, isAccessAction, recordAccess, searchAccessLog } from '../audit/access-log.ts';
import { roles, isRole } from '../auth/roles.ts';
import { accessor } from '../children/routes.ts';
import type { Sql } from '../db/connect.ts';
import { childFields } from '../policy/fields.ts';
import type { Policies } from '../policy/load.ts';
import type { AppEnv } from '../web/env.ts';
import { isRealIsoDate } from '../validation/dates.ts';
import { formatDateTime } from '../web/format.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import type { Views } from '../web/views.ts';
import { previewAs, roleOptions } from './view-as.ts';


export function governanceRoutes(sql: Sql, views: Views, policies: Policies) {
  const routes = new Hono<AppEnv>();
  const organisations = () => sql<{ id: string; name: string; kind: string }[]>`select id, name, kind from organisations order by kind, name`;

  routes.use('/governance/*', noStore);

  routes.get('/governance/access-log', async (c) => {
    if (!c.get('ability')!.can('read', 'AccessLog')) return c.notFound();
    const q = (name: string) => (c.req.query(name) ?? '').trim().slice(0, 100);
    const values = { child: q('child'), organisation: q('organisation'), from: q('from'), to: q('to'), action: q('action'), before: q('before') };
    const errors: Record<string, string> = {};
    if (values.child && !isUuid(values.child)) errors.child = 'Enter a child’s record id, like 3f2b8c1e-0000-4000-8000-000000000000';
    if (values.organisation && !isUuid(values.organisation)) errors.organisation = 'Choose an organisation from the list';
    if (values.from && !isRealIsoDate(values.from)) errors.from = 'Enter the start date as YYYY-MM-DD';
    if (values.to && !isRealIsoDate(values.to)) errors.to = 'Enter the end date as YYYY-MM-DD';
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
    const entries = rows.map((row) => ({ ...row, at: formatDateTime(row.at), roleTitle: isRole(row.role) ? roles[row.role].title : row.role }));
    return views.render(c, 'governance/access-log', {
      title: Object.keys(errors).length ? 'Error: Access log' : 'Access log',
      values,
      errors,
      entries,
      organisations: await organisations(),
      labels: childFields,
      actions: accessActionLabels,
      older: rows.length === 50 ? String(rows[rows.length - 1]!.id) : null,
    }, Object.keys(errors).length ? 400 : 200);
  });

  routes.get('/governance/view-as', async (c) => {
    if (!c.get('ability')!.can('read', 'ViewAs')) return c.notFound();
    const q = (name: string) => (c.req.query(name) ?? '').trim().slice(0, 100);
    const values = { role: q('role'), organisation: q('organisation'), worker: q('worker'), child: q('child') };
    const orgs = await organisations();
    const workers = await sql<{ id: string; name: string; team_id: string; team: string }[]>`
      select w.id, w.name, w.team_id, t.name as team from social_workers w join teams t on t.id = w.team_id order by t.name, w.name`;
    const page = { title: 'View as', values, roles: roleOptions, organisations: orgs, workers, labels: childFields, errors: {} as Record<string, string>, preview: null as unknown };
    if (!values.role && !values.organisation && !values.child) return views.render(c, 'governance/view-as', page);

    const errors = page.errors;
    if (!isRole(values.role)) errors.role = 'Choose a role';
    const organisation = orgs.find((o) => o.id === values.organisation);
    if (!organisation) errors.organisation = 'Choose an organisation';
    else if (isRole(values.role) && !(roles[values.role].organisationKinds as readonly string[]).includes(organisation.kind)) {
      errors.organisation = `A ${roles[values.role].title.toLowerCase()} cannot belong to ${organisation.name}`;
    }
    const worker = workers.find((w) => w.id === values.worker);
    if (values.worker && !worker) errors.worker = 'Choose a social worker from the list';
    if (!isUuid(values.child)) errors.child = 'Enter a child’s record id';
    if (Object.keys(errors).length) return views.render(c, 'governance/view-as', { ...page, title: 'Error: View as' }, 400);

    const role = values.role as keyof typeof roles;
    const preview = await previewAs(sql, policies, {
      role,
      organisationId: organisation!.id,
      socialWorkerId: role.startsWith('council.') ? (worker?.id ?? null) : null,
      teamId: role.startsWith('council.') ? (worker?.team_id ?? null) : null,
      trainingCompleted: true,
    }, values.child);
    if (!preview) {
      errors.child = 'No child has that record id';
      return views.render(c, 'governance/view-as', { ...page, title: 'Error: View as' }, 400);
    }
    // What information governance saw of the child is itself recorded.
    await recordAccess(sql, {
      ...accessor(c),
      childId: values.child,
      action: 'view_summary',
      fieldsReleased: preview.fields,
      reason: `View as ${roles[role].title} at ${organisation!.name}`,
    });
    return views.render(c, 'governance/view-as', { ...page, preview, roleTitle: roles[role].title, organisationName: organisation!.name });
  });

  return routes;
}
