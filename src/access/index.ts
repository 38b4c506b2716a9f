// The access module: the one way to read or write a protected record (a child's record and
// what hangs off it, a partner's concern). For every subject it turns the policy into an SQL row
// filter (./rules-to-sql.ts), checks each record with the ability, and hands back records
// reduced to the permitted fields (./released.ts). Every look at a child is written to the
// access log here, in the same request. Routes ask for what they need; a child or concern the
// actor may not see comes back exactly as one that does not exist (undefined).
//
// One gateway is made per request, for the actor of that request (src/middleware/actor/).
import type { Actor } from '../auth/actor.ts';
import { roleNames, roles } from '../auth/roles.ts';
import { recordAccess, viewsOfChild, type AccessEntry } from '../audit/access-log.ts';
import type { AccessLogWriter } from '../audit/access-log-batch.ts';
import type { CheckedConcern } from '../concerns/form.ts';
import type { Sql } from '../db/connect.ts';
import { addAlert, markAlertRead, unreadAlerts, type AlertRecord } from './alerts.ts';
import { auditMethods } from './audit.ts';
import { importCandidateMethods } from './import-candidates.ts';
import { encompassMethods } from './encompass.ts';
import { encompassFigureMethods } from './encompass-figures.ts';
import { encompassAcknowledgeMethods, encompassWaitingColumn } from './encompass-acknowledge.ts';
import { documentMethods } from './documents.ts';
import { caseAuditMethods } from './case-audits.ts';
import { figureMethods } from './figures.ts';
import { asConcern, permittedChildFields, permittedConcernFields, refusalFor, type Action, type PortalAbility } from '../policy/ability.ts';
import { permittedFieldsOf } from '@casl/ability/extra';
import { childFieldNames, type ChildField } from '../policy/fields.ts';
import type { Policies } from '../policy/load.ts';
import type { CapabilitySubject, RecordSubject } from '../policy/subjects.ts';
import { lookupMessages } from '../notifications/messages.ts';
import { enqueue } from '../notifications/outbox.ts';
import { allocatedWorker, findChild, findChildren, listChildren, lookUpChild, matchCandidates, matchReasons, searchChildren, type ChildRecord, type ListQuery, type LookupQuery, type SearchQuery } from './child-records.ts';
import { chronologyOf, type ChronologyPage } from './chronology.ts';
import {
  assignConcern, concernCountColumns, concernsAboutChild, findConcern, listConcerns, nextOpenConcern, usersWithRole,
  type ConcernCounts, type ConcernKey, type ConcernListQuery,
} from './concern-records.ts';
import { addFollowUp, decideConcern, loggedAs, raiseConcern, type DecisionInput, type DecisionResult, type Raised } from './concern-writes.ts';
import { previewChild, type PreviewUser } from './preview.ts';
import { releaseChild, releaseConcern, type ReleasedChild, type ReleasedConcern } from './released.ts';
import { rowFilter, type Fragment } from './rules-to-sql.ts';
import { documentCountColumn } from './document-records.ts';
import { isUuid } from '../validation/ids.ts';

export { IdempotencyConflict, whatChanged } from './concern-writes.ts';
export type { ReleasedChild, ReleasedConcern } from './released.ts';
export type { Preview, PreviewUser } from './preview.ts';
export { matchReasons, type ListQuery, type ListSort, type LegalStatusFilter, type LookupQuery, type SearchQuery } from './child-records.ts';
export type { ConcernCounts, ConcernListQuery, ConcernRecord } from './concern-records.ts';
export type { ChronologyEntry } from './chronology.ts';
export type { AlertRecord } from './alerts.ts';
export type { AuditChildQuery, AuditedChild } from './audit.ts';
export type { CandidateChild, HeldIdentifiers } from './import-candidates.ts';
export { FIGURE_MONTHS, type EncompassFigureRow } from './encompass-figures.ts';
export { claimOverdue, type ClaimedNotification } from './encompass-escalation.ts';
export { StaleAudit, type ActionRow, type AuditAnswers, type AuditRow, type CheckedAction, type SampleRequest, type SampleRow, type VersionRow } from './case-audits.ts';
export type { FigurePeriod, MonthCount, TimelinessRow, TimeToDecisionRow, SchoolRoll, RepeatRow } from './figures.ts';
export type { ReleasedEncompass, ReleasedEncompassChild, RoutedChild, Sent, EncompassListQuery, SchoolAction } from './encompass.ts';
// Filed documents (docs/documents.md): the filing worker's queue and sources, and what folders hand out.
export { claimFilings, failExhaustedFilings, filingSource, recordFiled, recordFilingFailure, FOLDER_LIMIT } from './document-records.ts';
export type { ClaimedFiling, FiledPart, FilingEvent, FilingSource, FilingSourceKind, Folder } from './document-records.ts';
export type { Download, ReleasedDocument } from './documents.ts';

/** The partners' roles: every role of an agency other than the council. */
const PARTNER_ROLES: readonly string[] = roleNames.filter((role) => roles[role].agency !== 'council');

export interface VisibleChildOptions {
  viewedBy?: { everyone?: boolean; limit?: number; offset?: number };
  /** One page of the chronology (default: the newest page, every agency). */
  chronology?: ChronologyPage;
  /** Also how many of the child's documents the actor may read (0 where the policy lets them read none). */
  documentCount?: boolean;
}

/** The actor may not do this: routes answer exactly as for a record that does not exist. */
export class NotPermitted extends Error {
  override name = 'NotPermitted';
}

export interface AccessOptions {
  policies: Policies;
  publicUrl: string;
  /**
   * False for a request whose answer carries no page (HEAD): nothing is released to anyone, so
   * nothing is logged as a look.
   */
  recordLooks?: boolean;
  /**
   * Writes the looks logged outside a transaction (src/audit/access-log-batch.ts: the app shares
   * one, so that looks arriving together share a commit); each its own INSERT when absent.
   */
  accessLog?: AccessLogWriter;
  /** Only tests set this: a failure injected into a concern's transaction. */
  beforeConcernCommits?: Parameters<typeof raiseConcern>[3]['beforeCommit'];
  /** Only tests set this: a failure injected into a police notification's transaction. */
  beforeEncompassCommits?: Parameters<typeof encompassMethods>[4]['beforeEncompassCommits'];
}

export interface Suggestion {
  child: ReleasedChild;
  reason: string;
}

/** Fields a suggestion shows, and so the fields the access log records for it. */
const SUGGESTION_FIELDS: ChildField[] = ['forename', 'surname', 'dateOfBirth', 'postcode', 'legalStatus'];

export function createAccess(sql: Sql, actor: Actor, ability: PortalAbility, options: AccessOptions) {
  const filter = (action: Action, subject: RecordSubject) => rowFilter(sql, ability, action, subject);
  const writeLook = options.accessLog ? options.accessLog.record : (entry: AccessEntry) => recordAccess(sql, entry);
  const log = async (entry: Omit<AccessEntry, keyof ReturnType<typeof loggedAs>>) => {
    if (options.recordLooks !== false) await writeLook({ ...loggedAs(actor), ...entry });
  };
  // Asked twice in one request (a check page, then a send), answered once.
  const suggestionsByConcern = new Map<string, Promise<Suggestion[]>>();
  const labels = new Map<string, Promise<{ id: string; name: string | null } | undefined>>();

  async function oneChild(id: string, action: Action, extra?: Fragment): Promise<{ fields: ChildField[]; record: ChildRecord & { documentCount?: number } } | undefined> {
    const record = await findChild<{ documentCount: number }>(sql, id, filter(action, 'Child'), extra);
    const fields = record ? permittedChildFields(ability, action, record) : [];
    return record && fields.length > 0 ? { record, fields } : undefined;
  }

  /** A child's name as released to the actor (none where the name is withheld); undefined if nothing is released. */
  function labelOf(record: ChildRecord, fields: ChildField[]): { id: string; name: string | null } | undefined {
    if (!fields.length) return undefined;
    const name = [fields.includes('forename') ? record.forename : null, fields.includes('surname') ? record.surname : null].filter(Boolean).join(' ');
    return { id: record.id, name: name || null };
  }

  async function suggestions(concern: ReleasedConcern): Promise<Suggestion[]> {
    const readable = filter('read', 'Child');
    const candidates = await matchCandidates(sql, {
      raisedAboutId: concern.childId,
      raisedByOrganisationId: concern.organisationId,
      forename: concern.childForename ?? null,
      surname: concern.childSurname ?? null,
      dateOfBirth: concern.childDateOfBirth ?? null,
      nhsNumber: concern.childNhsNumber ?? null,
      upn: concern.childUpn ?? null,
      postcode: concern.childPostcode ?? null,
    }, readable);
    const records = await findChildren(sql, candidates.map((c) => c.childId), readable);
    return records.flatMap((record, index) => asSuggestion(record, candidates[index]!.reason));
  }

  /** A child offered as a match, reduced to the fields a suggestion shows; none unless its name may be read. */
  function asSuggestion(record: ChildRecord, reason: string): Suggestion[] {
    const fields = permittedChildFields(ability, 'read', record);
    // A child is offered only by a name the front door may read.
    if (!fields.includes('forename') || !fields.includes('surname')) return [];
    return [{ child: releaseChild(record, fields.filter((f) => SUGGESTION_FIELDS.includes(f))), reason }];
  }

  return {
    actor,

    // Information governance: children by their identifiers, to audit the access log (./audit.ts).
    ...auditMethods(sql, ability, () => filter('audit', 'Child'), log),
    // Police notifications: figures (./encompass-figures.ts); a recipient opening and acknowledging one (./encompass-acknowledge.ts).
    ...encompassFigureMethods(sql, () => filter('audit', 'EncompassNotification')),
    ...encompassAcknowledgeMethods(sql, actor, () => filter('acknowledge', 'EncompassNotification'), options),
    // The partnership's figures (./figures.ts): counts only, for whoever may `read Figures`.
    ...figureMethods(sql, () => ability.can('read', 'Figures'), NotPermitted),

    // The data officer: the children a held import record may be, by identifiers (./import-candidates.ts).
    ...importCandidateMethods(sql, ability, () => filter('update', 'Child'), log),
    // Police notifications (Operation Encompass): routing, sending, reading (./encompass.ts).
    ...encompassMethods(sql, actor, ability, filter, options),
    // Filed documents: folders, downloads (hash checked) and a folder's export (./documents.ts).
    ...documentMethods(sql, actor, ability, () => filter('read', 'Document'), options),
    // The monthly case-file audit: samples, audits, agreed actions (./case-audits.ts).
    ...caseAuditMethods(sql, actor, ability, filter, (message) => new NotPermitted(message), options.recordLooks !== false),

    /** Whether the policy lets the actor use a page or capability (or do anything to a kind of record). */
    can: (action: Action, subject: CapabilitySubject | RecordSubject): boolean => ability.can(action, subject),

    /** The rule that explicitly forbids this, so a page can say why (undefined: allowed, or simply not found). */
    refusal: (action: Action, subject: CapabilitySubject | RecordSubject) => refusalFor(ability, action, subject),

    /** Whether the policy speaks of this at all, allowing it or refusing it with a reason (for navigation). */
    concerns: (action: Action, subject: CapabilitySubject | RecordSubject): boolean => ability.rulesFor(action, subject).length > 0,

    /**
     * Which of `columns` any rule lets the actor read of some child: the columns a list of
     * children has for this actor (a GP's has no next review date). Nothing is read or released.
     */
    listColumns(columns: readonly ChildField[]): ChildField[] {
      const permitted = permittedFieldsOf(ability, 'read', 'Child', { fieldsFrom: (rule) => rule.fields ?? childFieldNames });
      return columns.filter((column) => permitted.includes(column));
    },

    /**
     * A page of the children the actor may see, each reduced to the permitted fields among `columns`. Logged.
     * Sorted by next review date only where the actor may read it (else by name): an order must not tell what a page may not show.
     */
    async visibleChildren(query: ListQuery, columns: readonly ChildField[]): Promise<{ children: ReleasedChild[]; total: number; more: boolean }> {
      if (query.sort?.by === 'nextReviewDate' && !this.listColumns(['nextReviewDate']).length) query = { ...query, sort: undefined };
      const { rows, total, more } = await listChildren(sql, filter('read', 'Child'), query);
      const released = new Set<ChildField>();
      const children = rows.flatMap((row) => {
        const fields = permittedChildFields(ability, 'read', row).filter((f) => columns.includes(f));
        fields.forEach((f) => released.add(f));
        return fields.length ? [releaseChild(row, fields)] : [];
      });
      await log({ childId: null, action: 'view_list', fieldsReleased: [...released], reason: null });
      return { children, total, more };
    },

    /**
     * One child's summary, with the chronology and "viewed by" when released. Logged. Each is one
     * page, newest first: the chronology as `chronology` asks; "viewed by" by partners only
     * (every role outside the council) unless `viewedBy.everyone`, `viewedBy.limit` rows from row
     * `viewedBy.offset`.
     */
    async visibleChild(id: string, options: VisibleChildOptions = {}): Promise<(ReleasedChild & { documentCount?: number }) | undefined> {
      // The folder's count, where asked for and the policy lets the actor read documents, comes
      // in the child's own query; it is never read for a child the actor may not see.
      const countDocuments = options.documentCount && ability.can('read', 'Document');
      const found = await oneChild(id, 'read', countDocuments ? documentCountColumn(sql, id, filter('read', 'Document')) : undefined);
      if (!found) return undefined;
      const { record, fields } = found;
      // Once the fields are known, the rest goes out together: the look is logged (and must be,
      // before anything is shown) while the chronology and "viewed by" are read.
      const [chronology, viewedBy] = await Promise.all([
        fields.includes('chronology') ? chronologyOf(sql, id, options.chronology) : undefined,
        fields.includes('viewedBy')
          ? viewsOfChild(sql, id, {
            roles: options.viewedBy?.everyone ? undefined : PARTNER_ROLES,
            limit: options.viewedBy?.limit,
            offset: options.viewedBy?.offset,
          })
          : undefined,
        log({ childId: id, action: 'view_summary', fieldsReleased: fields, reason: null }),
      ]);
      const released: ReleasedChild & { documentCount?: number } = releaseChild(record, fields, { chronology, viewedBy });
      if (options.documentCount) released.documentCount = countDocuments ? record.documentCount ?? 0 : 0;
      return released;
    },

    /**
     * How to name a child the actor may see (its name, where released), for a heading such as
     * "Raise a concern about …". Not a look at the record: nothing else is released.
     */
    childLabel(id: string): Promise<{ id: string; name: string | null } | undefined> {
      if (!labels.has(id)) labels.set(id, oneChild(id, 'read').then((found) => found && labelOf(found.record, found.fields)));
      return labels.get(id)!;
    },

    /**
     * childLabel for several children at once, in one query (a page of concerns, each naming the
     * child it is matched to): the children the actor may see, by id. Not a look at the records.
     */
    async childLabels(ids: readonly string[]): Promise<Map<string, { id: string; name: string | null }>> {
      const all = [...new Set(ids)].filter(isUuid);
      const wanted = all.filter((id) => !labels.has(id));
      if (wanted.length) {
        const records = findChildren(sql, wanted, filter('read', 'Child'));
        for (const id of wanted) {
          labels.set(id, records.then((found) => {
            const record = found.find((r) => r.id === id);
            return record && labelOf(record, permittedChildFields(ability, 'read', record));
          }));
        }
      }
      const found = await Promise.all(all.map((id) => labels.get(id)!));
      return new Map(found.flatMap((label) => (label ? [[label.id, label] as const] : [])));
    },

    /**
     * An exact-match lookup with a stated reason: one child, or none (no match, several, or not
     * permitted all look the same apart from "several"). Logged, and the child's allocated social
     * worker alerted, in one transaction.
     */
    async lookUpChild(query: LookupQuery, reason: string, incidentReference: string | null = null): Promise<{ child: ReleasedChild | undefined; several: boolean }> {
      const matches = await lookUpChild(sql, filter('lookup', 'Child'), query);
      const record = matches.length === 1 ? matches[0]! : undefined;
      const fields = record ? permittedChildFields(ability, 'lookup', record) : [];
      const found = record && fields.length > 0 ? record : undefined;
      await sql.begin(async (tx) => {
        await recordAccess(tx, { ...loggedAs(actor), childId: found?.id ?? null, action: 'lookup', fieldsReleased: found ? fields : [], reason, incidentReference });
        if (found?.allocatedWorkerId) {
          await addAlert(tx, { socialWorkerId: found.allocatedWorkerId, childId: found.id, kind: 'lookup', message: `${actor.organisationName || 'A partner'} looked up this child: ${reason}.` });
          const worker = await allocatedWorker(tx, found.id);
          if (worker?.email) {
            await enqueue(tx, {
              kind: 'lookup_for_allocated_worker', recipient: worker.email, ...lookupMessages.forAllocatedWorker({ publicUrl: options.publicUrl }),
              dedupeKey: `lookup-allocated-worker:${actor.requestId}:${found.id}`,
            });
          }
        }
      });
      return { child: found ? releaseChild(found, fields) : undefined, several: matches.length > 1 };
    },

    /** The unread alerts the policy lets the actor read (a social worker's own; a team manager's team's). */
    async visibleAlerts(limit = 20): Promise<AlertRecord[]> {
      return unreadAlerts(sql, filter('read', 'Alert'), limit);
    },

    /** Marks an alert read, if the policy lets the actor (`update Alert`); whether it did. */
    async markAlertRead(id: string): Promise<boolean> {
      return /^\d{1,18}$/.test(id) ? markAlertRead(sql, id, filter('update', 'Alert')) : false;
    },

    /** Records a lookup refused before anything was looked up (too many in an hour): no child, no fields. */
    async refuseLookup(reason: string): Promise<void> {
      await recordAccess(sql, { ...loggedAs(actor), childId: null, action: 'lookup', fieldsReleased: [], reason });
    },

    /**
     * Children a concern may be about, each with why, reduced to the fields a suggestion shows.
     * `show`: they are being shown, so the look is logged; `check`: only checking a choice.
     */
    async suggestedChildren(concern: ReleasedConcern, purpose: 'show' | 'check'): Promise<Suggestion[]> {
      if (!suggestionsByConcern.has(concern.id)) suggestionsByConcern.set(concern.id, suggestions(concern));
      const found = await suggestionsByConcern.get(concern.id)!;
      if (purpose === 'show' && found.length) {
        await log({ childId: null, action: 'view_list', fieldsReleased: SUGGESTION_FIELDS, reason: `Children suggested for concern ${concern.reference}` });
      }
      return found;
    },

    /**
     * The front door's search by hand for the child a concern is about, among the children the
     * actor may read, reduced to the fields a suggestion shows. Only for someone who may decide
     * on the concern (NotPermitted otherwise). Logged as a look at a list, naming the concern.
     */
    async searchChildren(concern: ReleasedConcern, query: SearchQuery): Promise<Suggestion[]> {
      if (!ability.can('decide', asConcern(concern))) throw new NotPermitted('may not search for the child of this concern');
      const readable = filter('read', 'Child');
      const found = (await searchChildren(sql, readable, query)).flatMap((record) => asSuggestion(record, matchReasons.searched));
      if (found.length) {
        await log({ childId: null, action: 'view_list', fieldsReleased: SUGGESTION_FIELDS, reason: `Children found by a search for concern ${concern.reference}` });
      }
      return found;
    },

    /**
     * A child the concern may be matched to: one of its suggestions, or (for someone who may decide
     * on it) any child the actor may read by name, such as one found by a search. Checked here,
     * never taken from the form. `show`: it is being shown again, so the look is logged.
     */
    async matchableChild(concern: ReleasedConcern, childId: string, purpose: 'show' | 'check'): Promise<Suggestion | undefined> {
      const suggested = (await this.suggestedChildren(concern, 'check')).find((s) => s.child.id === childId);
      if (suggested) return suggested;
      if (!isUuid(childId) || !ability.can('decide', asConcern(concern))) return undefined;
      const record = await findChild(sql, childId, filter('read', 'Child'));
      const [chosen] = record ? asSuggestion(record, matchReasons.searched) : [];
      if (chosen && purpose === 'show') {
        await log({ childId: null, action: 'view_list', fieldsReleased: SUGGESTION_FIELDS, reason: `Child chosen by a search for concern ${concern.reference}` });
      }
      return chosen;
    },

    /** A page of the concerns the actor may read, each reduced to its permitted parts. */
    async visibleConcerns(query: ConcernListQuery): Promise<{ concerns: ReleasedConcern[]; total: number }> {
      const { rows, total } = await listConcerns(sql, filter('read', 'Concern'), query);
      const concerns = rows.flatMap((row) => {
        const fields = permittedConcernFields(ability, 'read', row);
        return fields.length ? [releaseConcern(row, fields)] : [];
      });
      return { concerns, total };
    },

    /**
     * Counts of the concerns the actor may read: waiting, overdue and at immediate risk, and
     * decided since `decidedSince`. Counts only: nothing of a concern is released.
     */
    async concernCounts({ decidedSince, now = new Date() }: { decidedSince: Date; now?: Date }): Promise<ConcernCounts> {
      return this.counts({ concerns: ['waiting', 'overdue', 'immediateRisk', 'decidedSince'], decidedSince, now });
    },

    /**
     * The counts a page shows, in one statement (the navigation's are asked on every page): of
     * the concerns the actor may read, those named in `concerns`, and where `encompassWaiting`,
     * the police notifications waiting for the actor to acknowledge. Counts only.
     */
    async counts<K extends keyof ConcernCounts = never>(
      { concerns = [], encompassWaiting = false, decidedSince = new Date(), now = new Date() }:
        { concerns?: readonly K[]; encompassWaiting?: boolean; decidedSince?: Date; now?: Date },
    ): Promise<Pick<ConcernCounts, K> & { encompassWaiting?: number }> {
      const concernColumns = concerns.length ? concernCountColumns(sql, filter('read', 'Concern'), { decidedSince, now }) : undefined;
      const columns = [
        ...concerns.map((key) => concernColumns![key]),
        ...(encompassWaiting ? [encompassWaitingColumn(sql, filter('acknowledge', 'EncompassNotification'))] : []),
      ];
      if (!columns.length) return {} as Pick<ConcernCounts, K>;
      const [row] = await sql<Array<Pick<ConcernCounts, K> & { encompassWaiting?: number }>>`select ${columns.reduce((list, column) => sql`${list}, ${column}`)}`;
      return row!;
    },

    /** One concern the actor may read, by id or reference. */
    async visibleConcern(key: ConcernKey): Promise<ReleasedConcern | undefined> {
      const record = await findConcern(sql, key, filter('read', 'Concern'));
      const fields = record ? permittedConcernFields(ability, 'read', record) : [];
      return record && fields.length ? releaseConcern(record, fields) : undefined;
    },

    /** Raises a concern (about a child the actor may see, or unknown): one idempotent transaction. */
    async raiseConcern(concern: CheckedConcern, decisionDueAt: Date): Promise<Raised> {
      if (!ability.can('create', 'Concern')) throw new NotPermitted('may not raise a concern');
      if (concern.childId && !(await this.childLabel(concern.childId))) throw new NotPermitted('may not see that child');
      return raiseConcern(sql, concern, actor, { decisionDueAt, publicUrl: options.publicUrl, beforeCommit: options.beforeConcernCommits });
    },

    /**
     * Adds information to a concern the actor may read and could have raised (the partner's own
     * organisation's): one idempotent transaction. Refused with NotPermitted otherwise.
     */
    async addFollowUp(concern: ReleasedConcern, note: { text: string; idempotencyKey: string }): Promise<{ created: boolean }> {
      if (!this.mayAddTo(concern)) throw new NotPermitted('may not add to this concern');
      return addFollowUp(sql, concern, note, actor, { publicUrl: options.publicUrl });
    },

    /** Whether the policy lets the actor add information to this concern (`update Concern`). */
    mayAddTo: (concern: ReleasedConcern): boolean => ability.can('update', asConcern(concern)),

    /** Whether the actor may decide on this concern. */
    mayDecide: (concern: ReleasedConcern): boolean => ability.can('decide', asConcern(concern)),

    /**
     * Decides on a concern the actor may decide on, matched to a child among its suggestions or
     * found by a search (or left as it is): one idempotent transaction. Undefined when there is no such concern.
     */
    async decideConcern(concern: ReleasedConcern, input: Omit<DecisionInput, 'concernId'>): Promise<DecisionResult | undefined> {
      if (!ability.can('decide', asConcern(concern))) throw new NotPermitted('may not decide on this concern');
      if (input.childId && !(await this.matchableChild(concern, input.childId, 'check'))) {
        throw new NotPermitted('that child may not be matched by this actor');
      }
      return decideConcern(sql, { ...input, concernId: concern.id }, actor, { publicUrl: options.publicUrl });
    },

    /**
     * Whether this child, as the actor may read it, is open (has a legal status) and has an
     * allocated social worker: where the front door may pass a concern to that worker. Not a look
     * at the record (nothing is released), so not logged.
     */
    async hasAllocatedWorker(childId: string): Promise<boolean> {
      if (!isUuid(childId)) return false;
      const found = await oneChild(childId, 'read');
      if (!found || !found.fields.includes('workerName') || !found.fields.includes('legalStatus')) return false;
      return Boolean(found.record.workerName) && found.record.openKinds.length > 0;
    },

    /** Earlier concerns about the child this concern is matched to, that the actor may read, newest first. */
    async otherConcernsAbout(concern: ReleasedConcern, limit = 20): Promise<ReleasedConcern[]> {
      if (!concern.childId) return [];
      const rows = await concernsAboutChild(sql, concern.childId, concern.id, filter('read', 'Concern'), limit);
      return rows.flatMap((row) => {
        const fields = permittedConcernFields(ability, 'read', row);
        return fields.length ? [releaseConcern(row, fields)] : [];
      });
    },

    /** The next open concern after this one in the queue's order, among those the actor may read. */
    nextOpenConcern: (concern: ReleasedConcern) => nextOpenConcern(sql, concern.id, filter('read', 'Concern')),

    /**
     * The people a concern may be given to: those who have signed in with a role whose policy lets
     * it decide on concerns. Names only. Empty for an actor who may not decide on concerns.
     */
    async assignableStaff(): Promise<Array<{ id: string; name: string }>> {
      if (!ability.can('decide', 'Concern')) return [];
      const deciders = [...options.policies].filter(([, rules]) => rules.some((r) => r.action === 'decide' && r.subject === 'Concern' && !r.inverted)).map(([role]) => role);
      return deciders.length ? usersWithRole(sql, deciders) : [];
    },

    /**
     * Gives an undecided concern the actor may decide on to one of the assignable staff (the
     * policy's \`decide Concern\`: the front door shares out its own queue), or to nobody (null).
     * Refused with NotPermitted otherwise. Whether anything changed.
     */
    async assignConcern(concern: ReleasedConcern, userId: string | null): Promise<boolean> {
      if (!ability.can('decide', asConcern(concern))) throw new NotPermitted('may not assign this concern');
      if (userId !== null && !(await this.assignableStaff()).some((u) => u.id === userId)) throw new NotPermitted('may not be given this concern');
      return Boolean(await assignConcern(sql, { concernId: concern.id, assignToUserId: userId }));
    },

    /**
     * "View as": what another role would see of a child, and the rule behind each field. The
     * actor must be allowed to preview and must say why; the preview is itself logged as a look
     * at the child, with that reason, so the child's social worker sees it under "Viewed by".
     */
    async previewAs(user: PreviewUser, childId: string, reason: string) {
      if (!ability.can('read', 'ViewAs')) throw new NotPermitted('may not preview');
      const preview = await previewChild(sql, options.policies, user, childId);
      if (preview) await log({ childId, action: 'view_summary', fieldsReleased: preview.child?.fields ?? [], reason });
      return preview;
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
