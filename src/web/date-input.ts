// Dates people type: the GOV.UK date input (day, month, year boxes) checked with the Design
// System's messages, against the range that kind of date may fall in.
import { isRealIsoDate, outsideRange, type DateRange } from '../validation/dates.ts';
import { formatDate } from './format.ts';

const sentence = (what: string) => `${what[0]!.toUpperCase()}${what.slice(1)}`;

/**
 * The three boxes of a date input; `what` names the date in a message, like "when it happened".
 * The boxes are normalised text (src/validation/text.ts): anything but ASCII digits is not a date.
 */
export function checkDate(
  day: string, month: string, year: string, what: string, required: boolean, range: DateRange, now: Date = new Date(),
): { date: string | null; error?: string } {
  const [d, m, y] = [day.trim(), month.trim(), year.trim()];
  if (!d && !m && !y) return required ? { date: null, error: `Enter ${what}` } : { date: null };
  if (!d || !m || !y) return { date: null, error: `${sentence(what)} must include a day, month and year` };
  const date = `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (![d, m, y].every((v) => /^[0-9]+$/.test(v)) || y.length !== 4 || !isRealIsoDate(date)) {
    return { date: null, error: `${sentence(what)} must be a real date` };
  }
  const outside = outsideRange(date, range, now);
  if (outside) return { date: null, error: rangeMessage(sentence(what), range, outside) };
  return { date };
}

/** "… must be between 1 January 2000 and today" or "… must be today or in the past". */
export function rangeMessage(subject: string, range: DateRange, problem: 'tooEarly' | 'tooLate'): string {
  return problem === 'tooLate' ? `${subject} must be today or in the past` : `${subject} must be between ${formatDate(range.earliest)} and today`;
}

/**
 * A date typed into one box as YYYY-MM-DD (the access log's search), checked against its range;
 * the message, or undefined. `what` names the date as in "Enter the start date as YYYY-MM-DD".
 */
export function checkIsoDateText(value: string, what: string, range: DateRange, now: Date = new Date()): string | undefined {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return `Enter ${what} as YYYY-MM-DD`;
  if (!isRealIsoDate(value)) return `${sentence(what)} must be a real date`;
  const outside = outsideRange(value, range, now);
  return outside && rangeMessage(sentence(what), range, outside);
}
