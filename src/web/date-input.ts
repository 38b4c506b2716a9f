// The GOV.UK date input (day, month, year boxes): one check for every form that has one, with
// the Design System's messages. `what` names the date in a message, like "when it happened".
export function checkDate(day: string, month: string, year: string, what: string, required: boolean): { date: string | null; error?: string } {
  const [d, m, y] = [day.trim(), month.trim(), year.trim()];
  if (!d && !m && !y) return required ? { date: null, error: `Enter ${what}` } : { date: null };
  if (!d || !m || !y) return { date: null, error: `${what[0]!.toUpperCase()}${what.slice(1)} must include a day, month and year` };
  const date = `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (![d, m, y].every((v) => /^\d+$/.test(v)) || y.length !== 4 || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    return { date: null, error: `${what[0]!.toUpperCase()}${what.slice(1)} must be a real date` };
  }
  if (parsed.getTime() > Date.now()) return { date: null, error: `${what[0]!.toUpperCase()}${what.slice(1)} must be today or in the past` };
  return { date };
}
