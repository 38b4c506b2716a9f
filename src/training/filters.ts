// The training list's filters (issue 12, point 7), from the query string: an organisation and
// a status. Both are choices from the page's own lists; anything else is refused with a message
// by the field, and the list is shown unfiltered, never a 5xx.
import { isUuid } from '../validation/ids.ts';
import { normaliseText } from '../validation/text.ts';
import type { TrainingState } from './renewal.ts';

export const trainingStateLabels: Record<TrainingState, string> = {
  current: 'Current',
  renewal_due: 'Renewal due',
  not_recorded: 'Not recorded',
};

export interface TrainingFilterInput {
  organisation: string;
  status: string;
}

export type TrainingFilterErrors = Partial<Record<'organisation' | 'status', string>>;

export interface CheckedTrainingFilters {
  organisationId?: string;
  status?: TrainingState;
  errors: TrainingFilterErrors;
}

export function readTrainingFilters(query: (name: string) => string | undefined): TrainingFilterInput {
  return { organisation: normaliseText(query('organisation')).trim(), status: normaliseText(query('status')).trim() };
}

/** Checks the filters against the organisations the list can offer. */
export function checkTrainingFilters(input: TrainingFilterInput, organisationIds: readonly string[]): CheckedTrainingFilters {
  const errors: TrainingFilterErrors = {};
  const checked: CheckedTrainingFilters = { errors };
  if (input.status) {
    if (Object.hasOwn(trainingStateLabels, input.status)) checked.status = input.status as TrainingState;
    else errors.status = 'Choose a training status from the list';
  }
  if (input.organisation) {
    if (isUuid(input.organisation) && organisationIds.includes(input.organisation.toLowerCase())) checked.organisationId = input.organisation.toLowerCase();
    else errors.organisation = 'Choose an organisation from the list';
  }
  if (Object.keys(errors).length) return { errors };
  return checked;
}
