// The case-file audit (issue 17): an audit of how the front door handled a partner's concern,
// and the actions agreed in it. Each is released whole to those who may read it: an audit's
// grades, evaluation and agreed actions; an action's what, who, by when and whether done.
export const caseAuditFieldNames = ['audit'] as const;
export type CaseAuditField = (typeof caseAuditFieldNames)[number];

/** What policy conditions can test about an audit: who audits it, whose decision it audits. */
export interface CaseAuditAttributes {
  id: string;
  auditorUserId: string;
  auditedUserId: string | null;
}

export const caseAuditActionFieldNames = ['action'] as const;
export type CaseAuditActionField = (typeof caseAuditActionFieldNames)[number];

/** What policy conditions can test about an agreed action: who must do it, who agreed it. */
export interface CaseAuditActionAttributes {
  id: string;
  assigneeUserId: string;
  auditorUserId: string;
}
