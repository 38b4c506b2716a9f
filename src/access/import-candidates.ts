// The data officer's way to the children a held import record may be (policy: `update Child`,
// identifiers only). An import holds a child record back when its identifiers belong to two
// children on record, or to a child the case system knows by another id; to resolve it, the
// officer sees each candidate's name, date of birth, NHS number and UPN, and chooses one.
// Never the record itself; a child the rule withholds (sealed) is simply not offered. Part of the
// gateway (./index.ts), which spreads these methods into the one it makes per request.
import type { Sql } from '../db/connect.ts';
import { permittedChildFields, type PortalAbility } from '../policy/ability.ts';
import type { ChildField } from '../policy/fields.ts';
import { findChildren, type ChildRecord } from './child-records.ts';
import type { Fragment } from './rules-to-sql.ts';

/** The most a candidate shows: who the child is, nothing of their record. */
export const CANDIDATE_FIELDS: readonly ChildField[] = ['forename', 'surname', 'dateOfBirth', 'nhsNumber', 'upn'];

/** A child a held record may be, as the data officer may see them: each identifier, or null where not released. */
export interface CandidateChild {
  id: string;
  forename: string | null;
  surname: string | null;
  dateOfBirth: string | null;
  nhsNumber: string | null;
  upn: string | null;
}

/** What the held record says of the child: the identifiers the merge matched on. */
export interface HeldIdentifiers {
  system: string;
  caseSystemId?: string | null;
  nhsNumber?: string | null;
  upn?: string | null;
}

type Log = (entry: { childId: null; action: 'view_list'; fieldsReleased: ChildField[]; reason: string }) => Promise<void>;

/** At most this many candidates (a record matches two or three children, not dozens). */
const CANDIDATE_LIMIT = 10;

export function importCandidateMethods(sql: Sql, ability: PortalAbility, filter: () => Fragment, log: Log) {
  function asCandidate(record: ChildRecord): CandidateChild | undefined {
    const fields = permittedChildFields(ability, 'update', record).filter((f) => CANDIDATE_FIELDS.includes(f));
    if (!fields.includes('forename') || !fields.includes('surname')) return undefined;
    const has = (field: ChildField) => fields.includes(field);
    return {
      id: record.id,
      forename: record.forename,
      surname: record.surname,
      dateOfBirth: has('dateOfBirth') ? record.dateOfBirth : null,
      nhsNumber: has('nhsNumber') ? record.nhsNumber : null,
      upn: has('upn') ? record.upn : null,
    };
  }

  async function candidates(held: HeldIdentifiers): Promise<CandidateChild[]> {
    if (!ability.can('update', 'Child')) return [];
    const nhs = held.nhsNumber ?? null;
    const upn = held.upn ?? null;
    const sourceId = held.caseSystemId ?? null;
    const rows = await sql<{ id: string }[]>`
      select c.id from children c
      where (${nhs}::text is not null and c.nhs_number = ${nhs})
         or (${upn}::text is not null and c.upn = ${upn})
         or (${sourceId}::text is not null and exists (
               select 1 from child_sources s where s.child_id = c.id and s.system = ${held.system} and s.source_id = ${sourceId}))
      order by c.surname, c.forename, c.id
      limit ${CANDIDATE_LIMIT}`;
    const records = await findChildren(sql, rows.map((r) => r.id), filter());
    return records.flatMap((record) => asCandidate(record) ?? []);
  }

  return {
    /**
     * The children a held record may be, by its identifiers, reduced to theirs. `show`: they are
     * being shown, so the look is logged with `reason`; `check`: only checking a choice.
     */
    async importCandidates(held: HeldIdentifiers, purpose: 'show' | 'check', reason: string): Promise<CandidateChild[]> {
      const found = await candidates(held);
      if (found.length && purpose === 'show') await log({ childId: null, action: 'view_list', fieldsReleased: [...CANDIDATE_FIELDS], reason });
      return found;
    },
  };
}
