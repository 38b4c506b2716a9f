// Everything a policy rule can be about. Records (Child, Concern) have fields and conditions
// and are read through src/access/; the others are pages and capabilities that a role either
// has or has not, so that every permission in the portal is a rule in policies/*.yaml.
import { alertFieldNames, childFieldNames, concernFieldNames } from './fields.ts';
import { encompassFieldNames } from './encompass-fields.ts';
import { documentFieldNames } from './document-fields.ts';
import { caseAuditActionFieldNames, caseAuditFieldNames } from './case-audit-fields.ts';

// `audit` (Child): information governance finding a child by name, date of birth or NHS number
// to search the access log, and naming the children in it; never a look at the record itself.
// `acknowledge` (EncompassNotification): a school or the front door confirming it has a police
// notification and saying what it will do. `notify` (Child): finding a child by the lookup's
// exact match to route a police notification to the child's school; releases where the child is
// on roll, nothing else.
// `audit` (Concern): a team manager or quality lead sampling decided concerns and reading one
// to audit how it was handled (issue 17).
// `audit` (EncompassNotification): counting police notifications for the figures (information
// governance: all; a force: its own), never reading one.
export const actions = ['read', 'lookup', 'create', 'update', 'decide', 'audit', 'acknowledge', 'notify'] as const;
export type Action = (typeof actions)[number];

/** Subjects that are records: each has fields a rule may release and conditions a rule may test. */
export const recordSubjects = {
  Child: { fields: childFieldNames, conditions: ['open', 'cpisActive', 'sealed', 'addressWithheld', 'restricted', 'relationships', 'allocatedWorkerId', 'allocatedTeamId'] },
  Concern: { fields: concernFieldNames, conditions: ['organisationId'] },
  // An alert to a social worker about a child allocated to them (a concern, a decision, a lookup).
  Alert: { fields: alertFieldNames, conditions: ['socialWorkerId', 'teamId'] },
  // A police notification to a school or the front door of a child who may be a victim of domestic abuse (Operation Encompass).
  EncompassNotification: { fields: encompassFieldNames, conditions: ['forceId', 'schoolId', 'forFrontDoor'] },
  // A filed document (a concern sent, a decision, a police notification acknowledged) in a child's folder or the unmatched folder.
  Document: { fields: documentFieldNames, conditions: ['organisationId', 'allocatedWorkerId', 'sealed'] },
  // The monthly case-file audit of how the front door handled a partner's concern (issue 17), and
  // the actions agreed in it: `create` draws a sample and audits; `update` saves one's own audit
  // (CaseAudit) or marks one's own action done (CaseAuditAction).
  CaseAudit: { fields: caseAuditFieldNames, conditions: ['auditorUserId', 'auditedUserId'] },
  CaseAuditAction: { fields: caseAuditActionFieldNames, conditions: ['assigneeUserId', 'auditorUserId'] },
} as const;
export type RecordSubject = keyof typeof recordSubjects;

/** Subjects that are pages or capabilities: no fields, no conditions. */
export const capabilitySubjects = {
  FrontDoorQueue: 'The front door’s queue of partners’ concerns',
  Submissions: 'A partner organisation’s own submissions and their receipts',
  AccessLog: 'The access log: who looked at which child’s record',
  ViewAs: 'The “view as” preview of what a role sees',
  TrainingRecord: 'Partners’ safeguarding training, as the council records it',
  SentMessages: 'Development only: the messages the portal would have e-mailed',
  Messages: 'The e-mails the portal sends, by kind, recipient’s domain and status (read), and retrying a failed one (update)',
  ImportRun: 'Imports from the council’s case system and partners’ lists: runs and their reports (read), uploading files (create), resolving held records (update)',
  ImportFreshness: 'How long ago each source was last imported: ages only, no records',
  FormVersions: 'The forms a user fills in and every version of them, with what changed and when',
  Figures: 'The partnership’s figures (/figures): counts of concerns, decisions, looks and audit grades by month; never a record',
} as const;
export type CapabilitySubject = keyof typeof capabilitySubjects;

export type SubjectType = RecordSubject | CapabilitySubject;
export const subjectTypes = [...Object.keys(recordSubjects), ...Object.keys(capabilitySubjects)] as [SubjectType, ...SubjectType[]];
export const isRecordSubject = (value: string): value is RecordSubject => Object.hasOwn(recordSubjects, value);
