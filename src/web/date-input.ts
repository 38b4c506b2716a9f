// Dates people type: whether a YYYY-MM-DD names a real day, and the GOV.UK date input (day,
// month, year boxes) checked with the Design System's messages.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD naming a day that exists (not 2025-02-30). */
export function isRealIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

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
