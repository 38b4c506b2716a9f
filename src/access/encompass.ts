// The gateway's methods for police notifications (Operation Encompass, issue 14), spread into
// the one createAccess makes per request (./index.ts). Routing a child is the lookup's exact
// match under the policy's `notify Child` (it releases where the child is on roll, nothing
// else) and is logged as a lookup with the reason "Operation Encompass"; notifications are read
// under `read EncompassNotification`, each checked again and reduced to its permitted parts.
import type { Actor } from '../auth/actor.ts';
import { recordAccess } from '../audit/access-log.ts';
import type { Sql } from '../db/connect.ts';
import { lookupQueryOf, type CheckedEncompass } from '../encompass/form.ts';
import { eventsOf, type EncompassEventRow } from '../encompass/events.ts';
import { asEncompass, permittedChildFields, permittedEncompassFields, type Action, type PortalAbility } from '../policy/ability.ts';
import type { EncompassField } from '../policy/encompass-fields.ts';
import type { Policies } from '../policy/load.ts';
import type { RecordSubject } from '../policy/subjects.ts';
import { isUuid } from '../validation/ids.ts';
import { lookUpChild } from './child-records.ts';
import { loggedAs } from './concern-writes.ts';
import {
  childrenOf, findNotification, forceOf, listNotifications, wordsOf,
  type EncompassChildRecord, type EncompassListQuery, type EncompassRecord,
} from './encompass-records.ts';
import { sendEncompass, type RoutedChild, type Sent } from './encompass-writes.ts';
import type { Fragment } from './rules-to-sql.ts';

export type { RoutedChild, Sent } from './encompass-writes.ts';
export type { EncompassListQuery, SchoolAction } from './encompass-records.ts';

/** The reason every routing lookup is logged with. */
export const ENCOMPASS_REASON = 'Operation Encompass';

/** Which columns each part needs; identity (id, reference, force, destination, sent, due) always travels. */
const partColumns = {
  incident: ['incidentReference', 'policeReference', 'occurredAt', 'forceName'],
  children: [],
  childWords: [],
  account: ['account', 'extraAnswers'],
  sharedItems: ['sharedItems'],
  policeContact: ['contactName', 'contactPhone', 'contactEmail', 'sentByName'],
  acknowledgement: ['firstOpenedAt', 'acknowledgedAt', 'acknowledgedByName', 'schoolAction', 'schoolActionDetail', 'escalatedToDslsAt', 'escalatedToFrontDoorAt'],
} as const satisfies Record<EncompassField, ReadonlyArray<keyof EncompassRecord>>;

/** A child as released with the `children` part: as the officer gave them; what they said only with `childWords`. */
export type ReleasedEncompassChild = Omit<EncompassChildRecord, 'id' | 'notificationId' | 'childId'> & {
  /** Only where `childWords` is released; null when the child said nothing recorded. */
  words?: string | null;
};

export type ReleasedEncompass = Pick<EncompassRecord, 'id' | 'reference' | 'forceId' | 'schoolId' | 'forFrontDoor' | 'destinationName' | 'createdAt' | 'dueAt' | 'formVersion'>
  & { fields: EncompassField[]; children?: ReleasedEncompassChild[] }
  & Partial<Omit<EncompassRecord, 'id' | 'reference' | 'forceId' | 'schoolId' | 'forFrontDoor' | 'destinationName' | 'createdAt' | 'dueAt' | 'formVersion'>>;

function release(record: EncompassRecord, fields: EncompassField[], children: EncompassChildRecord[], words: Map<string, string>): ReleasedEncompass {
  const released: ReleasedEncompass = {
    id: record.id, reference: record.reference, forceId: record.forceId, schoolId: record.schoolId, forFrontDoor: record.forFrontDoor,
    destinationName: record.destinationName, createdAt: record.createdAt, dueAt: record.dueAt, fields,
    // Which questions it was asked with travels with it (like a concern's): no answer in it.
    formVersion: record.formVersion,
  };
  for (const field of fields) {
    for (const column of partColumns[field]) (released as Record<string, unknown>)[column] = record[column];
  }
  if (fields.includes('children')) {
    released.children = children.filter((c) => c.notificationId === record.id).map(({ id, notificationId: _n, childId: _c, ...given }) => ({
      ...given,
      ...(fields.includes('childWords') ? { words: words.get(id) ?? null } : {}),
    }));
  }
  return released;
}

interface Options {
  policies: Policies;
  publicUrl: string;
  recordLooks?: boolean;
  /** Only tests set this: a failure injected into the send's transaction. */
  beforeEncompassCommits?: Parameters<typeof sendEncompass>[4]['beforeCommit'];
}

export function encompassMethods(sql: Sql, actor: Actor, ability: PortalAbility, filter: (action: Action, subject: RecordSubject) => Fragment, options: Options) {
  /** Reads records under the filter, reduced to their parts, children (and words) fetched only where released. */
  async function released(rows: EncompassRecord[]): Promise<ReleasedEncompass[]> {
    const permitted = rows.map((row) => ({ row, fields: permittedEncompassFields(ability, 'read', row) })).filter((p) => p.fields.length > 0);
    const withChildren = permitted.filter((p) => p.fields.includes('children')).map((p) => p.row.id);
    const children = await childrenOf(sql, withChildren);
    const wordsFor = new Set(permitted.filter((p) => p.fields.includes('childWords')).map((p) => p.row.id));
    const words = await wordsOf(sql, children.filter((c) => wordsFor.has(c.notificationId)).map((c) => c.id));
    return permitted.map((p) => release(p.row, p.fields, children, words));
  }

  /** The roles the policy lets acknowledge a school's notifications (whose users a school's e-mail goes to). */
  const schoolRoles = () => [...options.policies]
    .filter(([, rules]) => rules.some((r) => r.action === 'acknowledge' && r.subject === 'EncompassNotification' && !r.inverted && r.conditions?.schoolId))
    .map(([role]) => role);

  return {
    /**
     * The actor's force, for the form (its code keys the items shared by local agreement), where
     * the policy speaks of sending notifications at all; undefined otherwise.
     */
    async encompassForce(): Promise<{ id: string; name: string; forceCode: string } | undefined> {
      if (!ability.rulesFor('create', 'EncompassNotification').length) return undefined;
      return forceOf(sql, actor.organisationId);
    },

    /**
     * Where each child goes: the lookup's exact match (NHS number; or UPN and date of birth; or
     * last name, date of birth and postcode) under `notify Child`, then the school the child is on
     * roll at now, or the front door. One access-log entry per child, as a lookup with the reason
     * "Operation Encompass" and the police reference. Nothing else of the record is released.
     */
    async routeEncompassChildren(checked: CheckedEncompass): Promise<RoutedChild[]> {
      if (!ability.can('create', 'EncompassNotification')) return [];
      const notifiable = filter('notify', 'Child');
      const routed: RoutedChild[] = [];
      for (const child of checked.children) {
        const matches = await lookUpChild(sql, notifiable, lookupQueryOf(child));
        const record = matches.length === 1 ? matches[0]! : undefined;
        const fields = record ? permittedChildFields(ability, 'notify', record) : [];
        const found = record && fields.includes('relationships') ? record : undefined;
        const enrolled = found?.relationships.find((r) => r.kind === 'enrolled');
        const schoolName = found?.currentRelationships.find((r) => r.kind === 'enrolled')?.organisationName;
        const school = enrolled && schoolName ? { id: enrolled.organisationId, name: schoolName } : null;
        routed.push({ position: child.position, childId: found?.id ?? null, school, because: school ? 'on_roll' : found ? 'not_on_roll' : 'not_found' });
        if (options.recordLooks !== false) {
          await recordAccess(sql, {
            ...loggedAs(actor), childId: found?.id ?? null, action: 'lookup', fieldsReleased: found ? ['relationships'] : [],
            reason: ENCOMPASS_REASON, incidentReference: checked.policeReference,
          });
        }
      }
      return routed;
    },

    /** Sends the notification (routing each child again, never trusting the form): one idempotent transaction. */
    async sendEncompass(checked: CheckedEncompass): Promise<Sent & { routed: RoutedChild[] }> {
      if (!ability.can('create', 'EncompassNotification')) throw new Error('may not send a police notification');
      const routed = await this.routeEncompassChildren(checked);
      const sent = await sendEncompass(sql, checked, routed, actor, { publicUrl: options.publicUrl, schoolRoles: schoolRoles(), beforeCommit: options.beforeEncompassCommits });
      return { ...sent, routed };
    },

    /** A page of the notifications the actor may read, newest incident first, each reduced to its permitted parts. */
    async visibleEncompassNotifications(query: EncompassListQuery): Promise<{ notifications: ReleasedEncompass[]; total: number }> {
      const { rows, total } = await listNotifications(sql, filter('read', 'EncompassNotification'), query);
      return { notifications: await released(rows), total };
    },

    /**
     * One notification the actor may read, by id; undefined exactly as for one that does not
     * exist. Logged (read_encompass) once for each matched child it names, for their "Viewed by"
     * (once, with no child, when it names none or its children are not released).
     */
    async visibleEncompassNotification(id: string): Promise<ReleasedEncompass | undefined> {
      if (!isUuid(id)) return undefined;
      const row = await findNotification(sql, id, filter('read', 'EncompassNotification'));
      const [one] = row ? await released([row]) : [];
      if (one && options.recordLooks !== false) {
        const matched = one.fields.includes('children') ? (await childrenOf(sql, [one.id])).flatMap((c) => (c.childId ? [c.childId] : [])) : [];
        for (const childId of matched.length ? matched : [null]) {
          await recordAccess(sql, { ...loggedAs(actor), childId, action: 'read_encompass', fieldsReleased: one.fields, reason: one.reference });
        }
      }
      return one;
    },

    /** The steps of a notification the actor may read with its acknowledgement part (proof of receipt). */
    async encompassSteps(notification: ReleasedEncompass): Promise<EncompassEventRow[]> {
      return notification.fields.includes('acknowledgement') ? eventsOf(sql, notification.id) : [];
    },

    /** Whether the policy lets the actor acknowledge this notification. */
    mayAcknowledgeEncompass: (n: ReleasedEncompass): boolean => ability.can('acknowledge', asEncompass(n)),
  };
}
