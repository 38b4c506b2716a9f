// Dates as GOV.UK writes them ("23 November 2026", "23 November 2026, 10:05"), in England's
// time zone whatever the server's.
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Europe/London',
});

/** A calendar date held as YYYY-MM-DD (no time zone involved). */
export function formatDate(isoDate: string | null | undefined): string | null {
  if (!isoDate) return null;
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : dateFormat.format(date);
}

export function formatDateTime(at: Date): string;
export function formatDateTime(at: Date | null | undefined): string | null;
export function formatDateTime(at: Date | null | undefined): string | null {
  return at ? dateTimeFormat.format(at).replace(' at ', ', ') : null;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text made safe to put into markup, exactly as the templates' `<%= %>` escapes it. For the few
 * view-model values the GOV.UK partials take as `html` (a link or line breaks in a summary row).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char]!);
}
