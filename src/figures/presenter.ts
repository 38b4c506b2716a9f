// The figures as the page and the CSV show them (issue 17, points 2 and 3): a figure's table of
// cells (./figures.ts) made into text, exact for the council's own use or, marked for sharing,
// with small numbers suppressed (./suppress.ts), and its chart (./chart.ts).
import { monthLabel } from '../encompass/figures-presenter.ts';
import { formatDate } from '../web/format.ts';
import { barChart, lineChart, type ChartValue } from './chart.ts';
import { figureIds, figureTitles, type Cell, type FigureId, type FigureTable } from './figures.ts';
import { periodQuery, type CheckedPeriod, type FigureView, type PeriodAnswers } from './period.ts';
import { suppress, type Count, type Derived } from './suppress.ts';
import { errorList, errorMessages } from '../web/error-list.ts';

/** What each figure counts, in a sentence (docs/figures.md has the full definitions). */
export const figureDefinitions: Record<FigureId, string> = {
  'referral-sources': 'Concerns received each month, by the CIN census referral-source code of the partner who raised them (a school’s leads 2A, a GP 3A, a health visitor 3B, a school nurse 3C, an emergency department 3E, the police 6).',
  outcomes: 'Decisions the front door made each month, by outcome.',
  timeliness: 'Concerns received each month that have been decided or are past their deadline, and how many were decided in time: within one working day, or for a concern marked as immediate risk within the immediate-risk target. A concern still within its time does not count against anyone.',
  'time-to-decision': 'Decisions made each month, and the median and 90th percentile of the time from receiving the concern to deciding it, in hours.',
  'school-rates': 'Concerns each school raised each month, per 10,000 children on its roll today.',
  repeats: 'Concerns received each month that the front door matched to a child, and how many of them came after another concern about the same child received in the 12 months before.',
  'partner-looks': 'Partners’ views of a child’s summary and lookups of a child each month, from the access log, by agency.',
  'audit-grades': 'Grades given in case-file audits completed each month, over every area audited.',
};

export const fewerThan = (threshold: number) => `fewer than ${threshold}`;
const NOT_SHOWN = 'not shown (small numbers)';

const oneDecimal = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

interface Shown { text: string; numeric: boolean; hidden: boolean }

function show(cell: Cell, threshold: number): Shown {
  if (cell.kind === 'text') return { text: cell.text, numeric: false, hidden: false };
  if (cell.kind === 'count') return cell.count.suppressed ? { text: fewerThan(threshold), numeric: true, hidden: true } : { text: cell.count.value.toLocaleString('en-GB'), numeric: true, hidden: false };
  const d = cell.derived;
  if (d.suppressed) return { text: NOT_SHOWN, numeric: true, hidden: true };
  if (d.value === null) return { text: 'none', numeric: true, hidden: false };
  return { text: cell.kind === 'percent' ? String(Math.round(d.value)) : oneDecimal(d.value), numeric: true, hidden: false };
}

/** A CSV cell: numbers as numbers (no thousands separators), hidden ones as words. */
function csvValue(cell: Cell, threshold: number): string | number | null {
  if (cell.kind === 'text') return cell.text;
  if (cell.kind === 'count') return cell.count.suppressed ? fewerThan(threshold) : cell.count.value;
  const d = cell.derived;
  if (d.suppressed) return 'suppressed';
  if (d.value === null) return null;
  return cell.kind === 'percent' ? Math.round(d.value) : Math.round(d.value * 10) / 10;
}

/** Marks what a shared figure hides; the internal view hides nothing. */
export function applyView(table: FigureTable, view: FigureView, threshold: number): void {
  if (view === 'shared') suppress(table.counts, table.groups, table.derived, threshold);
}

const chartValue = (v: Count | Derived): ChartValue => ({ value: v.value, hidden: Boolean(v.suppressed) });

const monthLong = (month: string) => monthLabel(month);

export function presentFigure(table: FigureTable, checked: CheckedPeriod & { period: NonNullable<CheckedPeriod['period']> }, threshold: number) {
  const { answers, period } = checked;
  const view = answers.view;
  const rows = table.rows.map((row) => row.map((cell, i) => (i === 0 && cell.kind === 'text' ? { text: monthLong(cell.text), numeric: false, hidden: false } : show(cell, threshold))));
  const range = `${formatDate(period.fromDate)} to ${formatDate(period.toDate)}`;
  const hiddenNote = view === 'shared' ? ` Counts under ${threshold}, and figures made from them, are not plotted.` : '';
  const chart = table.chart.kind === 'line'
    ? lineChart(table.months, table.chart.series.map((s) => ({ label: s.label, values: s.points.map(chartValue) })), table.chart.unit === 'percent' ? 100 : undefined)
    : barChart(table.chart.bars.map((b) => ({ label: b.label, value: chartValue(b.value) })), fewerThan(threshold));
  const unit = { count: 'number', percent: 'percentage', hours: 'hours', rate: 'concerns per 10,000 children' }[table.chart.unit];
  const description = table.chart.kind === 'line'
    ? `Line chart of ${table.title.toLowerCase()} by month, ${range}: one line for each of ${table.chart.series.map((s) => s.label).join('; ')}. The vertical axis is the ${unit}. The table after the chart gives every value.${hiddenNote}`
    : `Bar chart of ${table.title.toLowerCase()} over ${range}: one bar for each school, its length the ${unit}. The table after the chart gives each month.${hiddenNote}`;
  return {
    id: table.id,
    title: table.title,
    definition: figureDefinitions[table.id],
    range,
    shared: view === 'shared',
    threshold,
    fewerThan: fewerThan(threshold),
    columns: table.columns,
    rows,
    chart: { ...chart, titleId: `chart-${table.id}-title`, descId: `chart-${table.id}-desc`, title: `${table.title}, ${range}`, description },
    csvHref: `/figures/${table.id}.csv${periodQuery(answers)}`,
    otherViewHref: `/figures/${table.id}${periodQuery(answers, view === 'shared' ? 'internal' : 'shared')}`,
    backHref: `/figures${periodQuery(answers)}`,
    form: periodForm(checked, `/figures/${table.id}`),
  };
}

/** The CSV's rows: a marking on every row (so a copied extract keeps it), then the table. */
export function figureCsv(table: FigureTable, view: FigureView, threshold: number): Array<Array<string | number | null>> {
  const marking = view === 'shared'
    ? `For sharing: counts under ${threshold} shown as "${fewerThan(threshold)}"`
    : 'Internal: exact numbers, not for sharing outside the council';
  return [
    ['Marking', ...table.columns],
    ...table.rows.map((row) => [marking, ...row.map((cell) => csvValue(cell, threshold))]),
  ];
}

export function periodForm(checked: CheckedPeriod, action: string) {
  const { answers, errors } = checked;
  return {
    action,
    answers,
    errorList: errorList(errors, ['from', 'to'], { from: 'from-day', to: 'to-day' }),
    errors: errorMessages(errors, ['from', 'to'] as const),
    viewItems: [
      { value: 'internal', text: 'Exact numbers, for use inside the council', checked: answers.view !== 'shared', id: 'view' },
      { value: 'shared', text: `For sharing: counts under the threshold shown as “fewer than …”`, checked: answers.view === 'shared', id: 'view-shared' },
    ],
  };
}

export function presentIndex(checked: CheckedPeriod, threshold: number) {
  const query = checked.period ? periodQuery(checked.answers) : '';
  return {
    title: 'Figures',
    threshold,
    range: checked.period ? `${formatDate(checked.period.fromDate)} to ${formatDate(checked.period.toDate)}` : null,
    shared: checked.answers.view === 'shared',
    figures: figureIds.map((id) => ({ id, title: figureTitles[id], definition: figureDefinitions[id], href: `/figures/${id}${query}` })),
    form: periodForm(checked, '/figures'),
  };
}

export type PeriodFormModel = ReturnType<typeof periodForm>;
export type { PeriodAnswers };
