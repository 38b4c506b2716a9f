// Plain British-English words for the codes a child's summary shows: chronology event types,
// the agencies entries come from, and gender. The codes are those the case system's import (and
// the demo seed, src/seed/names.ts CHRONOLOGY_SUMMARIES), the portal's own writes
// (src/access/concern-writes.ts) and the migrations' checks (migrations/002_case_record.sql) can
// put in the database. A code not listed here still shows, humanised, rather than failing.

/** chronology_events.event_type: the case system's events, then the portal's own entries. */
export const eventTypeLabels: Record<string, string> = {
  referral: 'Referral',
  assessment: 'Assessment',
  strategy_discussion: 'Strategy discussion',
  child_protection_conference: 'Child protection conference',
  home_visit: 'Home visit',
  school_report: 'Report from school',
  health_report: 'Report from health',
  police_notification: 'Notification from the police',
  // What the case system's import saw happen (src/imports/merge/bookkeeping.ts).
  involvement_started: 'Social care episode started',
  involvement_ended: 'Social care episode ended',
  cp_category_changed: 'Child protection category changed',
  'Partner concern': 'Concern raised by a partner',
  'Partner follow-up': 'Further information from a partner',
  'Front door decision': 'Front-door decision',
};

/** chronology_events.source_agency (and src/auth/roles.ts agencies). */
export const agencyLabels: Record<string, string> = {
  council: 'Council (children’s social care)',
  education: 'Education',
  health: 'Health',
  police: 'Police',
};

/** children.gender. */
export const genderLabels: Record<string, string> = {
  male: 'Male',
  female: 'Female',
  other: 'Other',
  not_known: 'Not known',
};

/**
 * involvements.cp_category: the DfE children in need census's categories of abuse, in words. A
 * page shows the words alone ("Neglect"): the census code means nothing to a partner.
 */
export const cpCategoryLabels: Record<string, string> = {
  NEG: 'Neglect',
  PHY: 'Physical abuse',
  SAB: 'Sexual abuse',
  EMO: 'Emotional abuse',
  MUL: 'Multiple categories',
};

/** A child protection category in words, or the fallback where there is none. */
export function cpCategoryInWords(code: string | null | undefined, none = 'Not on a child protection plan'): string {
  return code ? labelFor(cpCategoryLabels, code) : none;
}

/**
 * A child's open involvements (involvements.kind), one set of words everywhere a status is shown:
 * lists, summaries, the CP-IS answer and lookup results. No ": active" on some pages and not on
 * others: a status shown is a status open now.
 */
export const childStatusLabels = {
  child_protection: 'Child protection plan',
  looked_after: 'Looked after',
  child_in_need: 'Child in need',
} as const;
export type ChildStatus = keyof typeof childStatusLabels;
/** The order statuses are listed in, most serious first. */
export const childStatusOrder: readonly ChildStatus[] = ['child_protection', 'looked_after', 'child_in_need'];

/** The same statuses within a sentence: "Ava Farah: on a child protection plan since 4 January 2026". */
export const childStatusPhrases: Record<ChildStatus, string> = {
  child_protection: 'on a child protection plan',
  looked_after: 'looked after by the council',
  child_in_need: 'a child in need',
};

/**
 * The record's start dates, labelled with what started ("Start date" of what?). Used for the
 * summary rows in place of the field names' short labels (src/policy/fields.ts).
 */
export const startDateLabels: Partial<Record<string, string>> = {
  involvementStartDate: 'Open to children’s social care since',
  cpisStartDate: 'Plan or looked-after status since',
};

/** An unlisted code as words: `school_nurse_visit` → "School nurse visit". */
export function humanise(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!words) return code;
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** The label for `code` in `labels`, or the code humanised. */
export function labelFor(labels: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return Object.hasOwn(labels, code) ? labels[code]! : humanise(String(code));
}
