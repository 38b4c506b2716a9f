// The Standard Safeguarding Dataset (data-to-insight's SSD): one CSV file per SSD table, exported
// from the council's reporting database, a complete truncate-and-reload snapshot every night.
// See docs/imports.md ("SSD extract") for the files, columns and rules.
//
// Files are streamed, never held whole, and what is kept grows by a little per child: the
// lookups are read first (teams, workers; each child's current address line and identifiers;
// a review date per open plan), so that ssd_person can then yield every child as its row is
// read, before anything that refers to it; afterwards the set of person ids (to check that
// episodes name a known child) and the CP plans (to check overlaps; a small table) are kept.
import type { AllocationIn, ChildIn, ImportRecord, InputFile, InvolvementIn, ParseReport, SourceParser } from '../../records.ts';
import { parseGender } from '../../values.ts';
import { checkedNhsNumber, checkedUpn, FileIssues } from './checks.ts';
import { ByteCounter, ImportFileRefused, readCsvTable, type CsvRow } from './csv-table.ts';
import { readingOrder, requiredTables, ssdTables, tableOfFile, type SsdTable } from './tables.ts';
import { addressLine, isCaseWorkerRole, linkedIdentifierType, normalisePostcode, parseCpCategory, type LinkedIdentifier } from './values.ts';

export { writeSsdExtract } from './writer.ts';

export const ssdParser: SourceParser = {
  source: 'ssd',
  // The SSD is rebuilt from the case system every night: what is not in it has ended.
  snapshotOf: ['child', 'involvement', 'allocation'],
  checkFiles: checkSsdFiles,
  parse: parseSsd,
};

export function checkSsdFiles(names: string[]): { ok: true } | { ok: false; message: string } {
  const unknown = names.filter((name) => !tableOfFile(name));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `${unknown.join(', ')}: not ${unknown.length > 1 ? 'files' : 'a file'} of an SSD table the portal reads. Name each file after its table, for example ssd_person.csv; the tables are ${readingOrder.join(', ')}.`,
    };
  }
  const tables = names.map((name) => tableOfFile(name)!);
  const twice = readingOrder.filter((table) => tables.filter((t) => t === table).length > 1);
  if (twice.length > 0) return { ok: false, message: `More than one file for ${twice.join(', ')}: give one file per SSD table.` };
  const missing = requiredTables.filter((table) => !tables.includes(table));
  if (missing.length > 0) {
    return {
      ok: false,
      message: `The extract has no ${missing.map((t) => `${t}.csv`).join(', ')}. An SSD import is a complete snapshot (anything absent is ended), so it needs ${requiredTables.map((t) => `${t}.csv`).join(', ')}.`,
    };
  }
  return { ok: true };
}

interface Address { line: string | null; postcode: string | null; start: string | null; open: boolean; at: number }
interface Identifier { kind: LinkedIdentifier; value: string; from: string | null; ended: boolean; at: number }
interface Professional { name: string; registrationNumber: string | null; department: string | null }

/** Reads one SSD table with its own issue reporter; nothing when the extract has no such file. */
type Reader = (table: SsdTable) => { issues: FileIssues; rows: AsyncGenerator<CsvRow> } | undefined;

async function* parseSsd(files: InputFile[], report: ParseReport): AsyncGenerator<ImportRecord> {
  const check = checkSsdFiles(files.map((f) => f.name));
  if (!check.ok) throw new ImportFileRefused(files.map((f) => f.name).join(', '), check.message);
  const byTable = new Map(files.map((file) => [tableOfFile(file.name)!, file]));
  const bytes = new ByteCounter(report);
  const issuesOf = (table: SsdTable) => new FileIssues('ssd', byTable.get(table)!.name, report);
  const read: Reader = (table) => {
    const file = byTable.get(table);
    if (!file) return undefined;
    return { issues: issuesOf(table), rows: readCsvTable(file, ssdTables[table], { source: 'ssd', report, bytes }) };
  };
  const today = new Date().toISOString().slice(0, 10);

  const teams = await readTeams(read);
  const professionals = await readProfessionals(read);
  const addresses = await readAddresses(read, today);
  const identifiers = await readIdentifiers(read);
  const cpReviews = await readReviews(read, 'ssd_cp_reviews', 'cppr_cp_plan_id', 'cppr_cp_review_due', 'cppr_cp_review_date');
  const claReviews = await readReviews(read, 'ssd_cla_reviews', 'clar_cla_id', 'clar_cla_review_due_date', 'clar_cla_review_date');

  const people = new Set<string>();
  yield* readPeople(read, people, addresses, identifiers);
  reportOrphans(issuesOf, addresses, identifiers);

  // Read for their structure only: the portal's statuses come from the plans and episodes below.
  for (const table of ['ssd_cin_episodes', 'ssd_legal_status'] as const) {
    const reader = read(table);
    if (reader) for await (const _ of reader.rows) void _;
  }
  yield* readEpisodes(read, 'ssd_cin_plans', people);
  yield* readCpPlans(read, people, cpReviews);
  yield* readEpisodes(read, 'ssd_cla_episodes', people, claReviews);
  yield* readAllocations(read, people, professionals, teams);
}

async function readTeams(read: Reader): Promise<Map<string, string>> {
  const teams = new Map<string, string>();
  const reader = read('ssd_department');
  if (!reader) return teams;
  for await (const row of reader.rows) {
    if (reader.issues.malformed(row, 'warning')) continue;
    const id = row.get('dept_team_id');
    const name = row.get('dept_team_name');
    if (id !== null && name !== null && !teams.has(id)) teams.set(id, name);
  }
  return teams;
}

async function readProfessionals(read: Reader): Promise<Map<string, Professional>> {
  const professionals = new Map<string, Professional>();
  const reader = read('ssd_professionals')!;
  for await (const row of reader.rows) {
    if (reader.issues.malformed(row, 'warning')) continue;
    const id = row.get('prof_professional_id');
    const name = row.get('prof_professional_name');
    if (id === null || name === null) {
      reader.issues.add(row, 'warning', { rule: 'missing-value', message: 'A professional needs an id and a name; allocations to this row cannot be loaded' }, { field: id === null ? 'prof_professional_id' : 'prof_professional_name' });
      continue;
    }
    if (professionals.has(id)) {
      reader.issues.add(row, 'warning', { rule: 'duplicate-professional', message: 'This professional id is on an earlier row; the first one was used' }, { field: 'prof_professional_id', value: id });
      continue;
    }
    professionals.set(id, { name, registrationNumber: row.get('prof_social_worker_registration_no'), department: row.get('prof_professional_department') });
  }
  return professionals;
}

/** Each person's current address: one with no end date (or one in the future), the latest start first. */
async function readAddresses(read: Reader, today: string): Promise<Map<string, Address> | undefined> {
  const reader = read('ssd_address');
  if (!reader) return undefined;
  const addresses = new Map<string, Address>();
  for await (const row of reader.rows) {
    if (reader.issues.malformed(row, 'warning')) continue;
    const person = row.get('addr_person_id');
    if (person === null) continue;
    const start = reader.issues.date(row, 'addr_address_start_date', 'warning', person);
    const end = reader.issues.date(row, 'addr_address_end_date', 'warning', person);
    if (start === undefined || end === undefined) continue;
    const open = end === null || end > today;
    const known = addresses.get(person);
    // Open beats ended; then the later start; the first row wins a tie.
    if (known && (known.open && !open || known.open === open && (known.start ?? '') >= (start ?? ''))) continue;
    const postcode = row.get('addr_address_postcode');
    const json = row.get('addr_address_json');
    addresses.set(person, {
      line: json === null ? null : addressLine(json, postcode === null ? null : normalisePostcode(postcode)),
      postcode: postcode === null ? null : normalisePostcode(postcode),
      start,
      open,
      at: row.line,
    });
  }
  return addresses;
}

async function readIdentifiers(read: Reader): Promise<Map<string, Identifier[]>> {
  const identifiers = new Map<string, Identifier[]>();
  const reader = read('ssd_linked_identifiers');
  if (!reader) return identifiers;
  for await (const row of reader.rows) {
    if (reader.issues.malformed(row, 'warning')) continue;
    const person = row.get('link_person_id');
    const type = row.get('link_identifier_type');
    const raw = row.get('link_identifier_value');
    // Other identifier types (case numbers, Home Office references…) are not the portal's.
    const kind = type === null ? undefined : linkedIdentifierType(type);
    if (person === null || kind === undefined || raw === null) continue;
    const checked = kind === 'nhs' ? checkedNhsNumber(raw) : checkedUpn(raw);
    if (!checked.ok) {
      reader.issues.add(row, 'warning', { ...checked.problem, message: `${checked.problem.message}; it was left out` }, { caseSystemId: person, field: 'link_identifier_value', value: raw, personal: kind === 'nhs' ? 'nhsNumber' : 'upn' });
      continue;
    }
    const from = reader.issues.date(row, 'link_valid_from_date', 'warning', person) ?? null;
    const to = reader.issues.date(row, 'link_valid_to_date', 'warning', person);
    const list = identifiers.get(person) ?? [];
    list.push({ kind, value: checked.value, from, ended: to !== null, at: row.line });
    identifiers.set(person, list);
  }
  return identifiers;
}

/** The next review of each open plan: the earliest due date of a review not yet held. */
async function readReviews(read: Reader, table: 'ssd_cp_reviews' | 'ssd_cla_reviews', key: string, due: string, held: string): Promise<Map<string, string> | undefined> {
  const reader = read(table);
  if (!reader) return undefined;
  const next = new Map<string, string>();
  for await (const row of reader.rows) {
    if (reader.issues.malformed(row, 'warning')) continue;
    const plan = row.get(key);
    if (plan === null || row.get(held) !== null) continue;
    const date = reader.issues.date(row, due, 'warning');
    if (!date) continue;
    const known = next.get(plan);
    if (known === undefined || date < known) next.set(plan, date);
  }
  return next;
}

async function* readPeople(
  read: Reader,
  people: Set<string>,
  addresses: Map<string, Address> | undefined,
  identifiers: Map<string, Identifier[]>,
): AsyncGenerator<ChildIn> {
  const reader = read('ssd_person')!;
  const { issues } = reader;
  const seen = new Set<string>();
  for await (const row of reader.rows) {
    if (issues.malformed(row)) continue;
    const id = issues.caseSystemId(row, 'pers_person_id');
    if (id === undefined) continue;
    if (seen.has(id)) {
      issues.add(row, 'rejected', { rule: 'duplicate-child', dfeRule: '8510', message: 'More than one person with the same pers_person_id: only the first was loaded' }, { caseSystemId: id, field: 'pers_person_id', value: id });
      continue;
    }
    seen.add(id);
    // Taken now, so that a person rejected below is not also reported as unknown in those files.
    const linked = identifiers.get(id) ?? [];
    identifiers.delete(id);
    const address = addresses?.get(id);
    addresses?.delete(id);
    const forename = issues.required(row, 'pers_forename', id);
    if (forename === undefined) continue;
    const surname = issues.required(row, 'pers_surname', id);
    if (surname === undefined) continue;
    const dateOfBirth = issues.date(row, 'pers_dob', 'rejected', id, 'date');
    if (dateOfBirth === undefined) continue;
    if (dateOfBirth === null) {
      const unborn = row.get('pers_expected_dob') !== null;
      issues.add(row, 'rejected', { rule: 'missing-value', message: unborn ? 'pers_dob is blank (an unborn child): the portal holds children from birth' : 'pers_dob is blank: the row cannot be loaded without it' }, { caseSystemId: id, field: 'pers_dob' });
      continue;
    }
    people.add(id);

    const sexColumn = row.get('pers_sex') !== null ? 'pers_sex' : 'pers_gender';
    const sexText = row.get(sexColumn) ?? '';
    let gender = parseGender(sexText);
    if (gender === undefined) {
      issues.add(row, 'warning', { rule: 'unknown-code', message: `${sexColumn} is not a known sex code (M, F, U, I); recorded as not known` }, { caseSystemId: id, field: sexColumn, value: sexText });
      gender = 'not_known';
    }
    const dateOfDeath = issues.date(row, 'pers_death_date', 'warning', id, 'date');

    const child: ChildIn = { kind: 'child', where: { file: issues.file, line: row.line }, caseSystemId: id, forename, surname, dateOfBirth, gender };
    if (dateOfDeath !== undefined) child.dateOfDeath = dateOfDeath;

    // Identifiers: ssd_person's own columns first, then ssd_linked_identifiers.
    const upnCell = row.get('pers_upn');
    let upn: string | null | undefined = null;
    if (upnCell !== null) {
      const checked = checkedUpn(upnCell);
      if (checked.ok) upn = checked.value;
      else {
        issues.add(row, 'warning', { ...checked.problem, message: `${checked.problem.message}; it was left out` }, { caseSystemId: id, field: 'pers_upn', value: upnCell, personal: 'upn' });
        upn = undefined;
      }
    }
    const current = linked.filter((i) => i.kind === 'upn' && !i.ended).sort((a, b) => (b.from ?? '').localeCompare(a.from ?? ''));
    // A current linked UPN stands in for a blank (or failed) pers_upn.
    if ((upn === null || upn === undefined) && current[0]) upn = current[0].value;
    if (upn !== undefined) child.upn = upn;
    const formerUpns = [...new Set(linked.filter((i) => (i.kind === 'former-upn' || i.kind === 'upn') && i.value !== upn).map((i) => i.value))];
    if (formerUpns.length > 0) child.formerUpns = formerUpns;

    // Many councils leave the NHS number out of the SSD: a blank says nothing, so it is not null.
    const nhsColumn = row.get('pers_single_unique_id') !== null ? 'pers_single_unique_id' : 'pers_common_child_id';
    const nhsCell = row.get(nhsColumn);
    if (nhsCell !== null) {
      const checked = checkedNhsNumber(nhsCell);
      if (checked.ok) child.nhsNumber = checked.value;
      else issues.add(row, 'warning', { ...checked.problem, message: `${checked.problem.message}; it was left out` }, { caseSystemId: id, field: nhsColumn, value: nhsCell, personal: 'nhsNumber' });
    }
    if (child.nhsNumber === undefined) {
      const nhs = linked.find((i) => i.kind === 'nhs' && !i.ended) ?? linked.find((i) => i.kind === 'nhs');
      if (nhs) child.nhsNumber = nhs.value;
    }

    if (addresses) {
      child.address = address?.open ? address.line : null;
      child.postcode = address?.open ? address.postcode : null;
    }
    yield child;
  }
}

/** Addresses and identifiers left over belong to no person in ssd_person: said once per row, not loaded. */
function reportOrphans(issuesOf: (table: SsdTable) => FileIssues, addresses: Map<string, Address> | undefined, identifiers: Map<string, Identifier[]>): void {
  const say = (table: SsdTable, line: number, person: string, field: string) =>
    issuesOf(table).add({ line }, 'warning', { rule: 'unknown-child', message: `${field} names a person who is not in ssd_person; the row was ignored` }, { caseSystemId: person, field, value: person });
  for (const [person, address] of addresses ?? []) say('ssd_address', address.at, person, 'addr_person_id');
  for (const [person, list] of identifiers) for (const identifier of list) say('ssd_linked_identifiers', identifier.at, person, 'link_person_id');
}

const episodeColumns = {
  ssd_cin_plans: { kind: 'child_in_need', id: 'cinp_cin_plan_id', person: 'cinp_person_id', start: 'cinp_cin_plan_start_date', end: 'cinp_cin_plan_end_date', review: undefined, endRule: '4011' },
  ssd_cp_plans: { kind: 'child_protection', id: 'cppl_cp_plan_id', person: 'cppl_person_id', start: 'cppl_cp_plan_start_date', end: 'cppl_cp_plan_end_date', review: 'cppl_cp_plan_id', endRule: '8925' },
  ssd_cla_episodes: { kind: 'looked_after', id: 'clae_cla_episode_id', person: 'clae_person_id', start: 'clae_cla_episode_start_date', end: 'clae_cla_episode_ceased_date', review: 'clae_cla_id', endRule: undefined },
} as const;

/** One episode row as an involvement, or undefined (and the rejection reported). */
function episodeOf(row: CsvRow, issues: FileIssues, table: keyof typeof episodeColumns, people: Set<string>, reviews: Map<string, string> | undefined): InvolvementIn | undefined {
  const columns = episodeColumns[table];
  if (issues.malformed(row)) return undefined;
  const person = issues.required(row, columns.person);
  if (person === undefined) return undefined;
  if (!people.has(person)) {
    issues.add(row, 'rejected', { rule: 'unknown-child', message: `${columns.person} is not a person loaded from ssd_person (absent there, or rejected)` }, { caseSystemId: person, field: columns.person, value: person });
    return undefined;
  }
  const startDate = issues.date(row, columns.start, 'rejected', person);
  if (startDate === undefined) return undefined;
  if (startDate === null) {
    issues.add(row, 'rejected', { rule: 'missing-value', message: `${columns.start} is blank: the row cannot be loaded without it` }, { caseSystemId: person, field: columns.start });
    return undefined;
  }
  const endDate = issues.date(row, columns.end, 'rejected', person);
  if (endDate === undefined) return undefined;
  if (endDate !== null && endDate < startDate) {
    issues.add(row, 'rejected', { rule: 'end-before-start', dfeRule: columns.endRule, message: `${columns.end} is before ${columns.start}` }, { caseSystemId: person, field: columns.end, value: endDate });
    return undefined;
  }
  const involvement: InvolvementIn = {
    kind: 'involvement',
    where: { file: issues.file, line: row.line },
    caseSystemId: person,
    involvementKind: columns.kind,
    episodeId: row.get(columns.id),
    startDate,
    endDate,
  };
  // The SSD has review dates for CP plans and CLA (ssd_cp_reviews, ssd_cla_reviews), none for CIN plans.
  if (columns.review !== undefined && reviews !== undefined) {
    const key = row.get(columns.review) ?? row.get(columns.id);
    involvement.nextReviewDate = endDate === null && key !== null ? reviews.get(key) ?? null : null;
  }
  return involvement;
}

async function* readEpisodes(read: Reader, table: 'ssd_cin_plans' | 'ssd_cla_episodes', people: Set<string>, reviews?: Map<string, string>): AsyncGenerator<InvolvementIn> {
  const reader = read(table)!;
  for await (const row of reader.rows) {
    const involvement = episodeOf(row, reader.issues, table, people, reviews);
    if (involvement) yield involvement;
  }
}

/**
 * CP plans, with DfE's rule 8940: a plan may not start on or between the start and end (or, if
 * open, after the start) of another plan of the same child. The plan that starts later is
 * rejected; the earlier one is loaded. The plans are held until the file is read (a small table).
 */
async function* readCpPlans(read: Reader, people: Set<string>, reviews: Map<string, string> | undefined): AsyncGenerator<InvolvementIn> {
  const reader = read('ssd_cp_plans')!;
  const { issues } = reader;
  const plans: InvolvementIn[] = [];
  for await (const row of reader.rows) {
    const plan = episodeOf(row, issues, 'ssd_cp_plans', people, reviews);
    if (!plan) continue;
    const latest = row.get('cppl_cp_plan_latest_category');
    const column = latest !== null ? 'cppl_cp_plan_latest_category' : 'cppl_cp_plan_initial_category';
    const text = latest ?? row.get('cppl_cp_plan_initial_category');
    if (text === null) {
      issues.add(row, 'warning', { rule: 'missing-value', dfeRule: '8910', message: 'The plan has no category of abuse (latest or initial)' }, { caseSystemId: plan.caseSystemId, field: 'cppl_cp_plan_latest_category' });
      plan.cpCategory = null;
    } else {
      const category = parseCpCategory(text);
      if (category === undefined) {
        issues.add(row, 'warning', { rule: 'unknown-code', dfeRule: '8910', message: 'Not a category of abuse (NEG, PHY, SAB, EMO, MUL or their descriptions); the plan was loaded without its category' }, { caseSystemId: plan.caseSystemId, field: column, value: text });
      } else plan.cpCategory = category;
    }
    plans.push(plan);
  }
  const byChild = new Map<string, InvolvementIn[]>();
  for (const plan of plans) byChild.set(plan.caseSystemId, [...(byChild.get(plan.caseSystemId) ?? []), plan]);
  const overlapping = new Set<InvolvementIn>();
  for (const childPlans of byChild.values()) {
    if (childPlans.length < 2) continue;
    const kept: InvolvementIn[] = [];
    for (const plan of [...childPlans].sort((a, b) => a.startDate.localeCompare(b.startDate) || (a.where.line ?? 0) - (b.where.line ?? 0))) {
      const clash = kept.find((other) => plan.startDate >= other.startDate && (other.endDate === null || other.endDate === undefined || plan.startDate <= other.endDate));
      if (clash) {
        overlapping.add(plan);
        issues.add({ line: plan.where.line! }, 'rejected', { rule: 'overlapping-cp-plans', dfeRule: '8940', message: `Child protection plan data contains overlapping dates: this plan starts during the plan on line ${clash.where.line}` }, { caseSystemId: plan.caseSystemId, field: 'cppl_cp_plan_start_date', value: plan.startDate });
      } else kept.push(plan);
    }
  }
  for (const plan of plans) if (!overlapping.has(plan)) yield plan;
}

/** Allocated case workers: ssd_involvements rows in the role 'CW'; other roles are not allocations and are passed over. */
async function* readAllocations(read: Reader, people: Set<string>, professionals: Map<string, Professional>, teams: Map<string, string>): AsyncGenerator<AllocationIn> {
  const reader = read('ssd_involvements')!;
  const { issues } = reader;
  for await (const row of reader.rows) {
    if (issues.malformed(row)) continue;
    const role = row.get('invo_professional_role_id');
    if (role === null || !isCaseWorkerRole(role)) continue;
    const person = issues.required(row, 'invo_person_id');
    if (person === undefined) continue;
    if (!people.has(person)) {
      issues.add(row, 'rejected', { rule: 'unknown-child', message: 'invo_person_id is not a person loaded from ssd_person (absent there, or rejected)' }, { caseSystemId: person, field: 'invo_person_id', value: person });
      continue;
    }
    const professionalId = issues.required(row, 'invo_professional_id', person);
    if (professionalId === undefined) continue;
    const professional = professionals.get(professionalId);
    if (!professional) {
      issues.add(row, 'rejected', { rule: 'unknown-professional', message: 'invo_professional_id is not in ssd_professionals, so the worker has no name' }, { caseSystemId: person, field: 'invo_professional_id', value: professionalId });
      continue;
    }
    const startDate = issues.date(row, 'invo_involvement_start_date', 'rejected', person);
    if (startDate === undefined) continue;
    if (startDate === null) {
      issues.add(row, 'rejected', { rule: 'missing-value', message: 'invo_involvement_start_date is blank: the row cannot be loaded without it' }, { caseSystemId: person, field: 'invo_involvement_start_date' });
      continue;
    }
    const endDate = issues.date(row, 'invo_involvement_end_date', 'rejected', person);
    if (endDate === undefined) continue;
    if (endDate !== null && endDate < startDate) {
      issues.add(row, 'rejected', { rule: 'end-before-start', message: 'invo_involvement_end_date is before invo_involvement_start_date' }, { caseSystemId: person, field: 'invo_involvement_end_date', value: endDate });
      continue;
    }
    // The team: the involvement's own (a ssd_department id), else the worker's department.
    const teamId = row.get('invo_professional_team');
    const team = (teamId !== null ? teams.get(teamId) : undefined) ?? (professional.department !== null ? teams.get(professional.department) ?? professional.department : null);
    yield {
      kind: 'allocation',
      where: { file: issues.file, line: row.line },
      caseSystemId: person,
      worker: { caseSystemId: professionalId, name: professional.name, registrationNumber: professional.registrationNumber, team },
      startDate,
      endDate,
    };
  }
}
