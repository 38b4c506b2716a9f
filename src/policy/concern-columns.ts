// Which columns of a concern record each part of a concern (a policy field, ./fields.ts)
// releases. Data, not SQL: the access module reduces a record to these columns
// (src/access/released.ts), and the forms loader (src/forms/load.ts) checks that each question
// is stored in a column of the field it names.
import type { ConcernRecord } from '../access/index.ts';
import type { ConcernField } from './fields.ts';

/** Which columns each part of a concern (src/policy/fields.ts) releases. */
export const concernColumns = {
  submission: ['category', 'otherCategories', 'whatHappened', 'happenedOn', 'childWords', 'immediateRisk', 'actionsTaken', 'parentsAware', 'parentsNotAwareReason', 'followUps', 'extraAnswers'],
  childIdentifiers: ['childForename', 'childSurname', 'childDateOfBirth', 'childNhsNumber', 'childUpn', 'childAddress', 'childPostcode'],
  referrer: ['organisationName', 'submittedByName', 'submittedByRole', 'referrerPhone', 'referrerEmail'],
  progress: ['receivedAt', 'decisionDueAt', 'status', 'stage', 'version'],
  outcome: ['decision', 'decidedAt', 'feedback', 'decisionFormVersion'],
  decisionRecord: ['decisionReason', 'decidedByName', 'decidedByUserId', 'assignedToUserId', 'assignedToName', 'assignedAt'],
} as const satisfies Record<ConcernField, ReadonlyArray<keyof ConcernRecord>>;
