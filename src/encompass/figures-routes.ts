// Operation Encompass's figures (issue 14, point 6), for information governance and a force:
//   GET /encompass/figures      by month and school: notifications sent, the share acknowledged
//                               before the start of the next school day, the median time to
//                               acknowledge
//   GET /encompass/figures.csv  the same, as CSV (src/governance/csv.ts: formula-safe)
// Open to whoever the policy lets `audit EncompassNotification`; which notifications are counted
// is that rule's row filter (information governance: all; a force: its own). Anyone else: 404.
import { Hono } from 'hono';
import { csvRow } from '../governance/csv.ts';
import { permit } from '../middleware/permit/index.ts';
import { todayInEngland } from '../training/renewal.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';
import { FIGURE_MONTHS } from '../access/index.ts';
import { FIGURE_CSV_COLUMNS, figureCsvCells, presentFigures } from './figures-presenter.ts';

export function encompassFigureRoutes(views: Views, clock: () => Date = () => new Date()) {
  const routes = new Hono<AppEnv>();
  routes.use('/encompass/figures', permit('audit', 'EncompassNotification'));
  routes.use('/encompass/figures.csv', permit('audit', 'EncompassNotification'));

  routes.get('/encompass/figures', async (c) => {
    const rows = await c.var.access!.encompassFigures(clock());
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'encompass/figures', { title: 'Police notifications: figures', monthsBack: FIGURE_MONTHS, ...presentFigures(rows) });
  });

  routes.get('/encompass/figures.csv', async (c) => {
    const rows = await c.var.access!.encompassFigures(clock());
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="police-notification-figures-${todayInEngland(clock())}.csv"`);
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    // The byte-order mark tells spreadsheets the file is UTF-8 (school names are not all ASCII).
    return c.body(`\uFEFF${csvRow(FIGURE_CSV_COLUMNS)}${rows.map((row) => csvRow(figureCsvCells(row))).join('')}`);
  });
  return routes;
}
