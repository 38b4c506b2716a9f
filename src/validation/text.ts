// Text people send, made into text the database can store and the page can show again. Every
// form field and every query parameter that reaches SQL goes through `normaliseText` first, and
// its check through `textProblem`, so the rules live in one place:
//
// - Line breaks: CR LF and a lone CR become LF (browsers send CR LF from a textarea; the check
//   page's hidden fields would turn it into LF anyway, so the check and the send agree).
// - Control characters (Unicode Cc: U+0000–U+001F, U+007F–U+009F) other than tab and newline,
//   and lone surrogates (half of a pair: not UTF-8 at all), become U+FFFD, the replacement
//   character. PostgreSQL cannot store NUL in text, and none of them is anything a person
//   meant to type. The marked text is what the page shows again, so the person sees where the
//   problem is (a browser would show a NUL as � anyway), and `textProblem` refuses any text
//   holding U+FFFD: a form never stores it, and sending the page back unchanged is refused again.
// - Unicode NFC, as stored, so "é" typed either way is the same name and the same length.
// - Lengths are counted in characters (code points) of the trimmed text, as PostgreSQL's
//   char_length counts what is stored, not in JavaScript's UTF-16 units.

/** What a refused character is shown as. */
export const UNREADABLE = '\uFFFD';

// Cc except tab (U+0009) and newline (U+000A); CR is dealt with first.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A submitted value as text to check, show again and store; anything but a string is ''. */
export function normaliseText(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(LONE_SURROGATE, UNREADABLE)
    .replace(CONTROL, UNREADABLE)
    .normalize('NFC');
}

/** Characters as the database counts them (code points), not UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The first `limit` characters (code points): never half of a pair. */
export function firstCharacters(text: string, limit: number): string {
  let end = 0;
  let count = 0;
  for (const char of text) {
    if (count++ === limit) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Whether text (already normalised) holds a character that cannot be stored as typed. */
export const hasUnreadable = (text: string): boolean => text.includes(UNREADABLE);

/**
 * The GOV.UK message for normalised text that cannot be stored, or undefined. `label` names the
 * field as a sentence starts ("First name"); `limit` is in characters of the trimmed text.
 */
export function textProblem(label: string, text: string, limit?: number): string | undefined {
  if (hasUnreadable(text)) return `${label} must not contain control characters or unreadable characters (shown as ${UNREADABLE})`;
  if (limit !== undefined && characterCount(text.trim()) > limit) return `${label} must be ${limit.toLocaleString('en-GB')} characters or fewer`;
  return undefined;
}
