// The shape of a policy file (policies/*.yaml). Each entry under a role is a CASL raw rule
// (action, subject, fields, conditions, inverted, reason), limited to the conditions the
// portal can also express in SQL. policies/policy.schema.json is generated from this for
// editors (test/policies.test.ts keeps the two in step).
import { z } from 'zod';
import { agencies, roleNames } from '../auth/roles.ts';
import { childFieldNames } from './fields.ts';

/** A value, or a reference to the signed-in user's attributes, filled in per request. */
const userReference = z.enum(['${user.organisationId}', '${user.socialWorkerId}', '${user.teamId}']);

const relationshipMatch = z.strictObject({
  $elemMatch: z.strictObject({
    organisationId: userReference,
    kind: z.enum(['enrolled', 'registered', 'caseload']),
  }),
});

export const conditionsSchema = z
  .strictObject({
    open: z.boolean().describe('the child has an open involvement (child in need, child protection, looked after)'),
    sealed: z.boolean().describe('the record is sealed (e.g. adoption)'),
    addressWithheld: z.boolean().describe("the child's address is withheld"),
    relationships: relationshipMatch.describe('a current relationship with the user’s organisation'),
    allocatedWorkerId: userReference.describe('allocated to the user (a social worker)'),
    allocatedTeamId: userReference.describe('allocated to the user’s team'),
    organisationId: userReference.describe('(Concern) submitted by the user’s organisation'),
  })
  .partial();

export const ruleSchema = z.strictObject({
  action: z.enum(['read', 'lookup', 'create', 'decide']),
  // Child: a child's record. Concern: a partner's concern. AccessLog and ViewAs: the
  // information governance pages. TrainingRecord: a partner's safeguarding training, as the
  // council records it (create).
  subject: z.enum(['Child', 'Concern', 'AccessLog', 'ViewAs', 'TrainingRecord']),
  fields: z.array(z.enum(childFieldNames)).min(1).optional(),
  conditions: conditionsSchema.optional(),
  inverted: z.boolean().optional(),
  reason: z.string().min(1, 'say in plain words why (view-as shows it)'),
  // Conditions on the user rather than the record: a rule applies only to users who meet them.
  user: z.strictObject({ trainingCompleted: z.boolean() }).partial().optional(),
})
  .refine((rule) => rule.subject === 'Child' || !rule.fields, { message: 'fields apply to Child rules only' })
  .refine((rule) => rule.subject === 'Concern' || rule.conditions?.organisationId === undefined, {
    message: 'organisationId is a condition on concerns only',
  })
  .refine((rule) => rule.subject !== 'Concern' || Object.keys(rule.conditions ?? {}).every((key) => key === 'organisationId'), {
    message: 'a Concern rule may only be conditioned on organisationId',
  })
  .refine((rule) => rule.subject === 'Child' || rule.subject === 'Concern' || !rule.conditions, {
    message: 'AccessLog and ViewAs rules take no conditions',
  });

export const policyFileSchema = z.strictObject({
  agency: z.enum(agencies),
  roles: z.partialRecord(z.enum(roleNames), z.array(ruleSchema)),
});

export type PolicyRule = z.infer<typeof ruleSchema>;
export type PolicyFile = z.infer<typeof policyFileSchema>;
