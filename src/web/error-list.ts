// The error summary's list for a page, as views/partials/govuk/error-summary takes it
// (errorList: [{ text, href }]): the messages in the order the fields appear on the page, each
// linking to the input that takes the answer (the first box of a date, the first radio).
// Every presenter with a form makes its list here.

export interface ErrorSummaryItem {
  text: string;
  href: string;
}

/** An input's error message as the GOV.UK partials take it (`errorMessage`): the message, or false. */
export type ErrorMessage = { text: string } | false;

/**
 * The page's errors in page order. `order` names every field that can have an error, top to
 * bottom; `targets` gives the id to link to where it is not the field's own name (a date's day
 * box, say). An error for a field not in `order` is not listed.
 */
export function errorList(
  errors: Readonly<Record<string, string | undefined>>,
  order: readonly string[],
  targets: Readonly<Record<string, string>> = {},
): ErrorSummaryItem[] {
  return order.filter((field) => errors[field]).map((field) => ({ text: errors[field]!, href: `#${targets[field] ?? field}` }));
}

/** Each field's message for its own input, `false` where it has none (the partials then show none). */
export function errorMessages<F extends string>(errors: Readonly<Record<string, string | undefined>>, fields: readonly F[]): Record<F, ErrorMessage> {
  return Object.fromEntries(fields.map((field) => [field, errors[field] ? { text: errors[field]! } : false])) as Record<F, ErrorMessage>;
}
