// The shape of a policy file (policies/*.yaml). Each entry under a role is a CASL raw rule
// (action, subject, fields, conditions, inverted, reason), limited to the subjects, fields and
// conditions the portal can also express in SQL (src/access/rules-to-sql.ts).
// policies/policy.schema.json is generated from this for editors (test/policies.test.ts keeps
// the two in step).
import { z } from 'zod';
import { agencies, roleNames } from '../auth/roles.ts';
import { alertFieldNames, childFieldNames, concernFieldNames } from './fields.ts';
import { encompassFieldNames } from './encompass-fields.ts';
import { documentFieldNames } from './document-fields.ts';
import { caseAuditActionFieldNames, caseAuditFieldNames } from './case-audit-fields.ts';
import { actions, isRecordSubject, recordSubjects, subjectTypes } from './subjects.ts';

/** A value, or a reference to the signed-in user's attributes, filled in per request. */
const userReference = z.enum(['${user.organisationId}', '${user.socialWorkerId}', '${user.teamId}', '${user.userId}']);

const relationshipMatch = z.strictObject({
  $elemMatch: z.strictObject({
    organisationId: userReference,
    kind: z.enum(['enrolled', 'registered', 'caseload']),
  }),
});

export const conditionsSchema = z
  .strictObject({
    open: z.boolean().describe('(Child) the child has an open involvement (child in need, child protection, looked after)'),
    cpisActive: z.boolean().describe('(Child) a child protection plan or looked-after status is active (what CP-IS shares)'),
    sealed: z.boolean().describe('(Child) the record is sealed (e.g. adoption)'),
    addressWithheld: z.boolean().describe("(Child) the child's address is withheld"),
    restricted: z.boolean().describe('(Child) the council restricts the record (a staff member’s child, a high-profile case)'),
    relationships: relationshipMatch.describe('(Child) a current relationship with the user’s organisation'),
    allocatedWorkerId: userReference.describe('(Child) allocated to the user (a social worker)'),
    allocatedTeamId: userReference.describe('(Child) allocated to the user’s team'),
    organisationId: userReference.describe('(Concern) submitted by the user’s organisation'),
    socialWorkerId: userReference.describe('(Alert) to the user (a social worker)'),
    teamId: userReference.describe('(Alert) to someone in the user’s team'),
    forceId: userReference.describe('(EncompassNotification) sent by the user’s force'),
    schoolId: userReference.describe('(EncompassNotification) sent to the user’s school'),
    forFrontDoor: z.boolean().describe('(EncompassNotification) sent to the council’s front door rather than a school'),
    auditorUserId: userReference.describe('(CaseAudit, CaseAuditAction) audited, or agreed, by the user'),
    auditedUserId: userReference.describe('(CaseAudit) audits a decision the user made'),
    assigneeUserId: userReference.describe('(CaseAuditAction) for the user to do'),
  })
  .partial();

export const ruleSchema = z.strictObject({
  action: z.enum(actions),
  // Child and Concern are records (fields, conditions); the rest are pages and capabilities
  // (src/policy/subjects.ts says what each is).
  subject: z.enum(subjectTypes),
  fields: z.array(z.enum([...childFieldNames, ...concernFieldNames, ...alertFieldNames, ...encompassFieldNames, ...documentFieldNames, ...caseAuditFieldNames, ...caseAuditActionFieldNames])).min(1).optional(),
  conditions: conditionsSchema.optional(),
  inverted: z.boolean().optional(),
  reason: z.string().min(1, 'say in plain words why (view-as shows it)'),
  // Conditions on the user rather than the record: a rule applies only to users who meet them.
  user: z.strictObject({ trainingCompleted: z.boolean() }).partial().optional(),
})
  .superRefine((rule, context) => {
    if (!isRecordSubject(rule.subject)) {
      if (rule.fields) context.addIssue({ code: 'custom', path: ['fields'], message: `${rule.subject} has no fields: fields apply to Child and Concern rules only` });
      if (rule.conditions) context.addIssue({ code: 'custom', path: ['conditions'], message: `${rule.subject} rules take no conditions` });
      return;
    }
    const known = recordSubjects[rule.subject];
    for (const [index, field] of (rule.fields ?? []).entries()) {
      if (!(known.fields as readonly string[]).includes(field)) context.addIssue({ code: 'custom', path: ['fields', index], message: `${field} is not a field of ${rule.subject}` });
    }
    for (const key of Object.keys(rule.conditions ?? {})) {
      if (!(known.conditions as readonly string[]).includes(key)) context.addIssue({ code: 'custom', path: ['conditions', key], message: `${key} is not a condition on ${rule.subject}` });
    }
  });

export const policyFileSchema = z.strictObject({
  agency: z.enum(agencies),
  roles: z.partialRecord(z.enum(roleNames), z.array(ruleSchema)),
});

export type PolicyRule = z.infer<typeof ruleSchema>;
export type PolicyFile = z.infer<typeof policyFileSchema>;
