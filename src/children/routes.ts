// A partner's children and one child's summary.
//   GET /children      the user's children (htmx search and filter, paginated)
//   GET /children/:id  one child's summary: only the fields the policy releases
// A child the user may not see gets exactly the page an unknown child gets (404). Every list
// and every summary is written to the access log in the same request.
import { Hono, type Context } from 'hono';
import { recordAccess } from '../audit/access-log.ts';
import { viewsOfChild } from '../audit/access-log.ts';
import type { Sql } from '../db/connect.ts';
import { permittedChildFields } from '../policy/ability.ts';
import { childFields, type ChildField } from '../policy/fields.ts';
import { childrenFilter } from '../policy/sql-filter.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import type { Views } from '../web/views.ts';
import { chronologyOf, findChild, listChildren, type LegalStatusFilter } from './queries.ts';
import { presentChild } from './summary.ts';

const PAGE_SIZE = 25;
const LIST_COLUMNS: ChildField[] = ['forename', 'surname', 'dateOfBirth', 'legalStatus', 'nextReviewDate'];
const STATUSES: LegalStatusFilter[] = ['child_in_need', 'child_protection', 'looked_after'];

/** Who is looking, for the access log. */
export function accessor(c: Context<AppEnv>) {
  const session = c.get('session')!;
  return {
    issuer: session.issuer,
    subject: session.subject,
    userName: session.userName,
    organisationId: session.organisationId,
    organisationName: session.organisationName,
    role: session.role!,
    requestId: c.get('requestId'),
  };
}

export function childrenRoutes(sql: Sql, views: Views) {
  const routes = new Hono<AppEnv>();

  routes.use('/children', noStore);
  routes.use('/children/*', noStore);

  routes.get('/children', async (c) => {
    const ability = c.get('ability')!;
    if (!ability.can('read', 'Child')) return c.notFound();
    // Bad or hostile query values fall back to defaults: never an error page for a search.
    const name = (c.req.query('name') ?? '').slice(0, 100);
    const statusParam = c.req.query('status') ?? '';
    const status = STATUSES.includes(statusParam as LegalStatusFilter) ? (statusParam as LegalStatusFilter) : null;
    const pageParam = Number.parseInt(c.req.query('page') ?? '1', 10);
    const page = Number.isFinite(pageParam) && pageParam >= 1 && pageParam <= 100_000 ? pageParam : 1;

    const { rows, total } = await listChildren(sql, childrenFilter(sql, ability, 'read'), { name, status, page, pageSize: PAGE_SIZE });
    const released = new Set<ChildField>();
    const children = rows.flatMap((row) => {
      const fields = permittedChildFields(ability, 'read', row).filter((f) => LIST_COLUMNS.includes(f));
      fields.forEach((f) => released.add(f));
      return fields.length ? [presentChild(row, fields)] : [];
    });
    await recordAccess(sql, { ...accessor(c), childId: null, action: 'view_list', fieldsReleased: [...released], reason: null });

    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const data = { title: 'Children', children, total, page, pages, name, status, statuses: STATUSES, columns: LIST_COLUMNS, labels: childFields };
    // htmx asks for the results only (the search form stays as the user left it).
    if (c.req.header('HX-Request') && c.req.header('HX-Target') === 'children-results') return views.render(c, 'children/_results', data);
    return views.render(c, 'children/list', data);
  });

  routes.get('/children/:id', async (c) => {
    const ability = c.get('ability')!;
    const id = c.req.param('id');
    if (!isUuid(id)) return c.notFound();
    const record = await findChild(sql, id, childrenFilter(sql, ability, 'read'));
    const fields = record ? permittedChildFields(ability, 'read', record) : [];
    if (!record || fields.length === 0) return c.notFound();

    // Fetched only when the policy releases them.
    const extras = {
      chronology: fields.includes('chronology') ? await chronologyOf(sql, id) : undefined,
      viewedBy: fields.includes('viewedBy') ? await viewsOfChild(sql, id) : undefined,
    };
    await recordAccess(sql, { ...accessor(c), childId: id, action: 'view_summary', fieldsReleased: fields, reason: null });
    const child = presentChild(record, fields, extras);
    return views.render(c, 'children/summary', { title: 'Child summary', child, labels: childFields, canRaiseConcern: ability.can('create', 'Concern') });
  });

  return routes;
}
