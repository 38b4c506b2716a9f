// The partnership's figures (issue 17, points 2 to 4; docs/figures.md), for council management:
//   GET /figures              the period form and the figures
//   GET /figures/:id          one figure for the period: a chart and a table, exact or marked
//                             for sharing (?view=shared: small numbers suppressed)
//   GET /figures/:id.csv      the same as CSV (src/governance/csv.ts: formula-safe), every row
//                             carrying its marking
// Open to whoever the policy lets `read Figures`; anyone else gets the 404 page, as for a page
// that does not exist. The period comes as query parameters (a GET form): bookmarkable, no CSRF.
import { Hono, type Context } from 'hono';
import { csvRow } from '../governance/csv.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';
import { buildFigure, figureTitles, isFigureId, type FigureId } from './figures.ts';
import { checkPeriod, type CheckedPeriod } from './period.ts';
import { applyView, figureCsv, figureDefinitions, periodForm, presentFigure, presentIndex } from './presenter.ts';

export interface FigureSettings {
  /** FIGURES_SUPPRESS_BELOW: in a shared figure, counts under this are "fewer than N". */
  suppressBelow: number;
  /** IMMEDIATE_RISK_TARGET_HOURS */
  immediateRiskHours: number;
}

export function figureRoutes(views: Views, settings: FigureSettings, clock: () => Date = () => new Date()) {
  const routes = new Hono<AppEnv>();
  routes.use('/figures', permit('read', 'Figures'));
  routes.use('/figures/*', permit('read', 'Figures'));

  const query = (c: Context<AppEnv>) => c.req.query() as Record<string, string | undefined>;

  routes.get('/figures', (c) => {
    const checked = checkPeriod(query(c), clock());
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'figures/index', presentIndex(checked, settings.suppressBelow), checked.period ? 200 : 400);
  });

  async function figure(c: Context<AppEnv>, id: FigureId, checked: CheckedPeriod) {
    const period = checked.period!;
    const table = await buildFigure(c.var.access!, id, { period, months: period.months, riskHours: settings.immediateRiskHours, now: clock() });
    applyView(table, checked.answers.view, settings.suppressBelow);
    return table;
  }

  function invalid(c: Context<AppEnv>, id: FigureId, checked: CheckedPeriod) {
    return views.render(c, 'figures/figure', {
      id, title: figureTitles[id], definition: figureDefinitions[id], range: null, rows: null,
      backHref: '/figures', form: periodForm(checked, `/figures/${id}`),
    }, 400);
  }

  routes.get('/figures/:file', async (c) => {
    const file = c.req.param('file');
    const csv = file.endsWith('.csv');
    const id = csv ? file.slice(0, -4) : file;
    if (!isFigureId(id)) return c.notFound();
    const checked = checkPeriod(query(c), clock());
    c.header('Cache-Control', 'no-store');
    if (!checked.period) return invalid(c, id, checked);
    const table = await figure(c, id, checked);
    if (!csv) return views.render(c, 'figures/figure', presentFigure(table, checked as Parameters<typeof presentFigure>[1], settings.suppressBelow));

    const marking = checked.answers.view === 'shared' ? 'for-sharing' : 'internal-exact';
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${id}-${checked.period.fromDate}-to-${checked.period.toDate}-${marking}.csv"`);
    c.header('X-Content-Type-Options', 'nosniff');
    // The byte-order mark tells spreadsheets the file is UTF-8 (school names are not all ASCII).
    return c.body(`\uFEFF${figureCsv(table, checked.answers.view, settings.suppressBelow).map(csvRow).join('')}`);
  });
  return routes;
}
