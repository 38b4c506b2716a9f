// The demo accounts the matrices check, one or more per role and training state, and whether
// each one's sign-in says its safeguarding training is complete.
import { DEMO_ACCOUNTS } from '../../src/auth/dev-provider/demo-accounts.ts';
import type { Role } from '../../src/auth/roles.ts';

export const MATRIX_ACCOUNTS: ReadonlyArray<{ sub: string; role: Role }> = [
  { sub: 'dsl-riverside', role: 'education.dsl' },
  { sub: 'dsl-northbridge-high', role: 'education.dsl' },
  { sub: 'deputy-dsl-riverside', role: 'education.deputy_dsl' },
  { sub: 'new-deputy-dsl-northbridge-high', role: 'education.deputy_dsl' },
  { sub: 'gp-canal-wharf', role: 'health.gp' },
  { sub: 'health-visitor', role: 'health.health_visitor' },
  { sub: 'school-nurse', role: 'health.school_nurse' },
  { sub: 'ed-clinician', role: 'health.emergency_department' },
  { sub: 'police-ppu', role: 'police.public_protection' },
  { sub: 'front-door', role: 'council.front_door' },
  { sub: 'sw-priya-desai', role: 'council.social_worker' },
  { sub: 'tm-helen-whitaker', role: 'council.team_manager' },
  { sub: 'info-governance', role: 'council.information_governance' },
  { sub: 'data-officer', role: 'council.data_officer' },
  { sub: 'quality-lead', role: 'council.quality_lead' },
];

export const trainedClaim = (sub: string): boolean => DEMO_ACCOUNTS.find((a) => a.sub === sub)!.claims.safeguarding_training === true;
