// Builds a CASL ability for one signed-in user from the policy rules of their role, with
// their attributes filled in. Built per request (it costs microseconds): nothing about one
// user's permissions outlives their request. No rules for a role means no permissions.
// Only src/access/ asks an ability about records; pages ask it about capabilities.
import { createMongoAbility, subject, type ForcedSubject, type MongoAbility } from '@casl/ability';
import { permittedFieldsOf } from '@casl/ability/extra';
import type { Role } from '../auth/roles.ts';
import { childFieldNames, concernFieldNames, type AlertAttributes, type ChildAttributes, type ChildField, type ConcernAttributes, type ConcernField } from './fields.ts';
import { encompassFieldNames, type EncompassAttributes, type EncompassField } from './encompass-fields.ts';
import type { CaseAuditActionAttributes, CaseAuditAttributes } from './case-audit-fields.ts';
import type { Policies, SourcedRule } from './load.ts';
import type { DocumentAttributes } from './document-fields.ts';
import type { Action, CapabilitySubject } from './subjects.ts';

export type { Action } from './subjects.ts';

/** What the policy needs to know about the person asking. */
export interface PolicyUser {
  role: Role;
  organisationId: string;
  /** For council staff: their record in the case system, matched by e-mail address. */
  socialWorkerId: string | null;
  teamId: string | null;
  trainingCompleted: boolean;
  /** The portal user (users.id), for rules about one's own records (an audit one made). */
  userId?: string | null;
}

type ChildSubject = ChildAttributes & ForcedSubject<'Child'>;
type ConcernSubject = ConcernAttributes & ForcedSubject<'Concern'>;
type AlertSubject = AlertAttributes & ForcedSubject<'Alert'>;
type EncompassSubject = EncompassAttributes & ForcedSubject<'EncompassNotification'>;
type DocumentSubject = DocumentAttributes & ForcedSubject<'Document'>;
type CaseAuditSubject = CaseAuditAttributes & ForcedSubject<'CaseAudit'>;
type CaseAuditActionSubject = CaseAuditActionAttributes & ForcedSubject<'CaseAuditAction'>;
export type PortalAbility = MongoAbility<[Action, 'Child' | 'Concern' | 'Alert' | 'EncompassNotification' | 'Document' | 'CaseAudit' | 'CaseAuditAction' | CapabilitySubject | ChildSubject | ConcernSubject | AlertSubject | EncompassSubject | DocumentSubject | CaseAuditSubject | CaseAuditActionSubject]>;

// A reference the user does not have (a school DSL has no team) must match nothing.
const NO_VALUE = '00000000-0000-0000-0000-000000000000';

function fillIn(value: unknown, user: PolicyUser): unknown {
  if (typeof value === 'string') {
    return value.replace(/^\$\{user\.(organisationId|socialWorkerId|teamId|userId)\}$/, (_, key: keyof PolicyUser) => String(user[key] ?? NO_VALUE));
  }
  if (Array.isArray(value)) return value.map((v) => fillIn(v, user));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillIn(v, user)]));
  return value;
}

export function rulesFor(policies: Policies, user: PolicyUser): SourcedRule[] {
  return (policies.get(user.role) ?? [])
    .filter((rule) => rule.user?.trainingCompleted === undefined || rule.user.trainingCompleted === user.trainingCompleted)
    .map((rule) => ({ ...rule, conditions: fillIn(rule.conditions, user) as SourcedRule['conditions'] }));
}

export function buildAbility(policies: Policies, user: PolicyUser): PortalAbility {
  // CASL keeps each raw rule as `origin`, so `source` and `reason` travel with it.
  return createMongoAbility(rulesFor(policies, user) as never) as PortalAbility;
}

export const asChild = (attributes: ChildAttributes) => subject('Child', { ...attributes });
export const asAlert = (attributes: AlertAttributes) => subject('Alert', { id: attributes.id, socialWorkerId: attributes.socialWorkerId, teamId: attributes.teamId });
export const asConcern = (attributes: ConcernAttributes) => subject('Concern', { id: attributes.id, organisationId: attributes.organisationId });
export const asDocument = (a: DocumentAttributes) => subject('Document', { id: a.id, organisationId: a.organisationId, allocatedWorkerId: a.allocatedWorkerId, sealed: a.sealed });
export const asCaseAudit = (a: CaseAuditAttributes) => subject('CaseAudit', { id: a.id, auditorUserId: a.auditorUserId, auditedUserId: a.auditedUserId });
export const asCaseAuditAction = (a: CaseAuditActionAttributes) => subject('CaseAuditAction', { id: a.id, assigneeUserId: a.assigneeUserId, auditorUserId: a.auditorUserId });
export const asEncompass = (a: EncompassAttributes) => subject('EncompassNotification', { id: a.id, forceId: a.forceId, schoolId: a.schoolId, forFrontDoor: a.forFrontDoor });

/** The parts of this police notification this ability releases (none if it may not see it). */
export function permittedEncompassFields(ability: PortalAbility, action: Action, attributes: EncompassAttributes): EncompassField[] {
  const notification = asEncompass(attributes);
  if (!ability.can(action, notification)) return [];
  return permittedFieldsOf(ability, action, notification, { fieldsFrom: (rule) => rule.fields ?? encompassFieldNames }) as EncompassField[];
}

/** The fields this ability releases for this child (none if it may not see the child). */
export function permittedChildFields(ability: PortalAbility, action: Action, attributes: ChildAttributes): ChildField[] {
  const child = asChild(attributes);
  if (!ability.can(action, child)) return [];
  return permittedFieldsOf(ability, action, child, { fieldsFrom: (rule) => rule.fields ?? childFieldNames }) as ChildField[];
}

/** The parts of this concern this ability releases (none if it may not see the concern). */
export function permittedConcernFields(ability: PortalAbility, action: Action, attributes: ConcernAttributes): ConcernField[] {
  const concern = asConcern(attributes);
  if (!ability.can(action, concern)) return [];
  return permittedFieldsOf(ability, action, concern, { fieldsFrom: (rule) => rule.fields ?? concernFieldNames }) as ConcernField[];
}

/**
 * The rule that forbids this to the user, when the policy forbids it explicitly (for example
 * "new starters are read-only"): a page can then say why, instead of answering "not found".
 * Undefined when the user may, or when no rule speaks of it at all (deny by default).
 */
export function refusalFor(ability: PortalAbility, action: Action, subjectType: CapabilitySubject | 'Child' | 'Concern' | 'Alert' | 'EncompassNotification' | 'Document' | 'CaseAudit' | 'CaseAuditAction'): SourcedRule | undefined {
  if (ability.can(action, subjectType)) return undefined;
  const rule = ability.relevantRuleFor(action, subjectType);
  return rule?.inverted ? (rule.origin as SourcedRule) : undefined;
}
