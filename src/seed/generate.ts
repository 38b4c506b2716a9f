// Synthetic demo data for Northbridge: children with involvements, allocations, school / GP /
// health relationships and a short chronology, as plain row arrays named after the tables and
// columns of migrations/002_case_record.sql. Pure: no I/O, and the same options give the same
// rows on every machine.
//
// Each child draws from its own random stream, keyed by (seed, child number), so child n is
// the same whether 300 or 100,000 children are generated, and its id does not move when the
// rules for later children change. Only the identifier registers (unique NHS numbers and UPNs)
// are shared, and they are filled in child order, so that is deterministic too.
import { demoAgreements, type AgreementRow } from './agreements.ts';
import { nhsCheckDigit } from '../identifiers/nhs-number.ts';
import { upnCheckLetter } from '../identifiers/upn.ts';
import {
  NORTHBRIDGE_FRONT_DOOR_EMAIL,
  NORTHBRIDGE_INFORMATION_GOVERNANCE_EMAIL,
  DEMO_EMERGENCY_DEPARTMENT,
  DEMO_GP_PRACTICES,
  DEMO_HEALTH_VISITING_TEAM,
  DEMO_ORGANISATIONS,
  DEMO_SCHOOL_NURSING_TEAM,
  DEMO_SCHOOLS,
  DEMO_SOCIAL_WORKERS,
  DEMO_TEAMS,
  NORTHBRIDGE_COUNCIL,
  NORTHBRIDGE_POLICE,
  type DemoSchool,
  type InvolvementKind,
  type OrganisationRow,
  type SocialWorkerRow,
  type TeamRow,
} from './demo-organisations.ts';
import {
  BOYS_FORENAMES,
  CHRONOLOGY_SUMMARIES,
  FLAT_PREFIXES,
  GIRLS_FORENAMES,
  STREETS,
  SURNAMES,
  type ChronologyEventType,
} from './names.ts';
import { Random } from './random.ts';

export type CpCategory = 'NEG' | 'PHY' | 'SAB' | 'EMO' | 'MUL';
export type SourceAgency = 'council' | 'education' | 'health' | 'police';

export interface ChildRow {
  id: string;
  local_authority_id: string;
  forename: string;
  surname: string;
  date_of_birth: string;
  gender: 'male' | 'female' | 'other' | 'not_known';
  nhs_number: string | null;
  upn: string | null;
  address: string | null;
  postcode: string | null;
  address_withheld: boolean;
  sealed: boolean;
}

export interface InvolvementRow {
  id: string;
  child_id: string;
  kind: InvolvementKind;
  cp_category: CpCategory | null;
  start_date: string;
  end_date: string | null;
  next_review_date: string | null;
}

export interface AllocationRow {
  id: string;
  child_id: string;
  social_worker_id: string;
  start_date: string;
  end_date: string | null;
}

export interface RelationshipRow {
  id: string;
  child_id: string;
  organisation_id: string;
  kind: 'enrolled' | 'registered' | 'caseload';
  start_date: string;
  end_date: string | null;
}

export interface ChronologyEventRow {
  id: string;
  child_id: string;
  occurred_on: string;
  event_type: string;
  source_agency: SourceAgency;
  source_organisation_id: string | null;
  summary: string;
}

/** One array per table, keyed by table name, in an order that satisfies the foreign keys. */
export interface DemoData {
  organisations: (OrganisationRow & { contact_email: string | null; front_door_email: string | null })[];
  teams: TeamRow[];
  social_workers: SocialWorkerRow[];
  children: ChildRow[];
  involvements: InvolvementRow[];
  allocations: AllocationRow[];
  child_organisation_relationships: RelationshipRow[];
  chronology_events: ChronologyEventRow[];
  information_sharing_agreements: AgreementRow[];
}

export interface GenerateOptions {
  children?: number;
  seed?: number;
  /** YYYY-MM-DD that every date is relative to; defaults to today (UTC). */
  referenceDate?: string;
}

export const DEFAULT_CHILDREN = 300;
export const DEFAULT_SEED = 20261123;
// A county's worth (issue 15): about 1 M children live in a large English county's area.
export const MAX_CHILDREN = 2_000_000;
// NHS numbers come from the 999 test range: a million nine-digit stems, about 91% of which
// have a check digit. Stay well below that so finding an unused one stays quick: once this many
// are in use, later children have none (as if not yet registered). Children numbered below this
// point are untouched by it, so child n is still the same whatever the total.
const MAX_NHS_NUMBERS = 750_000;

// ---- dates, as whole days since 1970-01-01 (UTC) ----------------------------------------------

const DAY_MS = 86_400_000;
const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS);

/** The UTC day number of a YYYY-MM-DD string, or undefined if it is not a real date. */
export function parseIsoDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const day = dayOf(Number(match[1]), Number(match[2]), Number(match[3]));
  return iso(day) === text ? day : undefined;
}

// Formatting dominates the run time at 100,000 children; the same few thousand days recur.
const isoCache = new Map<number, string>();
function iso(day: number): string {
  let text = isoCache.get(day);
  if (text === undefined) {
    text = dateOf(day).toISOString().slice(0, 10);
    isoCache.set(day, text);
  }
  return text;
}

/** The same calendar date n years on (29 February becomes 1 March). */
function addYears(day: number, years: number): number {
  const date = dateOf(day);
  return dayOf(date.getUTCFullYear() + years, date.getUTCMonth() + 1, date.getUTCDate());
}

function ageOn(dob: number, on: number): number {
  let age = dateOf(on).getUTCFullYear() - dateOf(dob).getUTCFullYear();
  if (addYears(dob, age) > on) age -= 1;
  return age;
}

/**
 * Children start reception in the school year (1 September to 31 August) in which they turn
 * five: the first 1 September after their fourth birthday.
 */
function receptionStart(dob: number): number {
  const fourth = addYears(dob, 4);
  const year = dateOf(fourth).getUTCFullYear();
  const september = dayOf(year, 9, 1);
  return september > fourth ? september : dayOf(year + 1, 9, 1);
}

// ---- identifiers ---------------------------------------------------------------------------

function nhsNumber(r: Random, used: Set<string>): string {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const stem = '999' + String(r.int(0, 999_999)).padStart(6, '0');
    const check = nhsCheckDigit(stem);
    if (check === undefined) continue; // a stem whose check digit would be 10 has no valid number
    const value = stem + check;
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
  throw new Error('could not find an unused NHS number in the 999 range');
}

const UPN_LETTERS = [...'ABCDEFGHJKLMNPQRTUVWXYZ'];
// Royal Mail leaves C, I, K, M, O and V out of the last two characters of a postcode.
const INWARD_LETTERS = [...'ABDEFGHJLNPQRSTUWXYZ'];

/**
 * LA code 990, a (primary) establishment number, the two-digit year it was issued, then a
 * three-digit serial; a temporary UPN ends in a letter instead of the last digit.
 */
function upn(r: Random, used: Set<string>, issuedYear: number): string {
  const year = String(issuedYear % 100).padStart(2, '0');
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const establishment = String(r.int(2000, 2999));
    const tail = r.chance(0.02)
      ? String(r.int(0, 99)).padStart(2, '0') + r.pick(UPN_LETTERS)
      : String(r.int(0, 999)).padStart(3, '0');
    const body = '990' + establishment + year + tail;
    const value = upnCheckLetter(body)! + body;
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
  throw new Error('could not find an unused UPN');
}

// ---- one child ------------------------------------------------------------------------------

// DfE's children in need census: neglect and emotional abuse are most CP plans.
const CATEGORIES: readonly (readonly [CpCategory, number])[] = [
  ['NEG', 48], ['EMO', 36], ['PHY', 7], ['SAB', 4], ['MUL', 5],
];
const STATUSES = [['cin', 35], ['cp', 20], ['lac', 15], ['closed', 30]] as const;
const GENDERS: readonly (readonly [ChildRow['gender'], number])[] = [['male', 49], ['female', 49], ['other', 1], ['not_known', 1]];

interface Context {
  seed: number;
  today: number;
  usedNhs: Set<string>;
  usedUpn: Set<string>;
  /** Social workers (not managers) of the team holding each kind of involvement, by area. */
  workers: Record<InvolvementKind, Record<'north' | 'south', readonly SocialWorkerRow[]>>;
  out: DemoData;
}

/** What the generator knows about the child it is building. */
interface Child {
  r: Random;
  id: string;
  dob: number;
  age: number;
  area: 'north' | 'south';
  sealed: boolean;
  school: DemoSchool | undefined;
  gp: OrganisationRow | undefined;
}

interface Involvement {
  kind: InvolvementKind;
  category: CpCategory | null;
  start: number;
  end: number | null;
}

/** A day from `from` to `to`, or `from` when the range is empty. */
const between = (r: Random, from: number, to: number) => (to <= from ? from : r.int(from, to));
const isoOrNull = (day: number | null) => (day === null ? null : iso(day));

function addChild(index: number, ctx: Context): Child {
  const { today } = ctx;
  const r = new Random(ctx.seed, index);
  const id = r.uuid();
  const gender = r.weighted(GENDERS);
  const forenames = gender === 'male' ? BOYS_FORENAMES : gender === 'female' ? GIRLS_FORENAMES : r.pick([BOYS_FORENAMES, GIRLS_FORENAMES]);
  // Ages 0 to 17: born after this day eighteen years ago.
  const dob = r.int(addYears(today, -18) + 1, today);
  const district = r.int(1, 8);
  const reception = receptionStart(dob);
  // The first child is always a sealed (adopted) record, so every demo has one to show.
  const sealed = index === 0 || r.chance(0.002);
  ctx.out.children.push({
    id,
    local_authority_id: NORTHBRIDGE_COUNCIL.id,
    forename: r.pick(forenames),
    surname: r.pick(SURNAMES),
    date_of_birth: iso(dob),
    gender,
    nhs_number: r.chance(0.97) && ctx.usedNhs.size < MAX_NHS_NUMBERS ? nhsNumber(r, ctx.usedNhs) : null,
    // A UPN is issued when a child starts school, so the youngest have none.
    upn: reception <= today && r.chance(0.98) ? upn(r, ctx.usedUpn, dateOf(reception).getUTCFullYear()) : null,
    address: `${r.chance(0.2) ? r.pick(FLAT_PREFIXES) + ', ' : ''}${r.int(1, 180)} ${r.pick(STREETS)}, Northbridge`,
    // NB is not a real postcode area.
    postcode: `NB${district} ${r.int(0, 9)}${r.pick(INWARD_LETTERS)}${r.pick(INWARD_LETTERS)}`,
    address_withheld: !sealed && r.chance(0.05),
    sealed,
  });
  const area = district <= 4 ? 'north' : 'south';
  return { r, id, dob, age: ageOn(dob, today), area, sealed, school: undefined, gp: undefined };
}

function addRelationship(ctx: Context, child: Child, organisation: OrganisationRow, kind: RelationshipRow['kind'], start: number, end: number | null = null): void {
  ctx.out.child_organisation_relationships.push({
    id: child.r.uuid(), child_id: child.id, organisation_id: organisation.id, kind, start_date: iso(start), end_date: isoOrNull(end),
  });
}

/** School, GP and health visiting / school nursing, as they would be for any child in the city. */
function addRelationships(ctx: Context, child: Child): void {
  const { r, dob, age } = child;
  const { today } = ctx;
  const reception = receptionStart(dob);
  if (reception <= today && age <= 16) {
    const secondary = addYears(reception, 7);
    const phase = secondary <= today ? 'secondary' : 'primary';
    const phaseStart = phase === 'secondary' ? secondary : reception;
    const schools = DEMO_SCHOOLS.filter((s) => s.phase === phase);
    const school = r.pick(schools);
    child.school = school;
    if (today - phaseStart >= 28 && r.chance(0.1)) {
      // A school move: the old enrolment ends the day the new one starts.
      const moved = r.int(phaseStart + 14, today - 7);
      addRelationship(ctx, child, r.pick(schools.filter((s) => s !== school)), 'enrolled', phaseStart, moved);
      addRelationship(ctx, child, school, 'enrolled', moved);
    } else {
      addRelationship(ctx, child, school, 'enrolled', phaseStart);
    }
    if (age >= 5 && r.chance(0.25)) addRelationship(ctx, child, DEMO_SCHOOL_NURSING_TEAM, 'caseload', Math.max(phaseStart, today - r.int(30, 700)));
  }
  // Most children are registered with a GP: usually since birth, sometimes since moving here.
  if (r.chance(0.93)) {
    child.gp = r.pick(DEMO_GP_PRACTICES);
    addRelationship(ctx, child, child.gp, 'registered', r.chance(0.7) ? Math.min(today, dob + r.int(7, 42)) : between(r, dob, today - r.int(30, 3000)));
  }
  // Every under-5 is on the health visitors' caseload from the new-birth visit.
  if (age < 5) addRelationship(ctx, child, DEMO_HEALTH_VISITING_TEAM, 'caseload', Math.min(today, dob + r.int(10, 14)));
}

/** The child's involvements, oldest first; at most the last is open (end null). */
function planInvolvements(child: Child, today: number): Involvement[] {
  const { r, dob } = child;
  const category = () => r.weighted(CATEGORIES);
  const status = child.sealed ? 'adopted' : r.weighted(STATUSES);
  const plan: Involvement[] = [];
  if (status === 'cin') {
    const start = Math.max(dob, today - r.int(7, 700));
    // Some children come back: an earlier episode closed months before this one.
    const earlierEnd = start - r.int(90, 700);
    if (earlierEnd > dob && r.chance(0.15)) {
      plan.push({ kind: 'child_in_need', category: null, start: Math.max(dob, earlierEnd - r.int(30, 400)), end: earlierEnd });
    }
    plan.push({ kind: 'child_in_need', category: null, start, end: null });
  } else if (status === 'cp') {
    const start = Math.max(dob, today - r.int(7, 600));
    // Often a child in need plan steps up to child protection on the day of the conference.
    const earlierStart = Math.max(dob, start - r.int(20, 300));
    if (earlierStart < start && r.chance(0.4)) plan.push({ kind: 'child_in_need', category: null, start: earlierStart, end: start });
    plan.push({ kind: 'child_protection', category: category(), start, end: null });
  } else if (status === 'lac') {
    const start = Math.max(dob, today - r.int(14, 2500));
    const earlierStart = Math.max(dob, start - r.int(60, 500));
    if (earlierStart < start && r.chance(0.3)) plan.push({ kind: 'child_protection', category: category(), start: earlierStart, end: start });
    plan.push({ kind: 'looked_after', category: null, start, end: null });
  } else if (status === 'closed') {
    const kind = r.weighted<InvolvementKind>([['child_in_need', 70], ['child_protection', 20], ['looked_after', 10]]);
    const end = Math.max(dob, today - r.int(1, 1200));
    plan.push({ kind, category: kind === 'child_protection' ? category() : null, start: Math.max(dob, end - r.int(30, 500)), end });
  } else {
    // Adopted: looked after until the adoption order, after which the record was sealed.
    const end = Math.max(dob, today - r.int(60, 1500));
    plan.push({ kind: 'looked_after', category: null, start: Math.max(dob, end - r.int(270, 900)), end });
  }
  return plan;
}

function addAllocation(ctx: Context, child: Child, worker: SocialWorkerRow, start: number, end: number | null): void {
  ctx.out.allocations.push({
    id: child.r.uuid(), child_id: child.id, social_worker_id: worker.id, start_date: iso(start), end_date: isoOrNull(end),
  });
}

/** Involvement rows, each held by the team for its kind; a few children have changed worker since. */
function addInvolvements(ctx: Context, child: Child, plan: readonly Involvement[]): void {
  const { r } = child;
  const { today } = ctx;
  for (const involvement of plan) {
    ctx.out.involvements.push({
      id: r.uuid(),
      child_id: child.id,
      kind: involvement.kind,
      cp_category: involvement.category,
      start_date: iso(involvement.start),
      end_date: isoOrNull(involvement.end),
      // The next review, or review conference for a CP plan, falls in the coming weeks.
      next_review_date: involvement.end === null ? iso(today + r.int(1, 56)) : null,
    });
    const team = ctx.workers[involvement.kind][child.area];
    const worker = r.pick(team);
    if (involvement.end === null && today - involvement.start >= 30 && r.chance(0.2)) {
      const changed = r.int(involvement.start + 14, today);
      const others = team.filter((w) => w !== worker);
      addAllocation(ctx, child, worker, involvement.start, changed);
      addAllocation(ctx, child, r.pick(others.length > 0 ? others : team), changed, null);
    } else {
      addAllocation(ctx, child, worker, involvement.start, involvement.end);
    }
  }
}

function addEvent(ctx: Context, child: Child, day: number, type: ChronologyEventType, agency: SourceAgency, organisation: OrganisationRow | undefined, summaries: readonly string[]): void {
  ctx.out.chronology_events.push({
    id: child.r.uuid(),
    child_id: child.id,
    occurred_on: iso(Math.min(ctx.today, Math.max(child.dob, day))),
    event_type: type,
    source_agency: agency,
    source_organisation_id: organisation?.id ?? null,
    summary: child.r.pick(summaries),
  });
}

function healthOrganisation(child: Child): OrganisationRow {
  return child.r.pick([child.gp ?? DEMO_EMERGENCY_DEPARTMENT, child.age < 5 ? DEMO_HEALTH_VISITING_TEAM : DEMO_EMERGENCY_DEPARTMENT]);
}

/** A referral, the council's response (assessment, or strategy discussion and conference), and a few reports. */
function addChronology(ctx: Context, child: Child, plan: readonly Involvement[]): void {
  const { r, school } = child;
  const S = CHRONOLOGY_SUMMARIES;
  plan.forEach((involvement, i) => {
    const until = involvement.end ?? ctx.today;
    if (i === 0) {
      const agency = r.weighted<SourceAgency>([['education', school ? 30 : 0], ['health', 25], ['police', 30], ['council', 15]]);
      const from = agency === 'education' ? school : agency === 'health' ? healthOrganisation(child) : agency === 'police' ? NORTHBRIDGE_POLICE : NORTHBRIDGE_COUNCIL;
      addEvent(ctx, child, involvement.start - r.int(0, 14), 'referral', agency, from, S.referral[agency]);
    }
    if (involvement.kind === 'child_protection') {
      addEvent(ctx, child, involvement.start - r.int(2, 14), 'strategy_discussion', 'council', NORTHBRIDGE_COUNCIL, S.strategy_discussion);
      addEvent(ctx, child, involvement.start, 'child_protection_conference', 'council', NORTHBRIDGE_COUNCIL, S.child_protection_conference);
    } else {
      addEvent(ctx, child, between(r, involvement.start, Math.min(until, involvement.start + 45)), 'assessment', 'council', NORTHBRIDGE_COUNCIL, S.assessment);
    }
    for (let n = r.int(0, 3); n > 0; n--) {
      const day = between(r, involvement.start, until);
      const type = r.weighted<ChronologyEventType>([['home_visit', 4], ['school_report', school ? 3 : 0], ['health_report', 2], ['police_notification', 1]]);
      if (type === 'school_report') addEvent(ctx, child, day, type, 'education', school, S.school_report);
      else if (type === 'health_report') addEvent(ctx, child, day, type, 'health', healthOrganisation(child), S.health_report);
      else if (type === 'police_notification') addEvent(ctx, child, day, type, 'police', NORTHBRIDGE_POLICE, S.police_notification);
      else addEvent(ctx, child, day, 'home_visit', 'council', NORTHBRIDGE_COUNCIL, S.home_visit);
    }
  });
}

function workersByKindAndArea(): Context['workers'] {
  const of = (kind: InvolvementKind, area: 'north' | 'south') => {
    const team = DEMO_TEAMS.find((t) => t.handles === kind && (t.area === area || t.area === 'all'))!;
    return DEMO_SOCIAL_WORKERS.filter((w) => w.team_id === team.id && w.role === 'social_worker');
  };
  return {
    child_in_need: { north: of('child_in_need', 'north'), south: of('child_in_need', 'south') },
    child_protection: { north: of('child_protection', 'north'), south: of('child_protection', 'south') },
    looked_after: { north: of('looked_after', 'north'), south: of('looked_after', 'south') },
  };
}

/** Every row, in memory: for the demo's few hundred children and tests. */
export function generateDemoData(options: GenerateOptions = {}): DemoData {
  const out = emptyDemoData();
  for (const chunk of generateDemoDataInChunks(options, 10_000)) {
    for (const table of Object.keys(out) as (keyof DemoData)[]) for (const row of chunk[table]) (out[table] as unknown[]).push(row);
  }
  return out;
}

function emptyDemoData(): DemoData {
  return {
    organisations: [], teams: [], social_workers: [], children: [], involvements: [], allocations: [],
    child_organisation_relationships: [], chronology_events: [], information_sharing_agreements: [],
  };
}

/**
 * The same rows as generateDemoData, `chunkSize` children at a time (the directory tables in the
 * first chunk only), so a million children never need to be held in memory at once.
 */
export function* generateDemoDataInChunks(options: GenerateOptions = {}, chunkSize = 20_000): Generator<DemoData> {
  const children = options.children ?? DEFAULT_CHILDREN;
  const seed = options.seed ?? DEFAULT_SEED;
  const referenceDate = options.referenceDate ?? new Date().toISOString().slice(0, 10);
  if (!Number.isInteger(children) || children < 0 || children > MAX_CHILDREN) {
    throw new RangeError(`children must be a whole number from 0 to ${MAX_CHILDREN}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError('seed must be a whole number from 0 to 4294967295');
  }
  const today = parseIsoDate(referenceDate);
  if (today === undefined) throw new RangeError('referenceDate must be a date written YYYY-MM-DD');

  const directory: DemoData = {
    ...emptyDemoData(),
    // Only the table's columns: the constants carry extra fields for the generator.
    organisations: DEMO_ORGANISATIONS.map(({ id, kind, name, la_code, urn, ods_code, force_code, duty_phone, out_of_hours_phone }) =>
      ({ id, kind, name, la_code, urn, ods_code, force_code, duty_phone, out_of_hours_phone,
         contact_email: kind === 'local_authority' ? NORTHBRIDGE_INFORMATION_GOVERNANCE_EMAIL : null,
         front_door_email: kind === 'local_authority' ? NORTHBRIDGE_FRONT_DOOR_EMAIL : null })),
    teams: DEMO_TEAMS.map(({ id, local_authority_id, name, phone }) => ({ id, local_authority_id, name, phone })),
    social_workers: DEMO_SOCIAL_WORKERS.map((worker) => ({ ...worker })),
    information_sharing_agreements: demoAgreements(referenceDate),
  };
  const ctx: Context = { seed, today, usedNhs: new Set(), usedUpn: new Set(), workers: workersByKindAndArea(), out: directory };
  let index = 0;
  do {
    const end = Math.min(children, index + chunkSize);
    for (; index < end; index++) {
      const child = addChild(index, ctx);
      addRelationships(ctx, child);
      const plan = planInvolvements(child, today);
      addInvolvements(ctx, child, plan);
      addChronology(ctx, child, plan);
    }
    yield ctx.out;
    ctx.out = emptyDemoData();
  } while (index < children);
}
