// The fixed organisations, teams and staff of the demo council, Northbridge. They are constants
// (not generated) so that other code — demo sign-in accounts, tests, the "view as" preview —
// can name them: "sign in as the DSL of DEMO_SCHOOLS[0]".
//
// Ids are hard-coded version 4-format UUIDs that read as what they are: de000000-0000-4000-8000-
// 000000000NNN, where NNN is 1xx for the council, 2xx schools, 3xx GP practices, 4xx health teams
// and hospital, 5xx police, 6xx council teams and 7xx social workers. They never change, so
// bookmarks and demo accounts survive a re-seed.
//
// Codes and numbers are fictional: LA code 990, URNs 9901xx and ODS codes Y99xxx / RZZxx are not
// issued to real organisations, force code 99 is unused, and phone numbers are in Ofcom's ranges
// reserved for drama (0113 496 0xxx, 020 7946 0xxx, 01632 960xxx, 07700 900xxx).

export type OrganisationKind =
  | 'local_authority'
  | 'school'
  | 'gp_practice'
  | 'health_visiting_team'
  | 'school_nursing_team'
  | 'emergency_department'
  | 'police_force';

/** A row of the organisations table (migrations/002_case_record.sql), every column present. */
export interface OrganisationRow {
  id: string;
  kind: OrganisationKind;
  name: string;
  la_code: string | null;
  urn: string | null;
  ods_code: string | null;
  force_code: string | null;
  duty_phone: string | null;
  out_of_hours_phone: string | null;
}

export interface TeamRow {
  id: string;
  local_authority_id: string;
  name: string;
  phone: string;
}

export interface SocialWorkerRow {
  id: string;
  team_id: string;
  name: string;
  email: string;
  phone: string;
  role: 'social_worker' | 'team_manager';
}

const id = (n: number) => `de000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const none = { la_code: null, urn: null, ods_code: null, force_code: null, duty_phone: null, out_of_hours_phone: null };

export const NORTHBRIDGE_COUNCIL = {
  ...none,
  id: id(101),
  kind: 'local_authority',
  name: 'Northbridge City Council',
  la_code: '990',
  duty_phone: '0113 496 0000',
  out_of_hours_phone: '0113 496 0999',
} as const satisfies OrganisationRow;

// Schools: `phase` says which children the generator enrols there (it is not a column).
export type SchoolPhase = 'primary' | 'secondary';
export type DemoSchool = OrganisationRow & { kind: 'school'; urn: string; phase: SchoolPhase };

const school = (n: number, name: string, phase: SchoolPhase): DemoSchool => ({
  ...none,
  id: id(200 + n),
  kind: 'school',
  name,
  urn: `9901${String(n).padStart(2, '0')}`,
  phase,
});

export const DEMO_SCHOOLS: readonly DemoSchool[] = [
  school(1, 'Riverside Primary School', 'primary'),
  school(2, "St Mary's Church of England Primary School", 'primary'),
  school(3, 'Hollins Lane Primary School', 'primary'),
  school(4, "St Joseph's Catholic Primary School", 'primary'),
  school(5, 'Ashgrove Primary Academy', 'primary'),
  school(6, 'Millfield Community Primary School', 'primary'),
  school(7, 'Northbridge High School', 'secondary'),
  school(8, 'Kingsway Academy', 'secondary'),
  school(9, "St Aidan's Church of England High School", 'secondary'),
  school(10, 'Northbridge Park Academy', 'secondary'),
];

const nhs = (n: number, kind: OrganisationKind, name: string, ods_code: string): OrganisationRow => ({
  ...none,
  id: id(n),
  kind,
  name,
  ods_code,
});

export const DEMO_GP_PRACTICES: readonly OrganisationRow[] = [
  nhs(301, 'gp_practice', 'Canal Wharf Medical Practice', 'Y99001'),
  nhs(302, 'gp_practice', 'Northbridge Family Health Centre', 'Y99002'),
  nhs(303, 'gp_practice', 'Parkside Surgery', 'Y99003'),
  nhs(304, 'gp_practice', 'Low Moor Health Centre', 'Y99004'),
];

export const DEMO_HEALTH_VISITING_TEAM = nhs(401, 'health_visiting_team', 'Northbridge Health Visiting Team', 'RZZ01');
export const DEMO_SCHOOL_NURSING_TEAM = nhs(402, 'school_nursing_team', 'Northbridge School Nursing Team', 'RZZ02');
export const DEMO_EMERGENCY_DEPARTMENT = nhs(
  410,
  'emergency_department',
  'Northbridge General Hospital Emergency Department',
  'RZZ10',
);

export const NORTHBRIDGE_POLICE = {
  ...none,
  id: id(501),
  kind: 'police_force',
  name: 'Northbridge Police',
  force_code: '99',
} as const satisfies OrganisationRow;

/** Every demo organisation, in the order they are inserted. */
export const DEMO_ORGANISATIONS: readonly OrganisationRow[] = [
  NORTHBRIDGE_COUNCIL,
  ...DEMO_SCHOOLS,
  ...DEMO_GP_PRACTICES,
  DEMO_HEALTH_VISITING_TEAM,
  DEMO_SCHOOL_NURSING_TEAM,
  DEMO_EMERGENCY_DEPARTMENT,
  NORTHBRIDGE_POLICE,
];

// Council teams. `handles` and `area` tell the generator whose caseload a child joins:
// assessment teams hold children in need, safeguarding teams child protection plans, each for
// its half of the city (postcode districts NB1-NB4 north, NB5-NB8 south); the children in care
// team holds every looked-after child.
export type InvolvementKind = 'child_in_need' | 'child_protection' | 'looked_after';
export type DemoTeam = TeamRow & { handles: InvolvementKind; area: 'north' | 'south' | 'all' };

const team = (n: number, name: string, handles: InvolvementKind, area: DemoTeam['area']): DemoTeam => ({
  id: id(600 + n),
  local_authority_id: NORTHBRIDGE_COUNCIL.id,
  name,
  phone: `0113 496 01${String(n).padStart(2, '0')}`,
  handles,
  area,
});

export const ASSESSMENT_TEAM_NORTH = team(1, 'Assessment Team North', 'child_in_need', 'north');
export const ASSESSMENT_TEAM_SOUTH = team(2, 'Assessment Team South', 'child_in_need', 'south');
export const SAFEGUARDING_TEAM_NORTH = team(3, 'Safeguarding Team North', 'child_protection', 'north');
export const SAFEGUARDING_TEAM_SOUTH = team(4, 'Safeguarding Team South', 'child_protection', 'south');
export const CHILDREN_IN_CARE_TEAM = team(5, 'Children in Care Team', 'looked_after', 'all');

export const DEMO_TEAMS: readonly DemoTeam[] = [
  ASSESSMENT_TEAM_NORTH,
  ASSESSMENT_TEAM_SOUTH,
  SAFEGUARDING_TEAM_NORTH,
  SAFEGUARDING_TEAM_SOUTH,
  CHILDREN_IN_CARE_TEAM,
];

let workerNumber = 0;
const worker = (team: DemoTeam, name: string, role: SocialWorkerRow['role'] = 'social_worker'): SocialWorkerRow => {
  workerNumber += 1;
  return {
    id: id(700 + workerNumber),
    team_id: team.id,
    name,
    email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@northbridge.example`,
    phone: `07700 900${String(100 + workerNumber)}`,
    role,
  };
};

/** Invented staff: one team manager per team (listed first) and one to three social workers. */
export const DEMO_SOCIAL_WORKERS: readonly SocialWorkerRow[] = [
  worker(ASSESSMENT_TEAM_NORTH, 'Helen Whitaker', 'team_manager'),
  worker(ASSESSMENT_TEAM_NORTH, 'Priya Desai'),
  worker(ASSESSMENT_TEAM_NORTH, 'Tom Hargreaves'),
  worker(ASSESSMENT_TEAM_SOUTH, 'Marcus Bailey', 'team_manager'),
  worker(ASSESSMENT_TEAM_SOUTH, 'Gemma Fletcher'),
  worker(ASSESSMENT_TEAM_SOUTH, 'Aisha Rahman'),
  worker(SAFEGUARDING_TEAM_NORTH, 'Ruth Ashworth', 'team_manager'),
  worker(SAFEGUARDING_TEAM_NORTH, 'Kofi Asante'),
  worker(SAFEGUARDING_TEAM_NORTH, 'Hannah Moss'),
  worker(SAFEGUARDING_TEAM_SOUTH, 'Imran Siddiqui', 'team_manager'),
  worker(SAFEGUARDING_TEAM_SOUTH, 'Claire Dunmore'),
  worker(SAFEGUARDING_TEAM_SOUTH, 'Joel Okoye'),
  worker(CHILDREN_IN_CARE_TEAM, 'Bernadette Quinn', 'team_manager'),
  worker(CHILDREN_IN_CARE_TEAM, 'Chinwe Eze'),
  worker(CHILDREN_IN_CARE_TEAM, 'Lewis Pryce'),
];

/** Whom refused partners are told to contact (organisations.contact_email of the council). */
export const NORTHBRIDGE_INFORMATION_GOVERNANCE_EMAIL = 'information.governance@northbridge.example';

/** The one partner whose information-sharing agreement has lapsed: its staff are refused. */
export const SCHOOL_WITH_LAPSED_AGREEMENT: DemoSchool = DEMO_SCHOOLS[9]!;

/** Where the front door's notifications of new concerns go (organisations.front_door_email). */
export const NORTHBRIDGE_FRONT_DOOR_EMAIL = 'front.door@northbridge.example';
