// The portal's roles (issue 3). Each belongs to one agency and fits one kind of organisation:
// a role claimed for an organisation of another kind is not granted.
export const roles = {
  'education.dsl': { agency: 'education', organisationKinds: ['school'], title: 'Designated safeguarding lead' },
  'education.deputy_dsl': { agency: 'education', organisationKinds: ['school'], title: 'Deputy designated safeguarding lead' },
  'health.gp': { agency: 'health', organisationKinds: ['gp_practice'], title: 'GP' },
  'health.health_visitor': { agency: 'health', organisationKinds: ['health_visiting_team'], title: 'Health visitor' },
  'health.school_nurse': { agency: 'health', organisationKinds: ['school_nursing_team'], title: 'School nurse' },
  'health.emergency_department': { agency: 'health', organisationKinds: ['emergency_department'], title: 'Emergency department clinician' },
  'police.public_protection': { agency: 'police', organisationKinds: ['police_force'], title: 'Public protection officer' },
  'council.front_door': { agency: 'council', organisationKinds: ['local_authority'], title: 'Front-door (MASH) worker' },
  'council.social_worker': { agency: 'council', organisationKinds: ['local_authority'], title: 'Social worker' },
  'council.team_manager': { agency: 'council', organisationKinds: ['local_authority'], title: 'Team manager' },
  'council.information_governance': { agency: 'council', organisationKinds: ['local_authority'], title: 'Information governance officer' },
  'council.data_officer': { agency: 'council', organisationKinds: ['local_authority'], title: 'Data officer' },
  'council.quality_lead': { agency: 'council', organisationKinds: ['local_authority'], title: 'Quality lead' },
} as const satisfies Record<string, { agency: Agency; organisationKinds: readonly string[]; title: string }>;

export type Agency = 'council' | 'education' | 'health' | 'police';
export type Role = keyof typeof roles;
export const roleNames = Object.keys(roles) as [Role, ...Role[]];
export const agencies = ['council', 'education', 'health', 'police'] as const satisfies readonly Agency[];

export const isRole = (value: string): value is Role => Object.hasOwn(roles, value);

/** The organisation identifier columns a provider's claims can name. */
export const organisationIdentifiers = ['la_code', 'urn', 'ods_code', 'force_code'] as const;
export type OrganisationIdentifier = (typeof organisationIdentifiers)[number];
