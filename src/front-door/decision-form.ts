// Reads and checks the front door's decision on a concern (POST /front-door/:id/decision): the
// child it is about (one of the suggestions or a child found by a search, or none), the decision, the reason and the feedback
// for the person who raised it. Every answer is normalised as every submitted text is
// (src/validation/text.ts) and kept for the page to show again; messages follow GOV.UK wording.
// The questions, their limits and messages are the decision form's (forms/decision/<n>.yaml).
import { isDecision, type Decision } from '../concerns/decisions.ts';
import { checkForm } from '../forms/check.ts';
import { portalForms, type FormDefinition } from '../forms/load.ts';
import { currentVersion } from '../forms/versions.ts';
import { normaliseText } from '../validation/text.ts';

export interface DecisionAnswers {
  match: string;
  decision: string;
  reason: string;
  feedback: string;
}
export type DecisionErrors = Partial<Record<keyof DecisionAnswers, string>>;

export interface CheckedDecision {
  decision: Decision;
  reason: string;
  feedback: string;
  childId: string | null;
  /** The version of the decision form it was made with. */
  formVersion: number;
}

/** The answers as typed and normalised; not cut short (the body limit bounds them). */
export function readDecisionAnswers(body: Record<string, unknown>): DecisionAnswers {
  return { match: normaliseText(body.match), decision: normaliseText(body.decision), reason: normaliseText(body.reason), feedback: normaliseText(body.feedback) };
}

/**
 * `matchable`: the ids of the children this concern may be matched to (its suggestions, and a
 * child found by a search once the access module has confirmed the actor may read it).
 */
export function checkDecision(
  answers: DecisionAnswers, matchable: readonly string[], form: FormDefinition = currentVersion(portalForms(), 'decision'),
): { ok: true; decision: CheckedDecision } | { ok: false; errors: DecisionErrors } {
  const errors: DecisionErrors = checkForm(form, { ...answers }, { matches: [...matchable, 'unmatched'] }).errors;
  // A child not among those offered (a stale page, or a tampered value) is said so, not "select one".
  if (answers.match && errors.match) errors.match = 'Select one of the children listed, or ‘None of these’';
  if (!isDecision(answers.decision) && !errors.decision) errors.decision = 'Select the decision';
  if (Object.keys(errors).length || !isDecision(answers.decision)) return { ok: false, errors };
  return {
    ok: true,
    decision: {
      decision: answers.decision,
      reason: answers.reason.trim(),
      feedback: answers.feedback.trim(),
      childId: answers.match === 'unmatched' ? null : answers.match,
      formVersion: form.version,
    },
  };
}

/** The concern's version as the worker's page showed it (a hidden field); null when not sent or not a version. */
export function readSeenVersion(body: Record<string, unknown>): number | null {
  const value = typeof body.seenVersion === 'string' ? body.seenVersion.trim() : '';
  return /^\d{1,9}$/.test(value) ? Number(value) : null;
}
