// A partner's children and one child's summary.
//   GET /children      the user's children (htmx search and filter, paginated; ?sort=name|nextReviewDate
//                      &order=ascending|descending, the sortable headers' links)
//   GET /children/:id  one child's summary: only the fields the policy releases
//                      ?agency=health   the chronology's entries from one agency
//                      ?chronology=2    a later page of the chronology (20 entries a page, newest first)
//                      ?viewed=2        a later page of "Viewed by"
//                      ?views=all       "Viewed by" with the council's own looks too (partners' only by default)
// Records come through the access module (src/access/), which applies the policy, reduces each
// record to its permitted fields and logs the look. A child the user may not see gets exactly
// the page an unknown child gets (404).
import { Hono } from 'hono';
import type { LegalStatusFilter, ListSort } from '../access/index.ts';
import { permit } from '../middleware/permit/index.ts';
import type { ChildField } from '../policy/fields.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import { firstCharacters, normaliseText } from '../validation/text.ts';
import type { Views } from '../web/views.ts';
import { presentChildList } from './presenter.ts';
import { agencies, type Agency } from '../auth/roles.ts';
import { CHRONOLOGY_PAGE_SIZE, presentChildSummary, VIEWED_BY_PAGE_SIZE, type SummaryOptions } from './summary.ts';

const PAGE_SIZE = 25;
const LIST_COLUMNS: ChildField[] = ['forename', 'surname', 'dateOfBirth', 'legalStatus', 'nextReviewDate'];
const STATUSES: LegalStatusFilter[] = ['child_in_need', 'child_protection', 'looked_after'];
/** The columns a list can be sorted by (anything else sorts by name). */
const SORTS: ReadonlyArray<ListSort['by']> = ['name', 'nextReviewDate'];

/** A page number from the query: 1 to 100,000, else the first page (never an error page). */
function pageNumber(value: string | undefined): number {
  const page = Number.parseInt(value ?? '1', 10);
  return Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1;
}

export function childrenRoutes(views: Views) {
  const routes = new Hono<AppEnv>();

  routes.use('/children', noStore, permit('read', 'Child'));
  routes.use('/children/*', noStore, permit('read', 'Child'));

  routes.get('/children', async (c) => {
    // Bad or hostile query values fall back to defaults: never an error page for a search.
    // The name as typed (normalised: a control character shows as �, and matches no one) stays in
    // the search box; the search takes its first 100 characters, longer than any name.
    const typed = normaliseText(c.req.query('name'));
    const name = firstCharacters(typed, 100);
    const statusParam = c.req.query('status') ?? '';
    const status = STATUSES.includes(statusParam as LegalStatusFilter) ? (statusParam as LegalStatusFilter) : null;
    const page = pageNumber(c.req.query('page'));

    // The columns are those the policy gives the actor fields for (the access module says which);
    // a column not among them is neither shown nor sorted by.
    const access = c.var.access!;
    const columns = access.listColumns(LIST_COLUMNS);
    const sortParam = c.req.query('sort') ?? '';
    const by = SORTS.find((s) => s === sortParam && (s === 'name' || columns.includes(s))) ?? 'name';
    const sort: ListSort = { by, direction: c.req.query('order') === 'descending' ? 'descending' : 'ascending' };

    const { children, total, more } = await access.visibleChildren({ name, status, page, pageSize: PAGE_SIZE, sort }, LIST_COLUMNS);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const data = presentChildList({ children, total, more, page, pages, name: typed, status, statuses: STATUSES, columns, sort });
    // htmx asks for the results only (the search form stays as the user left it).
    if (c.req.header('HX-Request') && c.req.header('HX-Target') === 'children-results') return views.render(c, 'children/_results', data);
    return views.render(c, 'children/list', data);
  });

  routes.get('/children/:id', async (c) => {
    const id = c.req.param('id');
    if (!isUuid(id)) return c.notFound();
    const access = c.var.access!;
    // Bad values fall back to the defaults (every agency, the first page, partners' looks only).
    const agencyParam = c.req.query('agency') ?? '';
    const options: SummaryOptions = {
      agency: agencies.includes(agencyParam as Agency) ? (agencyParam as Agency) : null,
      chronologyPage: pageNumber(c.req.query('chronology')),
      viewedPage: pageNumber(c.req.query('viewed')),
      viewsAll: c.req.query('views') === 'all',
    };
    const child = await access.visibleChild(id, {
      // Each one more than a page: whether there is a next page.
      chronology: { agency: options.agency, limit: CHRONOLOGY_PAGE_SIZE + 1, offset: (options.chronologyPage - 1) * CHRONOLOGY_PAGE_SIZE },
      viewedBy: { everyone: options.viewsAll, limit: VIEWED_BY_PAGE_SIZE + 1, offset: (options.viewedPage - 1) * VIEWED_BY_PAGE_SIZE },
      // The child's folder of filed documents (docs/documents.md), linked where the actor may see any of it.
      documentCount: true,
    });
    if (!child) return c.notFound();
    const documents = child.documentCount ?? 0;
    return views.render(c, 'children/summary', {
      ...presentChildSummary(child, access.can('create', 'Concern'), options),
      documentsLink: documents ? { href: `/documents/folders/${id}`, text: `Filed documents (${documents})` } : null,
    });
  });

  return routes;
}
