// Reads and checks a school's (or the front door's) acknowledgement of a police notification
// (POST /encompass/:id/acknowledge): what it will do, and for "other" what that is. Answers are
// normalised as every submitted text is (src/validation/text.ts) and kept for the page to show
// again; messages follow GOV.UK wording. The column's limits (migrations/026_encompass.sql) are
// checked here so the database never refuses what the form let through.
import { normaliseText, textProblem } from '../validation/text.ts';

export const schoolActions = {
  key_adult_informed: 'Key adult informed',
  support_in_place: 'Support in place for the child',
  no_action: 'No action needed',
  other: 'Something else',
} as const;
export type SchoolAction = keyof typeof schoolActions;
const isSchoolAction = (value: string): value is SchoolAction => Object.hasOwn(schoolActions, value);

/** The detail's limit, as the column's check has it. */
export const DETAIL_LIMIT = 2000;

export interface AcknowledgeAnswers {
  action: string;
  detail: string;
}
export type AcknowledgeErrors = Partial<Record<keyof AcknowledgeAnswers, string>>;

export interface CheckedAcknowledgement {
  action: SchoolAction;
  /** Required for 'other'; optional words for the rest (kept only if given). */
  detail: string | null;
}

export function readAcknowledgeAnswers(body: Record<string, unknown>): AcknowledgeAnswers {
  return { action: normaliseText(body.action), detail: normaliseText(body.detail) };
}

export function checkAcknowledgement(answers: AcknowledgeAnswers): { ok: true; acknowledgement: CheckedAcknowledgement } | { ok: false; errors: AcknowledgeErrors } {
  const errors: AcknowledgeErrors = {};
  if (!isSchoolAction(answers.action)) errors.action = 'Select what the school will do';
  const detail = answers.detail.trim();
  const problem = textProblem('What the school will do', answers.detail, DETAIL_LIMIT);
  if (problem) errors.detail = problem;
  else if (answers.action === 'other' && !detail) errors.detail = 'Enter what the school will do';
  if (Object.keys(errors).length || !isSchoolAction(answers.action)) return { ok: false, errors };
  return { ok: true, acknowledgement: { action: answers.action, detail: detail || null } };
}
