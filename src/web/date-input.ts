// Dates people type: the GOV.UK date input (day, month, year boxes) checked with the Design
// System's messages.
import { isRealIsoDate } from '../validation/dates.ts';

/** The three boxes of a date input; `what` names the date in a message, like "when it happened". */
export function checkDate(day: string, month: string, year: string, what: string, required: boolean): { date: string | null; error?: string } {
  const [d, m, y] = [day.trim(), month.trim(), year.trim()];
  if (!d && !m && !y) return required ? { date: null, error: `Enter ${what}` } : { date: null };
  if (!d || !m || !y) return { date: null, error: `${what[0]!.toUpperCase()}${what.slice(1)} must include a day, month and year` };
  const date = `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (![d, m, y].every((v) => /^\d+$/.test(v)) || y.length !== 4 || !isRealIsoDate(date)) {
    return { date: null, error: `${what[0]!.toUpperCase()}${what.slice(1)} must be a real date` };
  }
  if (new Date(`${date}T00:00:00Z`).getTime() > Date.now()) return { date: null, error: `${what[0]!.toUpperCase()}${what.slice(1)} must be today or in the past` };
  return { date };
}
