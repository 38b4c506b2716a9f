// Dates as the portal stores and passes them: YYYY-MM-DD. A pure check with no web or database
// dependency, so the audit log, the lookup and the web forms share it.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD naming a day that exists (not 2025-02-30). */
export function isRealIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
