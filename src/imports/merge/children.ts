// Children: keyed by (case system, the system's id) in child_sources. An id seen for the first
// time is matched to a child already on record by NHS number or UPN (current or former); one
// match links the id to that child, matches to two children are held for a person, none makes a
// new child when the record names one. Identifiers from every source are merged onto the one
// child; a field a source does not carry (undefined) never overwrites what another source said.
//
// A batch is read in two queries (which children the ids and identifiers name, then those
// children), compared in memory, and written in at most one statement per table.
import { randomUUID } from 'node:crypto';
import type { ChildIn } from '../records.ts';
import { maskValue } from '../values.ts';
import { held, ok, rejected, type MergeContext, type Result, type Tx } from './context.ts';

interface ChildRow {
  id: string;
  forename: string;
  surname: string;
  date_of_birth: string;
  gender: string;
  nhs_number: string | null;
  upn: string | null;
  address: string | null;
  postcode: string | null;
  date_of_death: string | null;
}
const COLUMNS = ['forename', 'surname', 'date_of_birth', 'gender', 'nhs_number', 'upn', 'address', 'postcode', 'date_of_death'] as const;

interface Known {
  stored: ChildRow | undefined;
  row: ChildRow;
  formerUpns: Set<string>;
  /** This case system's ids for the child. */
  sourceIds: Set<string>;
}

/** The child ids that (system, id) pairs name, for records that refer to a child by the case system's id. */
export async function childIdsBySource(tx: Tx, system: string, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx<{ sourceId: string; childId: string }[]>`
    select source_id as "sourceId", child_id as "childId" from child_sources
    where system = ${system} and source_id = any(${unique}::text[])`;
  return new Map(rows.map((r) => [r.sourceId, r.childId]));
}

async function load(tx: Tx, system: string, records: readonly ChildIn[], forced: readonly (string | undefined)[]) {
  const ids = [...new Set(records.map((r) => r.caseSystemId))];
  const nhs = [...new Set(records.flatMap((r) => (r.nhsNumber ? [r.nhsNumber] : [])))];
  const upns = [...new Set(records.flatMap((r) => [...(r.upn ? [r.upn] : []), ...(r.formerUpns ?? [])]))];
  const chosen = forced.filter((id): id is string => id !== undefined);
  const rows = await tx<(ChildRow & { formerUpns: string[]; sourceIds: string[] })[]>`
    with named as (
      select child_id as id from child_sources where system = ${system} and source_id = any(${ids}::text[])
      union select id from children where nhs_number = any(${nhs}::text[]) or upn = any(${upns}::text[])
      union select child_id from child_former_upns where upn = any(${upns}::text[])
      union select id from children where id = any(${chosen}::uuid[])
    )
    select c.id, c.forename, c.surname, c.date_of_birth::text, c.gender, c.nhs_number, c.upn, c.address, c.postcode,
           c.date_of_death::text,
           array(select f.upn from child_former_upns f where f.child_id = c.id) as "formerUpns",
           array(select s.source_id from child_sources s where s.child_id = c.id and s.system = ${system}) as "sourceIds"
    from children c join named n on n.id = c.id`;
  const known = new Map<string, Known>();
  for (const { formerUpns, sourceIds, ...row } of rows) {
    known.set(row.id, { stored: { ...row }, row, formerUpns: new Set(formerUpns), sourceIds: new Set(sourceIds) });
  }
  return known;
}

/** Who holds each identifier, as the batch changes them. */
class Owners {
  readonly bySource = new Map<string, string>();
  readonly byNhs = new Map<string, string>();
  readonly byUpn = new Map<string, string>();
  constructor(known: Map<string, Known>) {
    for (const child of known.values()) this.add(child);
  }
  add(child: Known) {
    for (const id of child.sourceIds) this.bySource.set(id, child.row.id);
    if (child.row.nhs_number) this.byNhs.set(child.row.nhs_number, child.row.id);
    if (child.row.upn) this.byUpn.set(child.row.upn, child.row.id);
    for (const upn of child.formerUpns) this.byUpn.set(upn, child.row.id);
  }
  /** The children other than `self` that the record's identifiers belong to. */
  others(record: ChildIn, self: string | undefined): Array<{ childId: string; field: 'nhsNumber' | 'upn' | 'formerUpns'; value: string }> {
    const found: Array<{ childId: string; field: 'nhsNumber' | 'upn' | 'formerUpns'; value: string }> = [];
    const check = (owner: string | undefined, field: 'nhsNumber' | 'upn' | 'formerUpns', value: string) => {
      if (owner !== undefined && owner !== self) found.push({ childId: owner, field, value });
    };
    if (record.nhsNumber) check(this.byNhs.get(record.nhsNumber), 'nhsNumber', record.nhsNumber);
    if (record.upn) check(this.byUpn.get(record.upn), 'upn', record.upn);
    for (const upn of record.formerUpns ?? []) check(this.byUpn.get(upn), 'formerUpns', upn);
    return found;
  }
}

const fieldKind = (field: 'nhsNumber' | 'upn' | 'formerUpns') => (field === 'nhsNumber' ? 'nhsNumber' : 'upn');
const fieldWords = { nhsNumber: 'NHS number', upn: 'UPN', formerUpns: 'former UPN' } as const;

/** The stored child with what the record says laid over it; a field the record leaves undefined is kept. */
function mergeFields(child: Known, record: ChildIn): void {
  const row = child.row;
  if (record.forename) row.forename = record.forename;
  if (record.surname) row.surname = record.surname;
  if (record.dateOfBirth) row.date_of_birth = record.dateOfBirth;
  if (record.gender) row.gender = record.gender;
  // Identifiers are only ever added or replaced: a source without them (null) says nothing about them.
  if (record.nhsNumber) row.nhs_number = record.nhsNumber;
  if (record.upn && record.upn !== row.upn) {
    if (row.upn) child.formerUpns.add(row.upn);
    child.formerUpns.delete(record.upn);
    row.upn = record.upn;
  }
  for (const upn of record.formerUpns ?? []) if (upn !== row.upn) child.formerUpns.add(upn);
  // The case system's address is the address: null from it means it has none now.
  if (record.address !== undefined) row.address = record.address;
  if (record.postcode !== undefined) row.postcode = record.postcode;
  if (record.dateOfDeath !== undefined) row.date_of_death = record.dateOfDeath;
}

const sameRow = (a: ChildRow, b: ChildRow) => COLUMNS.every((c) => a[c] === b[c]);

/**
 * Merges the batch's child records; one result each, in order. `forced[i]` is a child a person
 * chose for record i (a held record resolved): the record is linked to it without matching.
 */
export async function mergeChildren(tx: Tx, records: readonly ChildIn[], context: MergeContext, forced: readonly (string | undefined)[] = []): Promise<Result[]> {
  if (records.length === 0) return [];
  const known = await load(tx, context.system, records, forced);
  const owners = new Owners(known);
  const formerBefore = new Map([...known].map(([id, k]) => [id, new Set(k.formerUpns)]));
  const newChildren = new Set<string>();
  const newSources: Array<{ child_id: string; system: string; source_id: string }> = [];

  const results = records.map((given, index): Result => {
    let record = given;
    let childId = forced[index] ?? owners.bySource.get(record.caseSystemId);
    let linking = false;
    if (forced[index] !== undefined) {
      const linkedTo = owners.bySource.get(record.caseSystemId);
      if (!known.has(forced[index]!)) return rejected(context, record, { rule: 'chosen-child-not-found', message: 'The child chosen for this record is no longer on record.' });
      if (linkedTo !== undefined && linkedTo !== forced[index]) {
        return held(context, record, { rule: 'case-system-id-on-another-child', message: 'This case-system id already names another child: correct the case system first.' });
      }
      linking = linkedTo === undefined;
      // A person chose the child: identifiers that are another child's stay theirs and are left out.
      const conflicts = new Set(owners.others(record, childId).map((c) => c.field));
      record = {
        ...record,
        ...(conflicts.has('nhsNumber') ? { nhsNumber: undefined } : {}),
        ...(conflicts.has('upn') ? { upn: undefined } : {}),
        ...(conflicts.has('formerUpns') ? { formerUpns: (record.formerUpns ?? []).filter((u) => owners.byUpn.get(u) === undefined || owners.byUpn.get(u) === childId) } : {}),
      };
    }
    if (childId === undefined) {
      const matches = owners.others(record, undefined);
      const children = [...new Set(matches.map((m) => m.childId))];
      if (children.length > 1) {
        return held(context, record, {
          rule: 'matches-two-children', field: matches.map((m) => m.field).filter((f, i, all) => all.indexOf(f) === i).join(', '),
          message: `The record's identifiers belong to ${children.length} different children on record: a person must say which child it is (or correct the case system).`,
        });
      }
      if (children.length === 1) {
        const other = known.get(children[0]!)!;
        if (other.sourceIds.size > 0) {
          const match = matches[0]!;
          return held(context, record, {
            rule: 'matches-child-of-another-id', field: match.field, value: maskValue(fieldKind(match.field), match.value),
            message: `The ${fieldWords[match.field]} belongs to a child the case system knows by another id: the case system may hold two records for one child. A person must say whether they are the same child.`,
          });
        }
        childId = other.row.id;
        linking = true;
      } else {
        if (!record.forename || !record.surname || !record.dateOfBirth) {
          return context.source === 'ssd'
            ? rejected(context, record, {
                rule: 'child-incomplete', field: !record.forename ? 'pers_forename' : !record.surname ? 'pers_surname' : 'pers_dob',
                message: 'A child not yet on record needs a first name, last name and date of birth.',
              })
            : rejected(context, record, {
                rule: 'child-not-known',
                message: 'No child on record has this case-system id, NHS number or UPN, and this file carries no name: load the SSD extract (the case system\'s own records) first.',
              });
        }
        childId = randomUUID();
        const row: ChildRow = {
          id: childId, forename: record.forename, surname: record.surname, date_of_birth: record.dateOfBirth,
          gender: 'not_known', nhs_number: null, upn: null, address: null, postcode: null, date_of_death: null,
        };
        known.set(childId, { stored: undefined, row, formerUpns: new Set(), sourceIds: new Set() });
        newChildren.add(childId);
        linking = true;
      }
    }
    const conflict = owners.others(record, childId)[0];
    if (conflict) {
      return held(context, record, {
        rule: conflict.field === 'nhsNumber' ? 'nhs-number-on-another-child' : 'upn-on-another-child',
        field: conflict.field, value: maskValue(fieldKind(conflict.field), conflict.value),
        message: `The ${fieldWords[conflict.field]} is already another child's: a person must say which child it belongs to.`,
      });
    }
    const child = known.get(childId)!;
    const before = { ...child.row };
    const formerCount = child.formerUpns.size;
    mergeFields(child, record);
    if (linking) {
      child.sourceIds.add(record.caseSystemId);
      newSources.push({ child_id: childId, system: context.system, source_id: record.caseSystemId });
    }
    owners.add(child);
    if (linking && child.stored === undefined) return ok('inserted');
    return linking || !sameRow(before, child.row) || formerCount !== child.formerUpns.size ? ok('updated') : ok('unchanged');
  });

  await write(tx, context, known, formerBefore, newChildren, newSources);
  return results;
}

async function write(
  tx: Tx, context: MergeContext, known: Map<string, Known>, formerBefore: Map<string, Set<string>>,
  newChildren: Set<string>, newSources: Array<{ child_id: string; system: string; source_id: string }>,
): Promise<void> {
  const inserts = [...newChildren].map((id) => ({ ...known.get(id)!.row, local_authority_id: context.localAuthorityId }));
  const updates = [...known.values()].filter((k) => k.stored && !sameRow(k.stored, k.row)).map((k) => k.row);
  // Former UPNs: a UPN that became current again leaves the list first (a UPN names one child).
  const formerGone: string[] = [];
  const formerNew: Array<{ upn: string; child_id: string }> = [];
  for (const [id, child] of known) {
    const before = formerBefore.get(id) ?? new Set<string>();
    for (const upn of before) if (!child.formerUpns.has(upn)) formerGone.push(upn);
    for (const upn of child.formerUpns) if (!before.has(upn)) formerNew.push({ upn, child_id: id });
  }
  // Sent together: postgres.js pipelines them on the transaction's connection, in this order.
  const writes: PromiseLike<unknown>[] = [];
  if (formerGone.length) writes.push(tx`delete from child_former_upns where upn = any(${formerGone}::text[])`);
  if (updates.length) {
    // One statement: an identifier never moves between two children in a batch (that is held).
    writes.push(tx`
      update children c set forename = v.forename, surname = v.surname, date_of_birth = v.date_of_birth, gender = v.gender,
             nhs_number = v.nhs_number, upn = v.upn, address = v.address, postcode = v.postcode,
             date_of_death = v.date_of_death, updated_at = now()
      from jsonb_to_recordset(${tx.json(updates as never)}) as v(id uuid, forename text, surname text, date_of_birth date,
           gender text, nhs_number text, upn text, address text, postcode text, date_of_death date)
      where c.id = v.id`);
  }
  if (inserts.length) {
    writes.push(tx`insert into children ${tx(inserts, 'id', 'local_authority_id', ...COLUMNS)}`);
  }
  if (formerNew.length) writes.push(tx`insert into child_former_upns ${tx(formerNew, 'upn', 'child_id')}`);
  if (newSources.length) writes.push(tx`insert into child_sources ${tx(newSources, 'child_id', 'system', 'source_id')}`);  await Promise.all(writes);

}
