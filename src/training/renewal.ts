// When safeguarding training runs out (issue 12, point 7). A designated safeguarding lead's
// training lasts two years; the council may set another period (TRAINING_VALID_MONTHS). Renewal
// is due that many months after the date on the record, whatever its source: a date the
// organisation's sign-in gave, a date the council recorded from a certificate, or, where the
// sign-in only says "trained", the day it first said so (the earliest the portal knows of it).
// From the renewal date the person is read-only again, as a new starter is (the policies'
// inverted rules on `trainingCompleted`), until a newer date is recorded.

/** Two years, unless TRAINING_VALID_MONTHS says otherwise (src/config/config.ts). */
export const DEFAULT_TRAINING_VALID_MONTHS = 24;

export type TrainingSource = 'sign_in_dated' | 'sign_in_undated' | 'council';

/** The day renewal is due: `completedOn` (YYYY-MM-DD) plus `months`, the last day of a shorter month where needed. */
export function renewalDueOn(completedOn: string, months: number): string {
  const [year, month, day] = completedOn.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** Today in England (Europe/London), as YYYY-MM-DD. */
// Made once: building an Intl.DateTimeFormat costs far more than formatting with it, and this runs
// on every signed-in request (the actor's training state): 4 % of a worker's CPU in the benchmark.
const ENGLAND_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

export function todayInEngland(now = new Date()): string {
  return ENGLAND_DATE.format(now);
}

export type TrainingState = 'current' | 'renewal_due' | 'not_recorded';

/** Whether training is current on `today`: recorded, and its renewal not yet due. */
export function trainingState(completedOn: string | null, months: number, today = todayInEngland()): TrainingState {
  if (!completedOn) return 'not_recorded';
  return renewalDueOn(completedOn, months) > today ? 'current' : 'renewal_due';
}
