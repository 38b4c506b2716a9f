// School enrolments (school roll: UPN at a school URN) and GP registrations (NHS number at a
// practice ODS code). The child is found by the identifier (a UPN also among former UPNs), never
// by name; an organisation the portal does not know is held for a person to add, never guessed.
// One current enrolment and one current registration per child: a new one ends the previous.
import { randomUUID } from 'node:crypto';
import type { RelationshipIn } from '../records.ts';
import { maskValue } from '../values.ts';
import { recordSightings } from './bookkeeping.ts';
import { held, later, ok, rejected, type MergeContext, type Result, type Tx } from './context.ts';

interface Row { id: string; child_id: string; organisation_id: string; kind: string; start_date: string; end_date: string | null }

const organisationKind = { enrolled: 'school', registered: 'gp_practice' } as const;

export async function mergeRelationships(tx: Tx, records: readonly RelationshipIn[], context: MergeContext, forced: readonly (string | undefined)[] = []): Promise<Result[]> {
  const urns = records.filter((r) => r.relationship === 'enrolled').map((r) => r.organisationCode.trim());
  const odsCodes = records.filter((r) => r.relationship === 'registered').map((r) => r.organisationCode.trim().toUpperCase());
  const upns = records.flatMap((r) => (r.child.upn ? [r.child.upn] : []));
  const nhs = records.flatMap((r) => (r.child.nhsNumber ? [r.child.nhsNumber] : []));
  const sourceIds = records.flatMap((r) => (r.child.caseSystemId ? [r.child.caseSystemId] : []));
  const [organisations, byIdentifier] = await Promise.all([
    tx<{ id: string; kind: string; code: string }[]>`
      select id, kind, coalesce(urn, ods_code) as code from organisations
      where (kind = 'school' and urn = any(${urns}::text[])) or (kind = 'gp_practice' and ods_code = any(${odsCodes}::text[]))`,
    tx<{ by: 'upn' | 'nhs' | 'source'; value: string; childId: string }[]>`
      select 'upn' as by, upn as value, id as "childId" from children where upn = any(${upns}::text[])
      union all select 'upn', upn, child_id from child_former_upns where upn = any(${upns}::text[])
      union all select 'nhs', nhs_number, id from children where nhs_number = any(${nhs}::text[])
      union all select 'source', source_id, child_id from child_sources where system = ${context.system} and source_id = any(${sourceIds}::text[])`,
  ]);
  const organisationOf = new Map(organisations.map((o) => [`${o.kind}:${o.code}`, o.id]));
  const childBy = new Map(byIdentifier.map((c) => [`${c.by}:${c.value}`, c.childId]));
  const childOf = (record: RelationshipIn, index: number) => forced[index]
    ?? (record.child.caseSystemId ? childBy.get(`source:${record.child.caseSystemId}`) : undefined)
    ?? (record.relationship === 'enrolled' && record.child.upn ? childBy.get(`upn:${record.child.upn}`) : undefined)
    ?? (record.relationship === 'registered' && record.child.nhsNumber ? childBy.get(`nhs:${record.child.nhsNumber}`) : undefined);

  const children = [...new Set(records.map((r, i) => childOf(r, i)).filter((id): id is string => id !== undefined))];
  const existing = children.length === 0 ? [] : await tx<Row[]>`
    select id, child_id, organisation_id, kind, start_date::text, end_date::text from child_organisation_relationships
    where child_id = any(${children}::uuid[]) and kind in ('enrolled', 'registered')`;
  const byChild = new Map<string, Row[]>();
  for (const row of existing) byChild.set(row.child_id, [...(byChild.get(row.child_id) ?? []), row]);

  const inserts: Array<Row & { import_system: string; import_source: string; import_run_id: string }> = [];
  const updates = new Map<string, Row>();
  const seen = new Set<string>();
  const seenOrganisations = { school: new Set<string>(), gp_practice: new Set<string>() };

  const results = records.map((record, index): Result => {
    const kind = organisationKind[record.relationship];
    const code = kind === 'school' ? record.organisationCode.trim() : record.organisationCode.trim().toUpperCase();
    const organisationId = organisationOf.get(`${kind}:${code}`);
    if (!organisationId) {
      return held(context, record, kind === 'school'
        ? { rule: 'unknown-school', field: 'URN', value: code, message: 'No school with this URN is known to the portal: add the school, then load the held records.' }
        : { rule: 'unknown-gp-practice', field: 'ODS code', value: code, message: 'No GP practice with this ODS code is known to the portal: add the practice, then load the held records.' });
    }
    seenOrganisations[kind].add(organisationId);
    const childId = childOf(record, index);
    if (!childId) {
      return record.relationship === 'enrolled'
        ? rejected(context, record, { rule: 'no-child-with-upn', field: 'UPN', value: maskValue('upn', record.child.upn), message: 'No child on record has this UPN (or had it before).' })
        : rejected(context, record, { rule: 'no-child-with-nhs-number', field: 'NHS number', value: maskValue('nhsNumber', record.child.nhsNumber), message: 'No child on record has this NHS number.' });
    }
    if (record.endDate && record.endDate < record.startDate) {
      return rejected(context, record, { rule: 'end-before-start', field: 'endDate', value: record.endDate, message: 'The relationship ends before it starts.' });
    }
    const rows = byChild.get(childId) ?? [];
    const mine = (r: Row) => r.kind === record.relationship && r.organisation_id === organisationId && !seen.has(r.id);
    const match = rows.find((r) => mine(r) && r.start_date === record.startDate)
      ?? (record.endDate ? undefined : rows.find((r) => mine(r) && r.end_date === null));
    if (match) {
      seen.add(match.id);
      const next = { ...match, start_date: record.startDate, end_date: record.endDate === undefined ? match.end_date : record.endDate };
      if (next.start_date === match.start_date && next.end_date === match.end_date) return ok('unchanged');
      Object.assign(match, next);
      updates.set(match.id, match);
      return ok('updated');
    }
    if (!record.endDate) {
      // A school move (or a new practice): the previous one ends the day this one starts.
      for (const current of rows.filter((r) => r.kind === record.relationship && r.end_date === null)) {
        current.end_date = later(current.start_date, record.startDate);
        updates.set(current.id, current);
      }
    }
    const row: Row = { id: randomUUID(), child_id: childId, organisation_id: organisationId, kind: record.relationship, start_date: record.startDate, end_date: record.endDate ?? null };
    byChild.set(childId, [...rows, row]);
    seen.add(row.id);
    inserts.push({ ...row, import_system: context.system, import_source: context.source, import_run_id: context.runId });
    return ok('inserted');
  });

  // Sent together: postgres.js pipelines them on the transaction's connection, in this order.
  const writes: PromiseLike<unknown>[] = [];
  if (updates.size) {
    writes.push(tx`
      update child_organisation_relationships r set start_date = v.start_date, end_date = v.end_date, import_run_id = ${context.runId},
             import_system = coalesce(r.import_system, ${context.system}), import_source = coalesce(r.import_source, ${context.source})
      from jsonb_to_recordset(${tx.json([...updates.values()] as never)}) as v(id uuid, start_date date, end_date date)
      where r.id = v.id`);
  }
  if (inserts.length) {
    writes.push(tx`insert into child_organisation_relationships ${tx(inserts, 'id', 'child_id', 'organisation_id', 'kind', 'start_date', 'end_date',
      'import_system', 'import_source', 'import_run_id')}`);
  }
  writes.push(recordSightings(tx, context, 'relationship', [...seen]));
  writes.push(recordSightings(tx, context, 'school', [...seenOrganisations.school]));
  writes.push(recordSightings(tx, context, 'gp_practice', [...seenOrganisations.gp_practice]));
  await Promise.all(writes);
  return results;
}
