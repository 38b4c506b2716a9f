// Demo accounts for the development identity provider: one or more for every role, across the
// demo organisations (src/seed/demo-organisations.ts), plus three that show the refusals.
// Each account carries the claims its agency's provider would send; the development provider
// configurations in ./setup.ts map them exactly as a real provider's would be mapped.
import {
  DEMO_EMERGENCY_DEPARTMENT,
  DEMO_GP_PRACTICES,
  DEMO_HEALTH_VISITING_TEAM,
  DEMO_SCHOOL_NURSING_TEAM,
  DEMO_SCHOOLS,
  DEMO_SOCIAL_WORKERS,
  NORTHBRIDGE_COUNCIL,
  NORTHBRIDGE_POLICE,
  SCHOOL_WITH_LAPSED_AGREEMENT,
} from '../../seed/demo-organisations.ts';
import type { DevAccount } from './provider.ts';

/** A URN no demo school has: signing in with it shows the "unknown organisation" refusal. */
export const UNREGISTERED_SCHOOL_URN = '990199';
const SCHOOL_WITHOUT_AGREEMENT = SCHOOL_WITH_LAPSED_AGREEMENT;

const riverside = DEMO_SCHOOLS[0]!;
const northbridgeHigh = DEMO_SCHOOLS[6]!;
const worker = (name: string) => {
  const found = DEMO_SOCIAL_WORKERS.find((w) => w.name === name);
  if (!found) throw new Error(`no demo social worker called ${name}`);
  return found;
};

const school = (sub: string, name: string, label: string, urn: string, roles: string[], trained = true): DevAccount => ({
  sub,
  agency: 'education',
  label,
  claims: { name, email: `${sub}@schools.northbridge.example`, school_urn: urn, roles, safeguarding_training: trained },
});

// CIS2-style: one claim listing the person's role profiles, each at an organisation.
const nhs = (sub: string, name: string, label: string, profiles: Array<{ org_code: string; role_code: string }>): DevAccount => ({
  sub,
  agency: 'health',
  label,
  claims: { name, email: `${sub}@nhs.example`, nhsid_nrbac_roles: profiles, safeguarding_training: true },
});

const council = (sub: string, name: string, label: string, roles: string[], email = `${sub}@northbridge.example`): DevAccount => ({
  sub,
  agency: 'council',
  label,
  claims: { name, email, la_code: NORTHBRIDGE_COUNCIL.la_code, roles, safeguarding_training: true },
});

export const DEMO_ACCOUNTS: DevAccount[] = [
  school('dsl-riverside', 'Sarah Collins', `Designated safeguarding lead — ${riverside.name}`, riverside.urn, ['DSL']),
  school('dsl-northbridge-high', 'David Okafor', `Designated safeguarding lead — ${northbridgeHigh.name}`, northbridgeHigh.urn, ['DSL']),
  school('deputy-dsl-riverside', 'Emma Lodge', `Deputy designated safeguarding lead — ${riverside.name}`, riverside.urn, ['DeputyDSL']),
  school('new-deputy-dsl-northbridge-high', 'Ollie Grant', `Deputy DSL, new starter (training not complete) — ${northbridgeHigh.name}`, northbridgeHigh.urn, ['DeputyDSL'], false),
  school('dsl-lapsed-agreement', 'Karen Hughes', `Refused: DSL at ${SCHOOL_WITHOUT_AGREEMENT.name} (agreement lapsed)`, SCHOOL_WITHOUT_AGREEMENT.urn, ['DSL']),
  school('dsl-unregistered-school', 'Peter Lamb', 'Refused: DSL at a school not registered with the portal', UNREGISTERED_SCHOOL_URN, ['DSL']),
  school('office-manager-riverside', 'Julie Marsh', `Refused: office manager at ${riverside.name} (no portal role)`, riverside.urn, ['OfficeManager']),

  nhs('gp-canal-wharf', 'Dr Amara Nwosu', `GP — ${DEMO_GP_PRACTICES[0]!.name}`, [{ org_code: DEMO_GP_PRACTICES[0]!.ods_code!, role_code: 'S8000:G8000:R8000' }]),
  nhs('gp-two-practices', 'Dr Rosa Patel', `GP at two practices (chooses one) — ${DEMO_GP_PRACTICES[1]!.name} and ${DEMO_GP_PRACTICES[2]!.name}`, [
    { org_code: DEMO_GP_PRACTICES[1]!.ods_code!, role_code: 'S8000:G8000:R8000' },
    { org_code: DEMO_GP_PRACTICES[2]!.ods_code!, role_code: 'S8000:G8000:R8000' },
  ]),
  nhs('health-visitor', 'Joanne Pike', `Health visitor — ${DEMO_HEALTH_VISITING_TEAM.name}`, [{ org_code: DEMO_HEALTH_VISITING_TEAM.ods_code!, role_code: 'S8000:G8000:R8001' }]),
  nhs('school-nurse', 'Liam Barker', `School nurse — ${DEMO_SCHOOL_NURSING_TEAM.name}`, [{ org_code: DEMO_SCHOOL_NURSING_TEAM.ods_code!, role_code: 'S8000:G8000:R8002' }]),
  nhs('ed-clinician', 'Dr Felix Mendes', `Emergency department clinician — ${DEMO_EMERGENCY_DEPARTMENT.name}`, [{ org_code: DEMO_EMERGENCY_DEPARTMENT.ods_code!, role_code: 'S8000:G8000:R8003' }]),

  {
    sub: 'police-ppu',
    agency: 'police',
    label: `Public protection officer — ${NORTHBRIDGE_POLICE.name}`,
    claims: { name: 'DC Sam Reid', email: 'sam.reid@police.northbridge.example', force_code: NORTHBRIDGE_POLICE.force_code, role: 'PPU', safeguarding_training: true },
  },

  council('front-door', 'Nadia Hussain', `Front-door (MASH) worker — ${NORTHBRIDGE_COUNCIL.name}`, ['Portal.FrontDoor']),
  council('sw-priya-desai', 'Priya Desai', 'Social worker — Assessment Team North', ['Portal.SocialWorker'], worker('Priya Desai').email),
  council('sw-kofi-asante', 'Kofi Asante', 'Social worker — Safeguarding Team North', ['Portal.SocialWorker'], worker('Kofi Asante').email),
  council('tm-helen-whitaker', 'Helen Whitaker', 'Team manager — Assessment Team North', ['Portal.TeamManager'], worker('Helen Whitaker').email),
  council('info-governance', 'Martin Shaw', `Information governance officer — ${NORTHBRIDGE_COUNCIL.name}`, ['Portal.InformationGovernance']),
  council('data-officer', 'Grace Bello', `Data officer (loads the case system's extracts) — ${NORTHBRIDGE_COUNCIL.name}`, ['Portal.DataOfficer']),
  council('quality-lead', 'Ruth Adeyemi', `Quality lead (audits how concerns were handled) — ${NORTHBRIDGE_COUNCIL.name}`, ['Portal.QualityLead']),
];
