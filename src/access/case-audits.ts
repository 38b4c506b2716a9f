// The case-file audit through the access module (issue 17): a team manager or quality lead
// (`create CaseAudit`) draws a month's sample of the decided concerns they may audit (`audit
// Concern`) and audits each; the audit is read by its auditor, the front-door worker whose
// decision it audits and information governance (`read CaseAudit`, each look recorded); the
// actions agreed in it by the person who must do them (`read`/`update CaseAuditAction`).
// The SQL of the audit's own tables is in src/case-audits/queries.ts (their one writer); the
// concerns' here (./case-audit-concerns.ts).
import type { Actor } from '../auth/actor.ts';
import { roleNames, roles } from '../auth/roles.ts';
import type { Db, Sql } from '../db/connect.ts';
import { asCaseAudit, asCaseAuditAction, permittedConcernFields, type Action, type PortalAbility } from '../policy/ability.ts';
import type { RecordSubject } from '../policy/subjects.ts';
import { sampleAgencies, type SampleAgency } from '../case-audits/areas.ts';
import {
  auditVersions, auditViews, councilUsers, findAction, findAudit, findSample, insertSample, isSampleMember, listActions, listAudits,
  markActionDone, recordAuditView, sampleMembers, samplesDrawnBy, saveAuditVersion,
  type ActionRow, type AuditAnswers, type AuditRow, type SampleRow,
} from '../case-audits/queries.ts';
import { isUuid } from '../validation/ids.ts';
import { decidedBy, drawConcernSample } from './case-audit-concerns.ts';
import { findConcern } from './concern-records.ts';
import { releaseConcern, type ReleasedConcern } from './released.ts';
import type { Fragment } from './rules-to-sql.ts';

export type { ActionRow, AuditAnswers, AuditRow, SampleRow, VersionRow } from '../case-audits/queries.ts';
export { StaleAudit } from '../case-audits/queries.ts';

const COUNCIL_ROLES = roleNames.filter((role) => roles[role].agency === 'council');

export interface SampleRequest {
  month: string;
  agency: SampleAgency | null;
  outcome: string | null;
  immediateRisk: boolean | null;
  size: number;
  seed: bigint;
}

export interface CheckedAction { description: string; assigneeUserId: string; dueOn: string }

export function caseAuditMethods(sql: Sql, actor: Actor, ability: PortalAbility, filter: (action: Action, subject: RecordSubject) => Fragment, notPermitted: (message: string) => Error, recordLooks = true) {
  /** A concern as this actor may see it for an audit: whole to an auditor (`audit`), else as `read` releases it. */
  async function concernFor(id: string): Promise<ReleasedConcern | undefined> {
    for (const action of ['audit', 'read'] as const) {
      const record = await findConcern(sql, { id }, filter(action, 'Concern'));
      const fields = record ? permittedConcernFields(ability, action, record) : [];
      if (record && fields.length) return releaseConcern(record, fields);
    }
    return undefined;
  }

  /** A sample the actor drew (samples are their drawer's working list). */
  async function ownSample(id: string): Promise<SampleRow | undefined> {
    if (!isUuid(id) || !ability.can('create', 'CaseAudit')) return undefined;
    const sample = await findSample(sql, id);
    return sample && sample.drawnByUserId === actor.userId ? sample : undefined;
  }

  const mayUpdate = (audit: AuditRow) => ability.can('update', asCaseAudit(audit));

  return {
    /** Draws and records a month's sample: the concerns (at most `size`) in md5(seed || id) order. */
    async drawCaseAuditSample(request: SampleRequest): Promise<string> {
      if (!ability.can('create', 'CaseAudit')) throw notPermitted('may not draw a sample');
      const drawn = await drawConcernSample(sql, filter('audit', 'Concern'), {
        month: request.month,
        organisationKinds: request.agency ? sampleAgencies[request.agency].kinds : null,
        outcome: request.outcome,
        immediateRisk: request.immediateRisk,
        seed: request.seed,
        size: request.size,
      });
      return sql.begin((tx) => insertSample(tx, {
        month: request.month, userId: actor.userId, name: actor.name, seed: request.seed, size: request.size,
        filters: { agency: request.agency, outcome: request.outcome, immediateRisk: request.immediateRisk },
        concernIds: drawn.map((d) => d.id),
      }));
    },

    /** The samples the actor drew, newest first (none unless they may audit). */
    async caseAuditSamples(): Promise<SampleRow[]> {
      return ability.can('create', 'CaseAudit') ? samplesDrawnBy(sql, actor.userId) : [];
    },

    /** One of the actor's samples with its concerns, each as the actor may see it, and its audit's state. */
    async caseAuditSample(id: string) {
      const sample = await ownSample(id);
      if (!sample) return undefined;
      const members = await sampleMembers(sql, sample.id);
      const concerns = await Promise.all(members.map((m) => concernFor(m.concernId)));
      return { sample, members: members.map((m, i) => ({ ...m, concern: concerns[i] })) };
    },

    /** A concern of the actor's sample, to audit: the concern, the audit so far and its latest version. */
    async auditableConcern(sampleId: string, concernId: string) {
      const sample = await ownSample(sampleId);
      if (!sample || !isUuid(concernId) || !(await isSampleMember(sql, sample.id, concernId))) return undefined;
      const concern = await concernFor(concernId);
      if (!concern) return undefined;
      const audit = await findAudit(sql, { sampleId: sample.id, concernId }, sql`true`);
      // Another person's audit of this concern in this sample is not this actor's to see or change.
      if (audit && !mayUpdate(audit) && !ability.can('read', asCaseAudit(audit))) return undefined;
      const latest = audit ? (await auditVersions(sql, audit.id))[0] : undefined;
      return { sample, concern, audit, latest, mayEdit: !audit || (mayUpdate(audit) && audit.status === 'in_progress') };
    },

    /**
     * Saves the actor's audit of a concern in their sample as a new version (StaleAudit when the
     * form was out of date); completing it records the agreed actions. One transaction.
     */
    async saveCaseAudit(sampleId: string, concernId: string, input: { expectedVersion: number; answers: AuditAnswers; complete: boolean; actions?: CheckedAction[] }) {
      const found = await this.auditableConcern(sampleId, concernId);
      if (!found || !found.mayEdit) throw notPermitted('may not save this audit');
      const staff = new Map((await councilUsers(sql, COUNCIL_ROLES)).map((u) => [u.id, u.name]));
      const checkedActions = (input.actions ?? []).map((a) => {
        const name = staff.get(a.assigneeUserId);
        if (!name) throw notPermitted('an action may only be given to council staff');
        return { ...a, assigneeName: name };
      });
      const auditedUserId = await decidedBy(sql, concernId);
      return sql.begin((tx: Db) => saveAuditVersion(tx, {
        sampleId, concernId, auditedUserId, expectedVersion: input.expectedVersion, answers: input.answers, complete: input.complete, checkedActions,
      }, { userId: actor.userId, name: actor.name }));
    },

    /** The audits the actor may read, newest first, each with its concern's reference where the actor may see the concern. */
    async visibleCaseAudits() {
      const audits = await listAudits(sql, filter('read', 'CaseAudit'));
      const concerns = await Promise.all(audits.map((a) => concernFor(a.concernId)));
      return audits.map((audit, i) => ({ audit, concern: concerns[i] }));
    },

    /**
     * One audit the actor may read, with the concern as their policy releases it, every version,
     * its actions and who has looked at it. The look is recorded.
     */
    async visibleCaseAudit(id: string) {
      if (!isUuid(id)) return undefined;
      const audit = await findAudit(sql, { id }, filter('read', 'CaseAudit'));
      if (!audit) return undefined;
      const [concern, versions, actions, views] = await Promise.all([
        concernFor(audit.concernId), auditVersions(sql, audit.id), listActions(sql, sql`true`, { auditId: audit.id }), auditViews(sql, audit.id),
      ]);
      // A HEAD request releases nothing, so it is not a look.
      if (recordLooks) await recordAuditView(sql, audit.id, { userId: actor.userId, role: actor.role });
      return { audit, concern, versions, actions, views, mayEdit: mayUpdate(audit) && audit.status === 'in_progress' };
    },

    /** Council staff an agreed action may be given to (names only), for those who audit or read audits. */
    auditAssignees: () => (ability.can('create', 'CaseAudit') || ability.can('read', 'CaseAudit') ? councilUsers(sql, COUNCIL_ROLES) : Promise.resolve([])),

    /** Open actions due before `today` that are the actor's to do or to follow (the home page's panel). */
    async overdueCaseAuditActions(today: string): Promise<ActionRow[]> {
      return listActions(sql, filter('read', 'CaseAuditAction'), { overdueBefore: today, userId: actor.userId }, 20);
    },

    /** The actions that are the actor's to do (open first), under the policy. */
    async myCaseAuditActions(): Promise<ActionRow[]> {
      return listActions(sql, filter('read', 'CaseAuditAction'), { assigneeUserId: actor.userId }, 50);
    },

    /** One agreed action the actor may read, with the audited concern's reference where the actor may see the concern. */
    async visibleCaseAuditAction(id: string): Promise<(ActionRow & { mayComplete: boolean; reference: string | null }) | undefined> {
      if (!isUuid(id)) return undefined;
      const action = await findAction(sql, id, filter('read', 'CaseAuditAction'));
      if (!action) return undefined;
      const concern = await concernFor(action.concernId);
      return { ...action, reference: concern?.reference ?? null, mayComplete: action.status === 'open' && ability.can('update', asCaseAuditAction(action)) };
    },

    /** Marks an action done with a note, if the policy lets the actor (the person responsible). Whether it did. */
    async completeCaseAuditAction(id: string, note: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      return markActionDone(sql, id, note, filter('update', 'CaseAuditAction'));
    },
  };
}
