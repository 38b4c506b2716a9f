// The permission matrix (DESIGN.md §3 and §8; issue 4, point 6). Every field of every child
// holds a value found nowhere else (a sentinel). For every role, every relationship between the
// signed-in user and a child, and every state a child can be in, this fetches the real pages and
// partials from the real app (in process, through hono's app.request()), as the real demo
// accounts, each with the session its sign-in makes (test/support/demo-session.ts), and checks
// which sentinels and which `data-field` rows are there against the hand-written table in
// ./permission-matrix.md. The table is not derived from policies/*.yaml: it is what checks them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleNames, roles, type Role } from '../src/auth/roles.ts';
import { nhsCheckDigit } from '../src/identifiers/nhs-number.ts';
import { upnCheckLetter } from '../src/identifiers/upn.ts';
import { lookupReasons } from '../src/lookup/form.ts';
import { childFieldNames, type ChildField } from '../src/policy/fields.ts';
import {
  ASSESSMENT_TEAM_NORTH,
  DEMO_GP_PRACTICES,
  DEMO_HEALTH_VISITING_TEAM,
  DEMO_SCHOOL_NURSING_TEAM,
  DEMO_SCHOOLS,
  DEMO_SOCIAL_WORKERS,
  NORTHBRIDGE_COUNCIL,
} from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { signedInAs } from './support/demo-session.ts';
import { hiddenField, type TestClient } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { readMarkdownTable } from './support/markdown-table.ts';
import { formatDate } from '../src/web/format.ts';

// ---------------------------------------------------------------------------------------------
// The table

/** What each column of the table stands for (the legend of permission-matrix.md). */
const FIELD_COLUMNS = {
  name: ['forename', 'surname'],
  dob: ['dateOfBirth'],
  gender: ['gender'],
  nhs: ['nhsNumber'],
  upn: ['upn'],
  address: ['address', 'postcode'],
  legal: ['legalStatus'],
  cpCat: ['cpCategory'],
  start: ['involvementStartDate'],
  review: ['nextReviewDate'],
  cpis: ['cpisStatus', 'cpisStartDate'],
  worker: ['workerName', 'workerPhone', 'teamName', 'teamPhone'],
  council: ['councilName', 'dutyPhone', 'outOfHoursPhone'],
  links: ['relationships'],
  chron: ['chronology'],
  viewedBy: ['viewedBy'],
} as const satisfies Record<string, readonly ChildField[]>;
const PAGE_COLUMNS = ['list', 'summary', 'lookup'] as const;

/** The columns a list row has (the legend: name, date of birth, legal status, next review). */
const LIST_FIELDS: readonly ChildField[] = ['forename', 'surname', 'dateOfBirth', 'legalStatus', 'nextReviewDate'];

const STATES = ['child in need', 'CP plan', 'looked after', 'address withheld', 'sealed', 'closed', 'restricted'] as const;
type State = (typeof STATES)[number];

interface Expectation {
  list: boolean;
  summary: boolean;
  lookup: boolean;
  fields: ReadonlySet<ChildField>;
}

interface MatrixRow extends Expectation {
  line: number;
  roles: Role[];
  relationship: string;
  state: State;
}

function parseMatrix(markdown: string): MatrixRow[] {
  const { header: columns, rows } = readMarkdownTable(markdown, '## The matrix', 'permission-matrix.md');
  const expected = ['role', 'relationship', 'state', ...PAGE_COLUMNS, ...Object.keys(FIELD_COLUMNS)];
  if (columns.join(',') !== expected.join(',')) throw new Error(`permission-matrix.md: columns are ${columns.join(', ')}; expected ${expected.join(', ')}`);
  return rows.map(({ cells: row, line }) => {
    const at = `permission-matrix.md line ${line}`;
    const cell = (column: string) => {
      const value = row[columns.indexOf(column)]!;
      if (value === '✓') return true;
      if (value === '—') return false;
      throw new Error(`${at}: "${value}" in column ${column} (write ✓ or —)`);
    };
    const rowRoles = row[0]!.split(',').map((r) => r.trim());
    for (const role of rowRoles) if (!(roleNames as string[]).includes(role)) throw new Error(`${at}: no role "${role}"`);
    const state = row[2] as State;
    if (!STATES.includes(state)) throw new Error(`${at}: no state "${state}"`);
    const fields = new Set<ChildField>();
    for (const [column, members] of Object.entries(FIELD_COLUMNS)) if (cell(column)) members.forEach((f) => fields.add(f));
    const parsed: MatrixRow = { line, roles: rowRoles as Role[], relationship: row[1]!, state, list: cell('list'), summary: cell('summary'), lookup: cell('lookup'), fields };
    if (fields.size > 0 && !parsed.list && !parsed.summary && !parsed.lookup) throw new Error(`${at}: fields ✓ but no page shows the child`);
    if (fields.size === 0 && (parsed.summary || parsed.lookup)) throw new Error(`${at}: a page shows the child but no field is ✓`);
    return parsed;
  });
}

const MATRIX = parseMatrix(readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8'));

// ---------------------------------------------------------------------------------------------
// The children: one per group × state. A group fixes how the child stands to the demo accounts.

type Group = 'A' | 'B' | 'C' | 'D' | 'E';
const GROUPS: readonly Group[] = ['A', 'B', 'C', 'D', 'E'];

const riverside = DEMO_SCHOOLS[0]!;
const northbridgeHigh = DEMO_SCHOOLS[6]!;
const canalWharf = DEMO_GP_PRACTICES[0]!;
const familyHealthCentre = DEMO_GP_PRACTICES[1]!;
const priya = DEMO_SOCIAL_WORKERS.find((w) => w.name === 'Priya Desai')!;

type Link = { organisation: { id: string; name: string }; kind: 'enrolled' | 'registered' | 'caseload' };
const linksA: Link[] = [
  { organisation: riverside, kind: 'enrolled' },
  { organisation: canalWharf, kind: 'registered' },
  { organisation: DEMO_HEALTH_VISITING_TEAM, kind: 'caseload' },
];
const linksB: Link[] = [
  { organisation: northbridgeHigh, kind: 'enrolled' },
  { organisation: familyHealthCentre, kind: 'registered' },
  { organisation: DEMO_SCHOOL_NURSING_TEAM, kind: 'caseload' },
];

/**
 * A: on roll at Riverside, registered at Canal Wharf, on the health visitors' caseload (formerly
 *    at Northbridge High, Family Health Centre, school nurses); allocated to a worker of its own
 *    team (formerly to Priya Desai).
 * B: the mirror image of A.
 * C: no school or health service; allocated to Priya Desai (Assessment Team North).
 * D: no school or health service; allocated to another worker of Assessment Team North
 *    (formerly to Priya Desai).
 * E: no school or health service; allocated to nobody (formerly to Priya Desai).
 */
const GROUP_SETUP: Record<Group, { current: Link[]; ended: Link[]; worker: 'own team' | 'priya' | 'teammate' | null; formerlyPriya: boolean }> = {
  A: { current: linksA, ended: linksB, worker: 'own team', formerlyPriya: true },
  B: { current: linksB, ended: linksA, worker: 'own team', formerlyPriya: true },
  C: { current: [], ended: [], worker: 'priya', formerlyPriya: false },
  D: { current: [], ended: [], worker: 'teammate', formerlyPriya: true },
  E: { current: [], ended: [], worker: null, formerlyPriya: true },
};

/** The demo accounts, and which groups each relationship of the table means for them. */
const ALL: Group[] = [...GROUPS];
const ACCOUNTS: Array<{ sub: string; role: Role; relationships: Record<string, Group[]> }> = [
  { sub: 'dsl-riverside', role: 'education.dsl', relationships: { same: ['A'], another: ['B'], none: ['C', 'D', 'E'] } },
  { sub: 'dsl-northbridge-high', role: 'education.dsl', relationships: { same: ['B'], another: ['A'], none: ['C', 'D', 'E'] } },
  { sub: 'deputy-dsl-riverside', role: 'education.deputy_dsl', relationships: { same: ['A'], another: ['B'], none: ['C', 'D', 'E'] } },
  { sub: 'gp-canal-wharf', role: 'health.gp', relationships: { same: ['A'], another: ['B'], none: ['C', 'D', 'E'] } },
  { sub: 'health-visitor', role: 'health.health_visitor', relationships: { same: ['A'], another: ['B'], none: ['C', 'D', 'E'] } },
  { sub: 'school-nurse', role: 'health.school_nurse', relationships: { same: ['B'], another: ['A'], none: ['C', 'D', 'E'] } },
  { sub: 'ed-clinician', role: 'health.emergency_department', relationships: { any: ALL } },
  { sub: 'police-ppu', role: 'police.public_protection', relationships: { any: ALL } },
  { sub: 'front-door', role: 'council.front_door', relationships: { any: ALL } },
  { sub: 'sw-priya-desai', role: 'council.social_worker', relationships: { me: ['C'], 'someone else': ['A', 'B', 'D'], nobody: ['E'] } },
  { sub: 'tm-helen-whitaker', role: 'council.team_manager', relationships: { 'my team': ['C', 'D'], 'another team': ['A', 'B'], nobody: ['E'] } },
  { sub: 'info-governance', role: 'council.information_governance', relationships: { any: ALL } },
  { sub: 'data-officer', role: 'council.data_officer', relationships: { any: ALL } },
  { sub: 'quality-lead', role: 'council.quality_lead', relationships: { any: ALL } },
];

const STATE_CODES: Record<State, string> = {
  'child in need': 'cin',
  'CP plan': 'cp',
  'looked after': 'lac',
  'address withheld': 'wh',
  sealed: 'seal',
  closed: 'closed',
  restricted: 'rst',
};

/** A value that appears nowhere else; on a page exactly when one of `fields` of its child is shown. */
interface Sentinel {
  value: string;
  fields: ChildField[];
  pattern: RegExp;
}

interface TestChild {
  key: string;
  group: Group;
  state: State;
  id: string;
  forename: string;
  surname: string;
  dateOfBirth: string;
  nhsNumber: string;
  postcode: string;
  sentinels: Sentinel[];
  /** What each summary-list row (`data-field`) should say, for the fields shown as a row. */
  display: Partial<Record<ChildField, string>>;
  /** The relationships row's list items. */
  relationshipItems: string[];
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const shown = (iso: string) => dateFormat.format(new Date(`${iso}T00:00:00Z`));
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sentinel = (value: string, ...fields: ChildField[]): Sentinel => ({
  value,
  fields,
  pattern: new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(value)}(?![A-Za-z0-9])`),
});

/** The involvement that puts a child in each state (closed: ended). */
const INVOLVEMENT: Record<State, { kind: 'child_in_need' | 'child_protection' | 'looked_after'; cpCategory: 'PHY' | 'EMO' | null }> = {
  'child in need': { kind: 'child_in_need', cpCategory: null },
  'CP plan': { kind: 'child_protection', cpCategory: 'PHY' },
  'looked after': { kind: 'looked_after', cpCategory: null },
  'address withheld': { kind: 'child_protection', cpCategory: 'EMO' },
  sealed: { kind: 'looked_after', cpCategory: null },
  closed: { kind: 'child_in_need', cpCategory: null },
  restricted: { kind: 'child_protection', cpCategory: 'PHY' },
};

const LEGAL_STATUS: Record<State, string> = {
  'child in need': 'Child in need',
  'CP plan': 'Child protection plan',
  'looked after': 'Looked after',
  'address withheld': 'Child protection plan',
  sealed: 'Looked after',
  closed: 'No open involvement',
  restricted: 'Child protection plan',
};

function nhsNumbers(): () => string {
  let next = 999_000_001;
  return () => {
    for (;;) {
      const firstNine = String(next++);
      const check = nhsCheckDigit(firstNine);
      if (check !== undefined) return `${firstNine}${check}`;
    }
  };
}

interface Rows {
  teams: object[];
  workers: object[];
  children: object[];
  involvements: object[];
  allocations: object[];
  relationships: object[];
  chronology: object[];
  views: object[];
}

/** Builds the children (with their sentinels) and the rows that record them. */
function buildChildren(): { children: TestChild[]; rows: Rows } {
  const rows: Rows = { teams: [], workers: [], children: [], involvements: [], allocations: [], relationships: [], chronology: [], views: [] };
  const nextNhs = nhsNumbers();
  const children: TestChild[] = [];
  GROUPS.forEach((group, g) => {
    STATES.forEach((state, s) => {
      const i = g * STATES.length + s;
      const key = `${group}${STATE_CODES[state]}`;
      const id = crypto.randomUUID();
      const setup = GROUP_SETUP[group];
      const forename = `Forename-${key}`;
      const surname = `Surname-${key}`;
      const dateOfBirth = addDays('2014-02-01', i);
      const nhsNumber = nextNhs();
      const upnBody = `99000000${String(i).padStart(3, '0')}${i % 10}`;
      const upn = `${upnCheckLetter(upnBody)!}${upnBody}`;
      const address = `${10 + i} Address-${key} Road, Northbridge`;
      const postcode = `QX${10 + i} 9ZZ`;
      const gender = i % 2 ? 'male' : 'female';
      const sentinels: Sentinel[] = [
        sentinel(forename, 'forename'),
        sentinel(surname, 'surname'),
        sentinel(shown(dateOfBirth), 'dateOfBirth'),
        sentinel(nhsNumber, 'nhsNumber'),
        sentinel(upn, 'upn'),
        sentinel(address, 'address'),
        sentinel(postcode, 'postcode'),
      ];
      rows.children.push({
        id, local_authority_id: NORTHBRIDGE_COUNCIL.id, forename, surname, date_of_birth: dateOfBirth, gender,
        nhs_number: nhsNumber, upn, address, postcode, address_withheld: state === 'address withheld', sealed: state === 'sealed',
        restricted: state === 'restricted',
      });

      // The involvement that gives the state.
      const open = state !== 'closed';
      const startDate = addDays('2023-02-01', i);
      const reviewDate = addDays('2027-02-01', i);
      const { kind, cpCategory } = INVOLVEMENT[state];
      if (open) {
        rows.involvements.push({ child_id: id, kind, cp_category: cpCategory, start_date: startDate, end_date: null, next_review_date: reviewDate });
        // For a CP plan or looked-after status, the CP-IS start date is the involvement's.
        sentinels.push(sentinel(shown(startDate), 'involvementStartDate', ...(kind === 'child_in_need' ? [] : (['cpisStartDate'] as const))));
        sentinels.push(sentinel(shown(reviewDate), 'nextReviewDate'));
      } else {
        // A closed involvement's dates belong to no field: they are never shown.
        const [closedStart, closedEnd, closedReview] = [addDays('2021-03-01', i), addDays('2022-03-01', i), addDays('2022-06-01', i)];
        rows.involvements.push({ child_id: id, kind, cp_category: null, start_date: closedStart, end_date: closedEnd, next_review_date: closedReview });
        sentinels.push(sentinel(shown(closedStart)), sentinel(shown(closedEnd)), sentinel(shown(closedReview)));
      }

      // The allocated worker and team.
      let worker: { name: string; phone: string } | null = null;
      let team: { name: string; phone: string } | null = null;
      let workerId: string | null = null;
      if (setup.worker === 'own team') {
        const teamId = crypto.randomUUID();
        team = { name: `Team-${key}`, phone: `01632 960${100 + i}` };
        rows.teams.push({ id: teamId, local_authority_id: NORTHBRIDGE_COUNCIL.id, ...team });
        sentinels.push(sentinel(team.name, 'teamName'), sentinel(team.phone, 'teamPhone'));
        workerId = crypto.randomUUID();
        worker = { name: `Worker-${key}`, phone: `07700 900${600 + i}` };
        rows.workers.push({ id: workerId, team_id: teamId, email: `worker-${key.toLowerCase()}@test.northbridge.example`, role: 'social_worker', ...worker });
        sentinels.push(sentinel(worker.name, 'workerName'), sentinel(worker.phone, 'workerPhone'));
      } else if (setup.worker === 'teammate') {
        team = ASSESSMENT_TEAM_NORTH;
        workerId = crypto.randomUUID();
        worker = { name: `Worker-${key}`, phone: `07700 900${600 + i}` };
        rows.workers.push({ id: workerId, team_id: ASSESSMENT_TEAM_NORTH.id, email: `worker-${key.toLowerCase()}@test.northbridge.example`, role: 'social_worker', ...worker });
        sentinels.push(sentinel(worker.name, 'workerName'), sentinel(worker.phone, 'workerPhone'));
      } else if (setup.worker === 'priya') {
        team = ASSESSMENT_TEAM_NORTH;
        workerId = priya.id;
        worker = priya;
      }
      if (setup.formerlyPriya) rows.allocations.push({ child_id: id, social_worker_id: priya.id, start_date: '2022-01-01', end_date: '2022-12-31' });
      if (workerId) rows.allocations.push({ child_id: id, social_worker_id: workerId, start_date: '2023-01-01', end_date: null });

      // Schools and health services, now and before.
      const relationshipItems: string[] = [];
      const label = { enrolled: 'On roll at', registered: 'Registered with', caseload: 'On the caseload of' };
      setup.current.forEach((link, k) => {
        const since = addDays('2019-01-01', i * 6 + k);
        rows.relationships.push({ child_id: id, organisation_id: link.organisation.id, kind: link.kind, start_date: since, end_date: null });
        sentinels.push(sentinel(shown(since), 'relationships'));
        relationshipItems.push(`${label[link.kind]} ${link.organisation.name} since ${shown(since)}`);
      });
      setup.ended.forEach((link, k) => {
        const [from, to] = [addDays('2016-01-01', i * 6 + k), addDays('2018-01-01', i * 6 + k)];
        rows.relationships.push({ child_id: id, organisation_id: link.organisation.id, kind: link.kind, start_date: from, end_date: to });
        sentinels.push(sentinel(shown(from)), sentinel(shown(to)));
      });

      // The chronology, and someone who has viewed the record already.
      const occurred = addDays('2024-06-01', i);
      rows.chronology.push({ child_id: id, occurred_on: occurred, event_type: 'Contact', source_agency: 'council', summary: `Chronology-${key}` });
      sentinels.push(sentinel(`Chronology-${key}`, 'chronology'), sentinel(shown(occurred), 'chronology'));
      rows.views.push({
        issuer: 'https://test.invalid', subject: `viewer-${key}`, user_name: `Viewer-${key}`, organisation_id: null,
        organisation_name: `ViewerOrg-${key}`, role: 'health.gp', child_id: id, action: 'view_summary', reason: null, request_id: `matrix-${key}`,
      });
      sentinels.push(sentinel(`Viewer-${key}`, 'viewedBy'), sentinel(`ViewerOrg-${key}`, 'viewedBy'));

      const notRecorded = 'Not recorded';
      const cpis = kind === 'child_in_need' ? null : kind === 'child_protection' ? 'Child protection plan' : 'Looked after';
      children.push({
        key, group, state, id, forename, surname, dateOfBirth, nhsNumber, postcode, sentinels, relationshipItems,
        display: {
          forename,
          surname,
          dateOfBirth: shown(dateOfBirth),
          gender: gender === 'male' ? 'Male' : 'Female', // as the summary says it (src/children/labels.ts)
          nhsNumber,
          upn,
          address,
          postcode,
          legalStatus: LEGAL_STATUS[state],
          cpCategory: cpCategory ? (cpCategory === 'PHY' ? 'Physical abuse' : 'Emotional abuse') : 'Not on a child protection plan', // in words, without the census code
          involvementStartDate: open ? shown(startDate) : notRecorded,
          nextReviewDate: open ? shown(reviewDate) : notRecorded,
          cpisStatus: open && cpis ? cpis : 'No child protection plan or looked-after status',
          cpisStartDate: open && cpis ? shown(startDate) : notRecorded,
          workerName: worker?.name ?? notRecorded,
          workerPhone: worker?.phone ?? notRecorded,
          teamName: team?.name ?? notRecorded,
          teamPhone: team?.phone ?? notRecorded,
          councilName: NORTHBRIDGE_COUNCIL.name,
          dutyPhone: NORTHBRIDGE_COUNCIL.duty_phone,
          outOfHoursPhone: NORTHBRIDGE_COUNCIL.out_of_hours_phone,
        },
      });
    });
  });
  return { children, rows };
}

const { children: CHILDREN, rows: ROWS } = buildChildren();
const childAt = (group: Group, state: State) => CHILDREN.find((c) => c.group === group && c.state === state)!;

/** The table's expectation for one account and one child (exactly one row must say). */
function expectationFor(account: (typeof ACCOUNTS)[number], child: TestChild): MatrixRow {
  const relationship = Object.entries(account.relationships).find(([, groups]) => groups.includes(child.group))?.[0];
  const rows = MATRIX.filter((r) => r.roles.includes(account.role) && r.relationship === relationship && r.state === child.state);
  if (rows.length !== 1) throw new Error(`permission-matrix.md: ${rows.length} rows for ${account.role} / ${relationship} / ${child.state} (expected 1)`);
  return rows[0]!;
}

// ---------------------------------------------------------------------------------------------
// Checking a page

/** The summary-list rows of a child's page: field → the text of its value. */
function summaryRows(html: string): Map<string, string> {
  const found = new Map<string, string>();
  const pattern = /<div class="govuk-summary-list__row" data-field="([^"]+)">\s*<dt class="govuk-summary-list__key">[^<]*<\/dt>\s*<dd class="govuk-summary-list__value">([\s\S]*?)<\/dd>/g;
  for (const match of html.matchAll(pattern)) found.set(match[1]!, match[2]!.trim());
  return found;
}

interface ListRow { id: string; name: string; dateOfBirth: string; legalStatus: string; nextReviewDate: string }
function listRows(html: string): ListRow[] {
  // Each row's cells are named by data-column; a column the role has no field for is not there
  // at all (read as ''). The legal status is a tag for each open involvement, read as "A and B".
  const rowPattern = /<tr class="govuk-table__row">\s*<td class="govuk-table__cell" data-column="name"><a class="govuk-link" href="\/children\/([0-9a-f-]{36})">([^<]*)<\/a><\/td>([\s\S]*?)<\/tr>/g;
  return [...html.matchAll(rowPattern)].map((m) => {
    const cells = new Map([...m[3]!.matchAll(/<td class="govuk-table__cell" data-column="([A-Za-z]+)">([\s\S]*?)<\/td>/g)].map((c) => [c[1]!, c[2]!]));
    const tags = [...(cells.get('legalStatus') ?? '').matchAll(/<strong class="govuk-tag[^"]*">([^<]*)<\/strong>/g)].map((t) => t[1]!);
    return { id: m[1]!, name: m[2]!, dateOfBirth: cells.get('dateOfBirth') ?? '', legalStatus: tags.join(' and '), nextReviewDate: cells.get('nextReviewDate') ?? '' };
  });
}

/**
 * Every sentinel of every child is on the page exactly when the page shows one of its fields
 * for that child; no other child's id is on it at all. `visible` is "key:field".
 */
function checkSentinels(problems: string[], where: string, html: string, visible: ReadonlySet<string>, ids: ReadonlySet<string>) {
  for (const child of CHILDREN) {
    for (const s of child.sentinels) {
      const expected = s.fields.some((f) => visible.has(`${child.key}:${f}`));
      const present = s.pattern.test(html);
      if (present !== expected) {
        problems.push(`${where}: ${child.key}'s ${s.fields.join('/') || 'never-shown value'} "${s.value}" is ${present ? 'PRESENT' : 'absent'}, expected ${expected ? 'present' : 'absent'}`);
      }
    }
    if (!ids.has(child.id) && html.includes(child.id)) problems.push(`${where}: ${child.key}'s id is on the page`);
  }
}

const escaped = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const spacedNhs = (value: string) => value.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3');

/**
 * A lookup's answer with what was typed taken out where it is echoed by design (issue 12, point
 * 6): the hand-off's hidden fields, the cells of the "Matched on" / "You looked up" list, and the
 * identifiers in the heading. Only the typed values are replaced: the rest of the page, and any
 * value of the record, is still checked.
 */
function withoutTyped(html: string, fields: Record<string, string>): string {
  const typed = ['nhsNumber', 'surname', 'dob-day', 'dob-month', 'dob-year', 'postcode'].map((name) => fields[name] ?? '').filter(Boolean);
  const dob = fields['dob-year'] ? formatDate(`${fields['dob-year']}-${fields['dob-month']!.padStart(2, '0')}-${fields['dob-day']!.padStart(2, '0')}`) : null;
  const cells = [fields.nhsNumber && spacedNhs(fields.nhsNumber), fields.surname, fields.postcode, dob].filter((v): v is string => Boolean(v));
  // The hand-off form's hidden fields.
  let page = html.replace(/<form method="post" action="\/concerns\/from-lookup"[\s\S]*?<\/form>/, (form) =>
    typed.reduce((region, value) => region.replaceAll(`value="${escaped(value)}"`, 'value="«typed»"'), form));
  // The "Matched on" / "You looked up" list's cells.
  page = page.replace(/<dl[^>]*data-testid="looked-up">[\s\S]*?<\/dl>/, (list) =>
    cells.reduce((region, value) => region.replaceAll(`>${escaped(value)}<`, '>«typed»<'), list));
  // The heading's identifiers.
  page = page.replace(/<h1[^>]*data-testid="lookup-heading">[\s\S]*?<\/h1>/, (heading) => {
    let h = heading;
    if (fields.nhsNumber) h = h.replaceAll(`NHS number ${spacedNhs(fields.nhsNumber)}:`, 'NHS number «typed»:');
    if (fields.surname) h = h.replaceAll(`Last name ${escaped(fields.surname)}, `, 'Last name «typed», ');
    if (dob) h = h.replaceAll(`, born ${dob}:`, ', born «typed»:');
    return h;
  });
  return page;
}

/** A child's own page (summary or lookup result): exactly the expected rows, saying the right things. */
function checkChildPage(problems: string[], where: string, html: string, child: TestChild, fields: ReadonlySet<ChildField>) {
  const markers = new Set([...html.matchAll(/data-field="([^"]+)"/g)].map((m) => m[1]!));
  for (const f of fields) if (!markers.has(f)) problems.push(`${where}: ${child.key}'s ${f} is MISSING`);
  for (const f of markers) if (!fields.has(f as ChildField)) problems.push(`${where}: ${child.key}'s ${f} is SHOWN, expected absent`);
  const rows = summaryRows(html);
  const rowMarkers = [...markers].filter((f) => f !== 'chronology' && f !== 'viewedBy');
  if (rows.size !== rowMarkers.length) problems.push(`${where}: ${rowMarkers.length} fields but ${rows.size} summary rows understood`);
  for (const [field, text] of rows) {
    if (field === 'relationships') {
      const items = [...text.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!).sort();
      const expected = [...child.relationshipItems].sort();
      if (expected.length === 0 ? text !== 'None recorded' : items.join('\n') !== expected.join('\n')) {
        problems.push(`${where}: ${child.key}'s relationships say ${JSON.stringify(text)}, expected ${JSON.stringify(expected)}`);
      }
      continue;
    }
    const expected = child.display[field as ChildField];
    if (expected !== undefined && text !== expected) problems.push(`${where}: ${child.key}'s ${field} says "${text}", expected "${expected}"`);
  }
  const visible = new Set([...fields].map((f) => `${child.key}:${f}`));
  checkSentinels(problems, where, html, visible, new Set([child.id]));
}

/** A list (page or partial): exactly the expected children, each with the expected columns. */
function checkList(problems: string[], where: string, html: string, expected: Array<{ child: TestChild; fields: ReadonlySet<ChildField> }>) {
  const rows = listRows(html);
  const links = html.match(/href="\/children\/[0-9a-f-]{36}"/g) ?? [];
  if (links.length !== rows.length) problems.push(`${where}: ${links.length} links to children but ${rows.length} list rows understood`);
  const count = /data-testid="result-count">(\d+) /.exec(html)?.[1];
  if (count !== String(expected.length)) problems.push(`${where}: result count ${count}, expected ${expected.length}`);
  const visible = new Set<string>();
  for (const { child, fields } of expected) {
    const row = rows.find((r) => r.id === child.id);
    if (!row) {
      problems.push(`${where}: ${child.key} is MISSING from the list`);
      continue;
    }
    const has = (f: ChildField) => fields.has(f) && LIST_FIELDS.includes(f);
    LIST_FIELDS.forEach((f) => has(f) && visible.add(`${child.key}:${f}`));
    const name = [has('forename') ? child.forename : '', has('surname') ? child.surname : ''].filter(Boolean).join(' ') || 'View summary';
    const want: Omit<ListRow, 'id'> = {
      name,
      dateOfBirth: has('dateOfBirth') ? child.display.dateOfBirth! : '',
      legalStatus: has('legalStatus') ? child.display.legalStatus! : '',
      nextReviewDate: has('nextReviewDate') && child.state !== 'closed' ? child.display.nextReviewDate! : '',
    };
    const { id: _id, ...got } = row;
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${where}: ${child.key}'s list row is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  // A column only where the role has its field: its header is there exactly when a listed child shows it.
  if (rows.length) {
    const headers = new Set([...html.matchAll(/<th scope="col" class="govuk-table__header" data-column="([A-Za-z]+)"/g)].map((m) => m[1]!));
    for (const field of ['dateOfBirth', 'legalStatus', 'nextReviewDate'] as const) {
      const wanted = expected.some((e) => e.fields.has(field));
      if (headers.has(field) !== wanted) problems.push(`${where}: the ${field} column is ${headers.has(field) ? 'SHOWN' : 'absent'}, expected ${wanted ? 'shown' : 'absent'}`);
    }
  }
  for (const row of rows) {
    if (!expected.some((e) => e.child.id === row.id)) {
      const child = CHILDREN.find((c) => c.id === row.id);
      problems.push(`${where}: ${child?.key ?? row.id} is LISTED, expected absent`);
    }
  }
  checkSentinels(problems, where, html, visible, new Set(expected.map((e) => e.child.id)));
}

// ---------------------------------------------------------------------------------------------
// The test

const db = useTestDatabase();
let app: InProcessApp;
const clients = new Map<string, TestClient>();
const HTMX = { 'HX-Request': 'true', 'HX-Target': 'children-results' };
const UNKNOWN_CHILD = '00000000-0000-4000-8000-000000000000';
/** Valid, and no child has it. */
const UNKNOWN_NHS_NUMBER = '9434765919';

beforeAll(async () => {
  const sql = db().sql;
  await seedDemoData(sql, { children: 0 });
  await sql`insert into teams ${sql(ROWS.teams as never[])}`;
  await sql`insert into social_workers ${sql(ROWS.workers as never[])}`;
  await sql`insert into children ${sql(ROWS.children as never[])}`;
  await sql`insert into involvements ${sql(ROWS.involvements as never[])}`;
  await sql`insert into allocations ${sql(ROWS.allocations as never[])}`;
  await sql`insert into child_organisation_relationships ${sql(ROWS.relationships as never[])}`;
  await sql`insert into chronology_events ${sql(ROWS.chronology as never[])}`;
  await sql`insert into access_log ${sql(ROWS.views as never[])}`;
  app = await buildTestApp(sql);
  await Promise.all(ACCOUNTS.map(async ({ sub }) => clients.set(sub, await signedInAs(app, sub))));
});
afterAll(() => app?.close());

async function fetchPage(sub: string, path: string, headers: Record<string, string> = {}) {
  const res = await clients.get(sub)!.request(`${app.baseUrl}${path}`, { headers });
  return { status: res.status, html: await res.text() };
}

describe('the table', () => {
  it('has a column for every field a policy can release', () => {
    const covered = Object.values(FIELD_COLUMNS).flat() as ChildField[];
    expect([...covered].sort()).toEqual([...childFieldNames].sort());
  });

  it('has exactly one row for every role, relationship and state, and an account for every role', () => {
    expect([...new Set(ACCOUNTS.map((a) => a.role))].sort()).toEqual([...roleNames].sort());
    for (const account of ACCOUNTS) {
      expect(Object.values(account.relationships).flat().sort(), account.sub).toEqual([...GROUPS]);
      for (const child of CHILDREN) expectationFor(account, child);
    }
    // No row that no account reaches (a mistyped relationship would otherwise check nothing).
    for (const row of MATRIX) {
      const reached = ACCOUNTS.some((a) => row.roles.includes(a.role) && row.relationship in a.relationships);
      expect(reached, `permission-matrix.md line ${row.line}`).toBe(true);
    }
  });

  it('has test data whose sentinels are all different', () => {
    const values = CHILDREN.flatMap((c) => c.sentinels.map((s) => s.value));
    expect(new Set(values).size).toBe(values.length);
  });
});

describe.each(ACCOUNTS)('$sub ($role)', (account) => {
  const { sub, role } = account;
  const expectations = () => CHILDREN.map((child) => ({ child, expected: expectationFor(account, child) }));
  const hasList = MATRIX.some((r) => r.roles.includes(role) && r.list);
  const hasLookup = MATRIX.some((r) => r.roles.includes(role) && r.lookup);

  it('is signed in with that role', async () => {
    const { status, html } = await fetchPage(sub, '/');
    expect(status).toBe(200);
    expect(html).toContain(`data-testid="user-role">${roles[role].title}<`);
  });

  it(`${hasList ? 'lists' : 'has no list of'} children, as the table says (page and htmx partial)`, async () => {
    const problems: string[] = [];
    const notFound = await fetchPage(sub, `/children/${UNKNOWN_CHILD}`);
    expect(notFound.status).toBe(404);
    const listed = expectations().filter((e) => e.expected.list).map((e) => ({ child: e.child, fields: e.expected.fields }));

    const page = await fetchPage(sub, '/children');
    if (!hasList) {
      if (page.status !== 404 || page.html !== notFound.html) problems.push(`GET /children: ${page.status}, expected the 404 page`);
      checkSentinels(problems, 'GET /children', page.html, new Set(), new Set());
    } else {
      if (page.status !== 200) problems.push(`GET /children: ${page.status}`);
      if (!page.html.includes('<html')) problems.push('GET /children: not a full page');
      checkList(problems, 'GET /children', page.html, listed);
    }

    // Each child searched for by its surname, as the search box does with htmx.
    await Promise.all(
      CHILDREN.map(async (child) => {
        const where = `htmx GET /children?name=${child.surname}`;
        const partial = await fetchPage(sub, `/children?name=${encodeURIComponent(child.surname)}`, HTMX);
        if (!hasList) {
          if (partial.status !== 404 || partial.html !== notFound.html) problems.push(`${where}: ${partial.status}, expected the 404 page`);
          checkSentinels(problems, where, partial.html, new Set(), new Set());
          return;
        }
        if (partial.status !== 200) problems.push(`${where}: ${partial.status}`);
        if (partial.html.includes('<html')) problems.push(`${where}: a full page, not the partial`);
        checkList(problems, where, partial.html, listed.filter((l) => l.child === child));
      }),
    );
    expect(problems.sort()).toEqual([]);
  });

  it('opens each child’s summary as the table says; any other child gets the very 404 of a child that does not exist', async () => {
    const problems: string[] = [];
    const notFound = await fetchPage(sub, `/children/${UNKNOWN_CHILD}`);
    expect(notFound.status).toBe(404);
    await Promise.all(
      expectations().map(async ({ child, expected }) => {
        const where = `GET /children/:id of ${child.key} (table line ${expected.line})`;
        const { status, html } = await fetchPage(sub, `/children/${child.id}`);
        if (expected.summary) {
          if (status !== 200) problems.push(`${where}: ${status}, expected 200`);
          checkChildPage(problems, where, html, child, expected.fields);
        } else {
          if (status !== 404) problems.push(`${where}: ${status}, expected 404`);
          if (html !== notFound.html) problems.push(`${where}: the 404 page differs from an unknown child's`);
          checkSentinels(problems, where, html, new Set(), new Set());
        }
      }),
    );
    expect(problems.sort()).toEqual([]);
  });

  it(`${hasLookup ? 'looks up' : 'cannot look up'} each child as the table says`, async () => {
    const problems: string[] = [];
    const client = clients.get(sub)!;
    const formPage = await fetchPage(sub, '/lookup');
    const token = hiddenField(formPage.html, 'csrf_token')!;
    expect(token).toBeTruthy();
    const lookUp = async (fields: Record<string, string>) => {
      const { response } = await client.submit(new URL(`${app.baseUrl}/lookup`), '/lookup', { csrf_token: token, ...fields });
      return { status: response.status, html: await response.text() };
    };

    if (!hasLookup) {
      // An unknown address outside every navigation item: the 404 page of /children/:id marks
      // "Children" as the current page (aria-current), which /lookup, not in the navigation, does not.
      const notFound = await fetchPage(sub, '/no-such-page');
      if (formPage.status !== 404 || formPage.html !== notFound.html) problems.push(`GET /lookup: ${formPage.status}, expected the 404 page`);
      const child = childAt('A', 'CP plan');
      const posted = await lookUp({ method: 'nhs', nhsNumber: child.nhsNumber, reason: lookupReasons[0] });
      if (posted.status !== 404 || posted.html !== notFound.html) problems.push(`POST /lookup: ${posted.status}, expected the 404 page`);
      checkSentinels(problems, 'POST /lookup', posted.html, new Set(), new Set());
      expect(problems.sort()).toEqual([]);
      return;
    }

    expect(formPage.status).toBe(200);
    const noRecord = await lookUp({ method: 'nhs', nhsNumber: UNKNOWN_NHS_NUMBER, reason: lookupReasons[0] });
    expect(noRecord.status).toBe(200);
    expect(noRecord.html).toContain('data-testid="no-record"');
    const unknownByDetails = { method: 'details', surname: 'Nobody', 'dob-day': '1', 'dob-month': '1', 'dob-year': '2015', postcode: 'QX99 9ZZ' };
    const noRecordByDetails = await lookUp({ ...unknownByDetails, reason: lookupReasons[0] });
    expect(noRecordByDetails.html).toContain('data-testid="no-record"');
    // The answer for an unknown child, each way, with what was typed taken out of its echoes.
    const unknown = {
      'by NHS number': withoutTyped(noRecord.html, { nhsNumber: UNKNOWN_NHS_NUMBER }),
      'by surname, date of birth and postcode': withoutTyped(noRecordByDetails.html, unknownByDetails),
    };

    for (const [index, { child, expected }] of expectations().entries()) {
      const [year, month, day] = child.dateOfBirth.split('-') as [string, string, string];
      const ways = {
        'by NHS number': { method: 'nhs', nhsNumber: child.nhsNumber },
        'by surname, date of birth and postcode': { method: 'details', surname: child.surname, 'dob-day': String(Number(day)), 'dob-month': String(Number(month)), 'dob-year': year, postcode: child.postcode },
      };
      for (const [way, fields] of Object.entries(ways)) {
        const where = `POST /lookup ${way} of ${child.key} (table line ${expected.line})`;
        const reason = lookupReasons[index % lookupReasons.length]!;
        const answer = await lookUp({ ...fields, reason });
        const status = answer.status;
        // The reason is echoed too: compared as the unknown child's was asked.
        const html = withoutTyped(answer.html, fields).replaceAll(escaped(reason), escaped(lookupReasons[0]));
        if (status !== 200) problems.push(`${where}: ${status}`);
        if (expected.lookup) {
          if (html.includes('data-testid="no-record"')) problems.push(`${where}: "no record", expected the child`);
          checkChildPage(problems, where, html, child, expected.fields);
        } else {
          if (html !== unknown[way as keyof typeof unknown]) problems.push(`${where}: not the same "no record" page as an unknown child's`);
          checkSentinels(problems, where, html, new Set(), new Set());
        }
      }
    }
    expect(problems.sort()).toEqual([]);
  });
});
