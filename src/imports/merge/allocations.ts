// Allocations: the child's allocated case worker, found in the council's own directory
// (social_workers) by the case system's professional id, then the Social Work England
// registration number, then by name within the team. A worker the directory lacks is added; a
// phone the feed lacks comes from the directory (the worker's own, else the team's). A team the
// directory lacks is added with the council's duty number, and a warning asks the data team for
// its own. One current allocation per child: a new worker ends the previous allocation.
import { randomUUID } from 'node:crypto';
import type { AllocationIn } from '../records.ts';
import { maskValue } from '../values.ts';
import { recordSightings } from './bookkeeping.ts';
import { childIdsBySource } from './children.ts';
import { held, issueFor, later, ok, rejected, type MergeContext, type Result, type Tx } from './context.ts';
import { childNotKnown } from './involvements.ts';

interface Worker {
  id: string;
  team_id: string;
  name: string;
  email: string | null;
  phone: string;
  case_system: string | null;
  case_system_id: string | null;
  registration_number: string | null;
}
interface Team { id: string; name: string; phone: string }
interface Allocation { id: string; child_id: string; social_worker_id: string; start_date: string; end_date: string | null }

const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
const registration = (value: string | null | undefined) => value?.trim().toUpperCase().replace(/\s+/g, '') || null;

export async function mergeAllocations(tx: Tx, records: readonly AllocationIn[], context: MergeContext, forced: readonly (string | undefined)[] = []): Promise<Result[]> {
  const childIds = await childIdsBySource(tx, context.system, records.map((r) => r.caseSystemId));
  const childOf = (i: number) => forced[i] ?? childIds.get(records[i]!.caseSystemId);
  const children = [...new Set(records.map((_, i) => childOf(i)).filter((id): id is string => id !== undefined))];
  const professionalIds = records.flatMap((r) => (r.worker.caseSystemId ? [r.worker.caseSystemId] : []));
  const registrations = records.flatMap((r) => registration(r.worker.registrationNumber) ?? []);
  const names = records.map((r) => key(r.worker.name));
  const [[council], teamRows, workerRows, allocationRows, emails] = await Promise.all([
    tx<{ phone: string }[]>`select duty_phone as phone from organisations where id = ${context.localAuthorityId}`,
    tx<Team[]>`select id, name, phone from teams where local_authority_id = ${context.localAuthorityId}`,
    tx<Worker[]>`
      select w.id, w.team_id, w.name, w.email, w.phone, w.case_system, w.case_system_id, w.registration_number
      from social_workers w join teams t on t.id = w.team_id
      where t.local_authority_id = ${context.localAuthorityId}
        and ((w.case_system = ${context.system} and w.case_system_id = any(${professionalIds}::text[]))
             or w.registration_number = any(${registrations}::text[])
             or lower(regexp_replace(trim(w.name), '\\s+', ' ', 'g')) = any(${names}::text[]))`,
    children.length === 0 ? [] : tx<Allocation[]>`
      select id, child_id, social_worker_id, start_date::text, end_date::text from allocations where child_id = any(${children}::uuid[])`,
    tx<{ email: string }[]>`select lower(email) as email from social_workers
      where lower(email) = any(${records.flatMap((r) => (r.worker.email ? [r.worker.email.trim().toLowerCase()] : []))}::text[])`,
  ]);
  const teams = new Map(teamRows.map((t) => [key(t.name), t]));
  const teamById = new Map(teamRows.map((t) => [t.id, t]));
  const workers = [...workerRows];
  const usedEmails = new Set(emails.map((e) => e.email));
  const allocations = new Map<string, Allocation[]>();
  for (const a of allocationRows) allocations.set(a.child_id, [...(allocations.get(a.child_id) ?? []), a]);

  const newTeams: Array<Team & { local_authority_id: string }> = [];
  const newWorkers: Array<Worker & { role: 'social_worker' }> = [];
  const filledIn = new Map<string, Worker>();
  const inserts: Array<Allocation & { import_system: string; import_source: string; import_run_id: string }> = [];
  const updates = new Map<string, Allocation>();
  const seen = new Set<string>();

  const results = records.map((record, index): Result => {
    const childId = childOf(index);
    if (childId === undefined) return childNotKnown(context, record);
    if (record.endDate && record.endDate < record.startDate) {
      return rejected(context, record, { rule: 'end-before-start', field: 'endDate', value: record.endDate, message: 'The allocation ends before it starts.' });
    }
    const warnings = [];
    const feed = record.worker;
    // The team, when the feed names one; a team new to the directory is added.
    let team = feed.team ? teams.get(key(feed.team)) : undefined;
    if (feed.team && !team) {
      team = { id: randomUUID(), name: feed.team.trim(), phone: council!.phone };
      teams.set(key(feed.team), team);
      teamById.set(team.id, team);
      newTeams.push({ ...team, local_authority_id: context.localAuthorityId });
      warnings.push(issueFor(context, record, 'warning', {
        rule: 'new-team', field: 'team', value: team.name,
        message: 'A team the council’s directory did not have was added, with the council’s duty number as its phone: add the team’s own number.',
      }));
    }
    // The worker: professional id, registration number, then name within the team.
    const reg = registration(feed.registrationNumber);
    let worker = (feed.caseSystemId ? workers.find((w) => w.case_system === context.system && w.case_system_id === feed.caseSystemId) : undefined)
      ?? (reg ? workers.find((w) => w.registration_number === reg) : undefined);
    if (!worker) {
      const named = workers.filter((w) => key(w.name) === key(feed.name) && (!team || w.team_id === team.id));
      if (named.length > 1) {
        return held(context, record, {
          rule: 'matches-two-workers', field: 'worker', value: maskValue('name', feed.name),
          message: 'Two workers in the council’s directory have this name: a person must say which one, or give the case system’s professional id.',
        });
      }
      worker = named[0];
    }
    if (!worker) {
      if (!team) {
        return held(context, record, {
          rule: 'worker-without-team', field: 'worker', value: maskValue('name', feed.name),
          message: 'The worker is not in the council’s directory and the feed names no team: add the worker to the directory, then load the held record.',
        });
      }
      const email = feed.email?.trim() && !usedEmails.has(feed.email.trim().toLowerCase()) ? feed.email.trim() : null;
      if (email) usedEmails.add(email.toLowerCase());
      worker = {
        id: randomUUID(), team_id: team.id, name: feed.name.trim(), email, phone: feed.phone?.trim() || team.phone,
        case_system: feed.caseSystemId ? context.system : null, case_system_id: feed.caseSystemId ?? null, registration_number: reg,
      };
      workers.push(worker);
      newWorkers.push({ ...worker, role: 'social_worker' });
    } else if ((!worker.case_system_id && feed.caseSystemId) || (!worker.registration_number && reg)) {
      // The directory is the council's: the feed only fills in the ids it lacks.
      if (!worker.case_system_id && feed.caseSystemId) Object.assign(worker, { case_system: context.system, case_system_id: feed.caseSystemId });
      if (!worker.registration_number && reg && !workers.some((w) => w.registration_number === reg)) worker.registration_number = reg;
      if (!newWorkers.some((w) => w.id === worker!.id)) filledIn.set(worker.id, worker);
    }

    const rows = allocations.get(childId) ?? [];
    const workerId = worker.id;
    const match = rows.find((a) => a.social_worker_id === workerId && a.start_date === record.startDate && !seen.has(a.id))
      ?? (record.endDate ? undefined : rows.find((a) => a.social_worker_id === workerId && a.end_date === null));
    if (match) {
      seen.add(match.id);
      const next = { ...match, start_date: record.startDate, end_date: record.endDate === undefined ? match.end_date : record.endDate };
      if (next.start_date === match.start_date && next.end_date === match.end_date) return ok('unchanged', warnings);
      Object.assign(match, next);
      updates.set(match.id, match);
      return ok('updated', warnings);
    }
    if (!record.endDate) {
      // A new worker: the previous allocation ends the day the new one starts.
      for (const current of rows.filter((a) => a.end_date === null)) {
        current.end_date = later(current.start_date, record.startDate);
        updates.set(current.id, current);
      }
    }
    const row: Allocation = { id: randomUUID(), child_id: childId, social_worker_id: workerId, start_date: record.startDate, end_date: record.endDate ?? null };
    allocations.set(childId, [...rows, row]);
    seen.add(row.id);
    inserts.push({ ...row, import_system: context.system, import_source: context.source, import_run_id: context.runId });
    return ok('inserted', warnings);
  });

  // Sent together: postgres.js pipelines them on the transaction's connection, in this order.
  const writes: PromiseLike<unknown>[] = [];
  if (newTeams.length) writes.push(tx`insert into teams ${tx(newTeams, 'id', 'local_authority_id', 'name', 'phone')}`);
  if (newWorkers.length) {
    writes.push(tx`insert into social_workers ${tx(newWorkers, 'id', 'team_id', 'name', 'email', 'phone', 'role', 'case_system', 'case_system_id', 'registration_number')}`);
  }
  if (filledIn.size) {
    writes.push(tx`
      update social_workers w set case_system = v.case_system, case_system_id = v.case_system_id, registration_number = v.registration_number
      from jsonb_to_recordset(${tx.json([...filledIn.values()] as never)}) as v(id uuid, case_system text, case_system_id text, registration_number text)
      where w.id = v.id`);
  }
  // Ends before starts: the new current allocation needs the old one ended first (one current per child).
  if (updates.size) {
    writes.push(tx`
      update allocations a set start_date = v.start_date, end_date = v.end_date, import_run_id = ${context.runId},
             import_system = coalesce(a.import_system, ${context.system}), import_source = coalesce(a.import_source, ${context.source})
      from jsonb_to_recordset(${tx.json([...updates.values()] as never)}) as v(id uuid, start_date date, end_date date)
      where a.id = v.id`);
  }
  if (inserts.length) {
    writes.push(tx`insert into allocations ${tx(inserts, 'id', 'child_id', 'social_worker_id', 'start_date', 'end_date', 'import_system', 'import_source', 'import_run_id')}`);
  }
  writes.push(recordSightings(tx, context, 'allocation', [...seen]));
  await Promise.all(writes);
  return results;
}
