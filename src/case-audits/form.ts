// The case-file audit's two forms, read and checked: drawing a sample (month, filters, size,
// seed) and the audit itself (a grade and evaluation per area, agreed actions). Pure: no
// database, no HTTP. A draft keeps whatever was typed (within what the database can store);
// completing needs every area graded and evaluated and every action whole.
import { randomInt } from 'node:crypto';
import { isDecision } from '../concerns/decisions.ts';
import type { AuditAnswers } from '../access/index.ts';
import { checkDate } from '../web/date-input.ts';
import { todayInEngland } from '../validation/dates.ts';
import { characterCount, normaliseText } from '../validation/text.ts';
import { auditAreaNames, isAuditGrade, isSampleAgency, auditAreas, type AuditArea, type SampleAgency } from './areas.ts';

type Body = Record<string, unknown>;
const text = (body: Body, name: string) => normaliseText(body[name]);

/** How many agreed actions one audit may hold (slots on the form). */
export const MAX_ACTIONS = 10;
export const EVALUATION_LIMIT = 5000;
export const ACTION_LIMIT = 2000;
export const SAMPLE_LIMIT = 100;
/** How many months back a sample may be drawn from, this month included. */
export const SAMPLE_MONTHS = 12;

/** The months a sample may be drawn from, newest first, as YYYY-MM-01 with a label. */
export function sampleMonths(now: Date = new Date()): Array<{ value: string; text: string }> {
  const [y, m] = todayInEngland(now).split('-').map(Number) as [number, number];
  return Array.from({ length: SAMPLE_MONTHS }, (_, i) => {
    const date = new Date(Date.UTC(y, m - 1 - i, 1));
    return { value: date.toISOString().slice(0, 10), text: new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date) };
  });
}

export interface SampleInput { month: string; agency: string; outcome: string; immediateRisk: string; size: string; seed: string }
export type SampleField = keyof SampleInput;
export const sampleFieldOrder: SampleField[] = ['month', 'agency', 'outcome', 'immediateRisk', 'size', 'seed'];

export const readSampleForm = (body: Body): SampleInput => ({
  month: text(body, 'month'), agency: text(body, 'agency'), outcome: text(body, 'outcome'),
  immediateRisk: text(body, 'immediateRisk') || 'any', size: text(body, 'size').trim(), seed: text(body, 'seed').trim(),
});

/** The largest seed: PostgreSQL's bigint. */
const MAX_SEED = 9_223_372_036_854_775_807n;

export function checkSampleForm(input: SampleInput, now: Date = new Date()): {
  errors: Partial<Record<SampleField, string>>;
  request?: { month: string; agency: SampleAgency | null; outcome: string | null; immediateRisk: boolean | null; size: number; seed: bigint };
} {
  const errors: Partial<Record<SampleField, string>> = {};
  if (!sampleMonths(now).some((m) => m.value === input.month)) errors.month = 'Select the month whose decisions to sample';
  if (input.agency && !isSampleAgency(input.agency)) errors.agency = 'Select an agency, or any agency';
  if (input.outcome && !isDecision(input.outcome)) errors.outcome = 'Select an outcome, or any outcome';
  if (!['any', 'yes', 'no'].includes(input.immediateRisk)) errors.immediateRisk = 'Select whether the concerns said a child was at immediate risk';
  const size = Number(input.size);
  if (!input.size) errors.size = 'Enter how many concerns to sample';
  else if (!/^[0-9]+$/.test(input.size) || size < 1 || size > SAMPLE_LIMIT) errors.size = `How many concerns must be a whole number from 1 to ${SAMPLE_LIMIT}`;
  let seed: bigint | undefined;
  if (!input.seed) seed = BigInt(randomInt(1, 2 ** 47));
  else if (!/^[0-9]{1,19}$/.test(input.seed) || BigInt(input.seed) > MAX_SEED) errors.seed = 'The seed must be a whole number of up to 19 digits, or left blank';
  else seed = BigInt(input.seed);
  if (Object.keys(errors).length || seed === undefined) return { errors };
  return {
    errors,
    request: {
      month: input.month,
      agency: input.agency ? (input.agency as SampleAgency) : null,
      outcome: input.outcome || null,
      immediateRisk: input.immediateRisk === 'any' ? null : input.immediateRisk === 'yes',
      size,
      seed,
    },
  };
}

/** An empty action row, for the form's next slot. */
export const emptyAction = () => ({ description: '', assigneeUserId: '', day: '', month: '', year: '' });

/** The audit form as typed: every area's grade and evaluation, and the action rows that have anything in them. */
export function readAuditForm(body: Body): AuditAnswers {
  const grades: AuditAnswers['grades'] = {};
  const evaluations: AuditAnswers['evaluations'] = {};
  for (const area of auditAreaNames) {
    const grade = text(body, `grade-${area}`);
    grades[area] = isAuditGrade(grade) ? grade : '';
    evaluations[area] = text(body, `evaluation-${area}`).trim();
  }
  const actions: AuditAnswers['actions'] = [];
  for (let i = 1; i <= MAX_ACTIONS; i++) {
    const row = {
      description: text(body, `action-${i}-what`).trim(), assigneeUserId: text(body, `action-${i}-who`).trim(),
      day: text(body, `action-${i}-due-day`).trim(), month: text(body, `action-${i}-due-month`).trim(), year: text(body, `action-${i}-due-year`).trim(),
    };
    if (Object.values(row).some(Boolean)) actions.push(row);
  }
  return { grades, evaluations, actions };
}

/** A field of the audit form: grade-<area>, evaluation-<area>, action-<n>-what|who|due. */
export type AuditErrors = Record<string, string>;

/** The audit form's fields, top to bottom (the error summary's order). */
export function auditFieldOrder(actionCount: number): string[] {
  return [
    ...auditAreaNames.flatMap((area) => [`grade-${area}`, `evaluation-${area}`]),
    ...Array.from({ length: actionCount }, (_, i) => [`action-${i + 1}-what`, `action-${i + 1}-who`, `action-${i + 1}-due`]).flat(),
  ];
}

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);

/**
 * Checks the answers. A draft (`complete` false) is refused only what could not be stored; to
 * complete, every area needs a grade and an evaluation and every action what, who and a due date
 * from today on. `staff` are the people an action may be given to.
 */
export function checkAuditForm(answers: AuditAnswers, complete: boolean, staff: ReadonlySet<string>, now: Date = new Date()): {
  errors: AuditErrors;
  actions: Array<{ description: string; assigneeUserId: string; dueOn: string }>;
} {
  const errors: AuditErrors = {};
  for (const area of auditAreaNames) {
    const label = lowerFirst(auditAreas[area as AuditArea]);
    if (complete && !answers.grades[area]) errors[`grade-${area}`] = `Select a grade for ${label}`;
    const evaluation = answers.evaluations[area] ?? '';
    if (characterCount(evaluation) > EVALUATION_LIMIT) errors[`evaluation-${area}`] = `The evaluation of ${label} must be ${EVALUATION_LIMIT} characters or fewer`;
    else if (complete && !evaluation) errors[`evaluation-${area}`] = `Enter your evaluation of ${label}`;
  }
  if (answers.actions.length > MAX_ACTIONS) errors['action-1-what'] = `An audit can agree up to ${MAX_ACTIONS} actions`;
  const today = todayInEngland(now);
  const actions: Array<{ description: string; assigneeUserId: string; dueOn: string }> = [];
  answers.actions.forEach((action, index) => {
    const n = index + 1;
    if (characterCount(action.description) > ACTION_LIMIT) errors[`action-${n}-what`] = `Action ${n} must be ${ACTION_LIMIT} characters or fewer`;
    else if (complete && !action.description) errors[`action-${n}-what`] = `Enter what action ${n} is`;
    if (action.assigneeUserId && !staff.has(action.assigneeUserId)) errors[`action-${n}-who`] = `Select who will do action ${n} from the list`;
    else if (complete && !action.assigneeUserId) errors[`action-${n}-who`] = `Select who will do action ${n}`;
    // Any year up to 9999 parses; the range check is ours (a due date is today or later).
    const due = checkDate(action.day, action.month, action.year, `the date action ${n} is due`, complete, { earliest: '0001-01-01', latest: 'today' }, new Date('9999-12-31T00:00:00Z'));
    if (due.error && complete) errors[`action-${n}-due`] = due.error;
    else if (complete && due.date && due.date < today) errors[`action-${n}-due`] = `The date action ${n} is due must be today or in the future`;
    if (due.date) actions.push({ description: action.description, assigneeUserId: action.assigneeUserId, dueOn: due.date });
  });
  return { errors, actions };
}
