// Operation Encompass's figures as the page and the CSV show them (issue 14, point 6): shapes
// what the access module counted (src/access/encompass-figures.ts), nothing more.
import type { EncompassFigureRow } from '../access/index.ts';

const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "December 2026" for "2026-12". */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return monthFormat.format(new Date(Date.UTC(year, m - 1, 1)));
}

/** "2 hours 5 minutes", "45 minutes", "3 days 1 hour": whole minutes, rounded to the nearest. */
export function durationLabel(minutes: number): string {
  const whole = Math.round(minutes);
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const mins = whole % 60;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days > 0) return [plural(days, 'day'), hours > 0 ? plural(hours, 'hour') : ''].filter(Boolean).join(' ');
  return [hours > 0 ? plural(hours, 'hour') : '', mins > 0 || hours === 0 ? plural(mins, 'minute') : ''].filter(Boolean).join(' ');
}

/** The share acknowledged in time, as a whole percentage; null when nothing was due yet. */
export const inTimePercent = (row: EncompassFigureRow): number | null => (row.due === 0 ? null : Math.round((100 * row.acknowledgedInTime) / row.due));

const destination = (row: EncompassFigureRow) => (row.total ? 'All schools and the front door' : row.schoolName ?? 'The council’s front door');

export function presentFigures(rows: EncompassFigureRow[]) {
  const months: Array<{ month: string; label: string; rows: Array<Record<string, string | boolean>> }> = [];
  for (const row of rows) {
    let month = months.at(-1);
    if (!month || month.month !== row.month) {
      month = { month: row.month, label: monthLabel(row.month), rows: [] };
      months.push(month);
    }
    const percent = inTimePercent(row);
    month.rows.push({
      total: row.total,
      destination: destination(row),
      sent: String(row.sent),
      inTime: percent === null ? 'None due yet' : `${row.acknowledgedInTime} of ${row.due} (${percent}%)`,
      median: row.medianMinutes === null ? 'None acknowledged' : durationLabel(row.medianMinutes),
    });
  }
  return { months };
}

export const FIGURE_CSV_COLUMNS = [
  'Month', 'School', 'Notifications sent', 'Due by now or acknowledged', 'Acknowledged before the start of the next school day',
  'Share acknowledged in time (%)', 'Acknowledged', 'Median minutes to acknowledge',
] as const;

/** One CSV row's cells (src/governance/csv.ts guards and quotes them). */
export function figureCsvCells(row: EncompassFigureRow): Array<string | number | null> {
  return [
    row.month, destination(row), row.sent, row.due, row.acknowledgedInTime, inTimePercent(row), row.acknowledged,
    row.medianMinutes === null ? null : Math.round(row.medianMinutes),
  ];
}
