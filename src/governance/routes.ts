// Information governance (DESIGN.md §2):
//   GET /governance/access-log      search who looked at which child's record, and when
//   GET /governance/access-log.csv  the same search's entries, all of them, as CSV (streamed)
//   GET /governance/unusual-activity  what the thresholds in configuration flag
//   GET /governance/view-as     see a child as a role would, with the rule behind each field
// Access to both comes from the policy files (subjects AccessLog and ViewAs); "view as" reads
// the child through the access module's preview mode.
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { exportAccessLog, searchAccessLog } from '../audit/access-log.ts';
import { roles, isRole, type Role } from '../auth/roles.ts';
import type { RateLimit } from '../auth/rate-limit.ts';
import { DEFAULT_UNUSUAL_ACTIVITY, unusualActivity, type UnusualActivitySettings } from '../audit/unusual-activity.ts';
import type { AuditedChild } from '../access/index.ts';
import type { Sql } from '../db/connect.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import { todayInEngland } from '../validation/dates.ts';
import { normaliseText, textProblem } from '../validation/text.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import type { Views } from '../web/views.ts';
import { checkSearch } from './access-log-search.ts';
import { csvRow } from './csv.ts';
import { describeExport, EXPORT_COLUMNS, exportCells } from './export.ts';
import { presentAccessLog, presentUnusualActivity, presentViewAs, type ChildOutcome } from './presenter.ts';
import { organisationOptions, userName, workerOptions } from './queries.ts';

/** The longest reason a preview takes: a sentence or two, kept in the access log. */
const REASON_LIMIT = 500;
/** Entries on one page of the access log. */
const PAGE_SIZE = 50;
/** Unusual activity: the last week's. */
const UNUSUAL_DAYS = 7;

/** Rows read from the database at a time for the CSV export (and named in one query). */
export const EXPORT_BATCH = 1000;
/** Children's names the export keeps between batches before starting afresh. */
const NAMES_KEPT = 5000;

export function governanceRoutes(sql: Sql, views: Views, lookupRateLimit: RateLimit, unusual: UnusualActivitySettings = DEFAULT_UNUSUAL_ACTIVITY) {
  const routes = new Hono<AppEnv>();

  routes.use('/governance/*', noStore);
  routes.use('/governance/access-log', permit('read', 'AccessLog'));
  routes.use('/governance/access-log.csv', permit('read', 'AccessLog'));
  routes.use('/governance/view-as', permit('read', 'ViewAs'));
  routes.use('/governance/unusual-activity', permit('read', 'AccessLog'));

  // Every kind of unusual activity in the last week, with the thresholds that flag it.
  routes.get('/governance/unusual-activity', async (c) => {
    const threshold = Math.max(1, Math.ceil(lookupRateLimit.limit / 2));
    const activity = await unusualActivity(sql, { ...unusual, lookupThreshold: threshold }, UNUSUAL_DAYS);
    return views.render(c, 'governance/unusual-activity', presentUnusualActivity(activity, { ...unusual, lookupThreshold: threshold, limit: lookupRateLimit.limit, days: UNUSUAL_DAYS }));
  });

  /** A query parameter as typed, normalised (src/validation/text.ts) and trimmed; shown again whole. */
  const queryText = (c: Context<AppEnv>, name: string) => normaliseText(c.req.query(name)).trim();

  /**
   * The search as typed, checked, with the child it asks about found (through the access
   * module's `audit Child`): `ready` when the entries can be read.
   */
  async function runSearch(c: Context<AppEnv>) {
    const checked = checkSearch((name) => queryText(c, name));
    const access = c.var.access!;
    let childOutcome: ChildOutcome = { kind: 'none' };
    let childId: string | undefined;
    if (!Object.keys(checked.errors).length) {
      const asked = checked.child;
      if (asked.kind === 'id') {
        childId = asked.id;
        childOutcome = { kind: 'chosen', id: childId, child: (await access.auditChildNames([childId])).get(childId) };
      } else if (asked.kind === 'search') {
        const matches = await access.auditChildren(asked);
        const picked = matches.find((m) => m.id === asked.pick) ?? (matches.length === 1 ? matches[0] : undefined);
        if (picked) {
          childId = picked.id;
          childOutcome = { kind: 'chosen', id: picked.id, child: picked };
        } else {
          childOutcome = matches.length ? { kind: 'several', matches } : { kind: 'no-match' };
        }
      }
    }
    const ready = !Object.keys(checked.errors).length && childOutcome.kind !== 'several' && childOutcome.kind !== 'no-match';
    return { ...checked, childOutcome, childId, ready };
  }

  /** The page: the form, what the search found of the child, and a page of entries. */
  async function page(c: Context<AppEnv>, search: Awaited<ReturnType<typeof runSearch>>) {
    const { values, errors, filters, childOutcome, childId, ready, before } = search;
    const rows = ready ? await searchAccessLog(sql, { ...filters, childId, before, limit: PAGE_SIZE }) : [];
    const [children, organisations, person] = await Promise.all([
      c.var.access!.auditChildNames(rows.flatMap((row) => (row.childId ? [row.childId] : []))),
      organisationOptions(sql),
      filters.userId ? userName(sql, filters.userId) : Promise.resolve(null),
    ]);
    return views.render(c, 'governance/access-log', presentAccessLog({
      values, errors, childOutcome, rows, children, organisations, userName: person,
      older: rows.length === PAGE_SIZE ? String(rows[rows.length - 1]!.id) : null,
    }), Object.keys(errors).length ? 400 : 200);
  }

  routes.get('/governance/access-log', async (c) => page(c, await runSearch(c)));

  // The current search's entries as CSV, every one of them, streamed from a cursor as it is read.
  // A search that cannot run yet (a mistake, several children to choose from) shows the page.
  routes.get('/governance/access-log.csv', async (c) => {
    const search = await runSearch(c);
    if (!search.ready) return page(c, search);
    const access = c.var.access!;
    const filters = { ...search.filters, childId: search.childId };
    await access.auditExport(describeExport(filters));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="access-log-${todayInEngland()}.csv"`);
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    return stream(c, async (out) => {
      // The byte-order mark tells spreadsheets the file is UTF-8 (names are not all ASCII).
      await out.write(`\uFEFF${csvRow(EXPORT_COLUMNS)}`);
      // Children already named, so each is asked for once (bounded: ids only, a few thousand at most kept).
      const named = new Map<string, AuditedChild | null>();
      for await (const batch of exportAccessLog(sql, filters, EXPORT_BATCH)) {
        if (out.aborted) break; // the download was cancelled: stop reading (closes the cursor)
        const unknown = [...new Set(batch.flatMap((row) => (row.childId && !named.has(row.childId) ? [row.childId] : [])))];
        if (named.size + unknown.length > NAMES_KEPT) named.clear();
        const found = await access.auditChildNames(unknown);
        for (const id of unknown) named.set(id, found.get(id) ?? null);
        const children = new Map([...named].flatMap(([id, child]) => (child ? [[id, child] as const] : [])));
        await out.write(batch.map((row) => csvRow(exportCells(row, children))).join(''));
      }
    }, async (_error, out) => {
      // Headers are sent: say so in the file rather than end it as if it were whole.
      await out.write(csvRow(['The export stopped before the end because of an error. Download it again.']));
    });
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
