// Information governance's way to the children an access log names (policy: `audit Child`).
// Finding a child by name, date of birth or NHS number to search the log, and naming the
// children in its entries, release identifiers only (the fields the `audit` rule lists, at
// most AUDIT_FIELDS): never the record. Part of the gateway (./index.ts), which spreads these
// methods into the one it makes per request.
import type { Sql } from '../db/connect.ts';
import { permittedChildFields, type PortalAbility } from '../policy/ability.ts';
import type { ChildField } from '../policy/fields.ts';
import { findChildren, lookUpChild, searchChildren, type ChildRecord } from './child-records.ts';
import type { Fragment } from './rules-to-sql.ts';

/** The most an `audit` rule can release: who the child is, nothing of their record. */
export const AUDIT_FIELDS: readonly ChildField[] = ['forename', 'surname', 'dateOfBirth', 'nhsNumber'];

/** A child as information governance may see them: each identifier, or null where not released. */
export interface AuditedChild {
  id: string;
  forename: string | null;
  surname: string | null;
  dateOfBirth: string | null;
  nhsNumber: string | null;
}

/** What was typed to find a child: any of a name, a date of birth (YYYY-MM-DD), a valid NHS number. */
export interface AuditChildQuery {
  name: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
}

type Log = (entry: { childId: null; action: 'view_list'; fieldsReleased: ChildField[]; reason: string }) => Promise<void>;

/** The largest number of children one search lists to choose from. */
const SEARCH_LIMIT = 20;
/** Names are asked for in batches this size at most (a page, or a batch of the export). */
const NAMES_LIMIT = 5000;

export function auditMethods(sql: Sql, ability: PortalAbility, filter: () => Fragment, log: Log) {
  function asAudited(record: ChildRecord): AuditedChild | undefined {
    const fields = permittedChildFields(ability, 'audit', record).filter((f) => AUDIT_FIELDS.includes(f));
    if (!fields.length) return undefined;
    const has = (field: ChildField) => fields.includes(field);
    return {
      id: record.id,
      forename: has('forename') ? record.forename : null,
      surname: has('surname') ? record.surname : null,
      dateOfBirth: has('dateOfBirth') ? record.dateOfBirth : null,
      nhsNumber: has('nhsNumber') ? record.nhsNumber : null,
    };
  }

  return {
    /**
     * Children matching a search to audit (all that is given must match; the name loosely, closest
     * first), reduced to their identifiers. Only a name that may be released is searched on, so
     * the search is no oracle for a child the rule withholds. Logged when any are shown.
     */
    async auditChildren(query: AuditChildQuery): Promise<AuditedChild[]> {
      if (!ability.can('audit', 'Child')) return [];
      // An NHS number is an exact match (and the date of birth, if given, must agree); a name is
      // matched loosely, closest first. A date of birth alone lists no one (the caller asks for more).
      const records = query.nhsNumber
        ? (await lookUpChild(sql, filter(), { nhsNumber: query.nhsNumber })).filter((r) => !query.dateOfBirth || r.dateOfBirth === query.dateOfBirth)
        : query.name
          ? await searchChildren(sql, filter(), { name: query.name, dateOfBirth: query.dateOfBirth, identifier: null }, SEARCH_LIMIT)
          : [];
      const found = records.flatMap((record) => asAudited(record) ?? []);
      if (found.length) {
        await log({ childId: null, action: 'view_list', fieldsReleased: [...AUDIT_FIELDS], reason: 'Information governance: children found to search the access log' });
      }
      return found;
    },

    /**
     * The identifiers of the children an access log's entries name, by id, where the policy
     * releases them; a child it withholds (or that no longer exists) is simply absent. Not a look
     * at a record, and not logged: the export that writes them out logs itself (auditExport).
     */
    async auditChildNames(ids: readonly string[]): Promise<Map<string, AuditedChild>> {
      const unique = [...new Set(ids)].slice(0, NAMES_LIMIT);
      if (!unique.length || !ability.can('audit', 'Child')) return new Map();
      const records = await findChildren(sql, unique, filter());
      return new Map(records.flatMap((record) => {
        const audited = asAudited(record);
        return audited ? [[record.id, audited] as const] : [];
      }));
    },

    /** Records an export of the access log, with what it was of: it writes children's names and dates of birth out. */
    async auditExport(description: string): Promise<void> {
      await log({ childId: null, action: 'view_list', fieldsReleased: ['forename', 'surname', 'dateOfBirth'], reason: `Access log exported: ${description}` });
    },
  };
}
