// Every kind of message the portal sends (outbox.kind), what it is, the templates in
// messages.ts that write it, and the environment variable holding its GOV.UK Notify template id.
// Adding a kind means adding it here: test/mail-kinds.test.ts fails while a kind enqueued in src/
// is missing, and checks every kind's text for child details as each transport sends it. Sent
// through Notify, a kind not listed fails (there is no template to send it with).
import * as messages from './messages.ts';
import type { MessageText } from './messages.ts';
import * as encompassOverdue from '../encompass/escalation-messages.ts';
import * as caseAuditMessages from '../case-audits/messages.ts';

export interface MessageKind {
  /** In the Messages page's words. */
  label: string;
  /** Notify template id variable (docs/notifications.md). */
  notifyTemplateVariable: string;
  /**
   * Example texts of this kind, as messages.ts writes them, for the tests and docs. `offered` is
   * passed to the templates beside their input, as a careless caller might: it must not get in.
   */
  examples: (publicUrl: string, offered?: Record<string, string>) => MessageText[];
}

const reference = 'SPP-2026-000123';
const concern = (publicUrl: string, offered: Record<string, string> = {}) => ({ ...offered, reference, publicUrl });

export const messageKinds = {
  concern_received: {
    label: 'New concern, to the front door',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_CONCERN_RECEIVED',
    examples: (u, o = {}) => [messages.concernReceivedForFrontDoor(concern(u, o)), messages.immediateRiskConcernForFrontDoor(concern(u, o))],
  },
  concern_for_allocated_worker: {
    label: 'New concern, to the allocated social worker',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_CONCERN_FOR_ALLOCATED_WORKER',
    examples: (u, o = {}) => [messages.concernForAllocatedWorker(concern(u, o)), messages.immediateRiskForAllocatedWorker(concern(u, o))],
  },
  concern_follow_up: {
    label: 'Further information, to the front door',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_CONCERN_FOLLOW_UP',
    examples: (u, o = {}) => [messages.furtherInformationForFrontDoor(concern(u, o))],
  },
  decision_for_allocated_worker: {
    label: 'Front door decision, to the allocated social worker',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_DECISION_FOR_ALLOCATED_WORKER',
    examples: (u, o = {}) => [messages.decisionForAllocatedWorker(concern(u, o))],
  },
  concern_decided: {
    label: 'Decision, to the partner who raised the concern',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_CONCERN_DECIDED',
    examples: (u, o = {}) => [messages.concernDecidedForReferrer(concern(u, o))],
  },
  lookup_for_allocated_worker: {
    label: 'Lookup, to the allocated social worker',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_LOOKUP_FOR_ALLOCATED_WORKER',
    examples: (u, o = {}) => [messages.lookupMessages.forAllocatedWorker({ ...o, publicUrl: u })],
  },
  encompass_for_school: {
    label: 'Police notification (Operation Encompass), to a school’s safeguarding leads',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_ENCOMPASS_FOR_SCHOOL',
    examples: (u, o = {}) => [messages.encompassMessages.forSchool({ ...o, publicUrl: u })],
  },
  encompass_for_front_door: {
    label: 'Police notification (Operation Encompass), to the front door',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_ENCOMPASS_FOR_FRONT_DOOR',
    examples: (u, o = {}) => [messages.encompassMessages.forFrontDoor({ ...o, publicUrl: u })],
  },
  encompass_for_allocated_worker: {
    label: 'Police notification (Operation Encompass), to the allocated social worker',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_ENCOMPASS_FOR_ALLOCATED_WORKER',
    examples: (u, o = {}) => [messages.encompassMessages.forAllocatedWorker({ ...o, publicUrl: u })],
  },
  access_log_digest: {
    label: 'Access log digest, to information governance',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_ACCESS_LOG_DIGEST',
    examples: (_u, o = {}) => [messages.governanceMessages.accessLogDigest({ ...o, position: 1234n, hash: 'ab'.repeat(32), at: new Date('2026-11-23T06:00:00Z'), previousPosition: 1000n })],
  },
  encompass_overdue: {
    label: 'Police notification not acknowledged, to other safeguarding leads or the front door',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_ENCOMPASS_OVERDUE',
    examples: (u, o = {}) => [encompassOverdue.overdueForSchool({ ...o, reference: 'OE-2026-000012-1', publicUrl: u }), encompassOverdue.overdueSchoolForFrontDoor({ ...o, reference: 'OE-2026-000012-1', publicUrl: u }), encompassOverdue.overdueForFrontDoor({ ...o, reference: 'OE-2026-000012-2', publicUrl: u })],
  },
  case_audit_action: {
    label: 'Action agreed in a case-file audit, due soon or overdue, to the person responsible (and the auditor when overdue)',
    notifyTemplateVariable: 'NOTIFY_TEMPLATE_CASE_AUDIT_ACTION',
    examples: (u, o = {}) => [caseAuditMessages.actionDueSoon({ ...o, publicUrl: u }), caseAuditMessages.actionOverdue({ ...o, publicUrl: u })],
  },
} as const satisfies Record<string, MessageKind>;

export type MessageKindName = keyof typeof messageKinds;
export const messageKindNames = Object.keys(messageKinds) as MessageKindName[];
export const isMessageKind = (value: string): value is MessageKindName => Object.hasOwn(messageKinds, value);

/** The Notify template variables, one per kind. */
export const notifyTemplateVariables = messageKindNames.map((kind) => messageKinds[kind].notifyTemplateVariable);

/**
 * The personalisation every Notify template receives: the message's subject and body as
 * messages.ts wrote them. A Notify template is therefore "((subject))" / "((body))"; each kind
 * has its own template so that Notify's dashboard counts them apart and a council can give each
 * its own reply-to address. Both texts already carry no child details (outbox.ts checks them).
 */
export const notifyPersonalisationFields = ['subject', 'body'] as const;

/** A Notify API key: "key name-service id-secret", two UUIDs at the end (Notify's "API keys" documentation). */
export const NOTIFY_API_KEY = /^.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
