// The CIN census's referral-source codes (DfE, Children in need census guide, "Referral source"
// module, code set CIN 2024-25 onwards), and which of them each partner role's concerns count
// under. Data, not branches: a new partner role is one more line in REFERRAL_SOURCE_OF_ROLE, and
// a role with no line counts as 10 (unknown), never as some other agency. docs/figures.md lists it.
import type { Role } from '../auth/roles.ts';

export const REFERRAL_SOURCES = {
  '1A': 'Individual: family member, relative or carer',
  '1B': 'Individual: acquaintance (including neighbours and childminders)',
  '1C': 'Individual: self',
  '1D': 'Individual: other',
  '2A': 'Schools',
  '2B': 'Education services',
  '3A': 'Health services: GP',
  '3B': 'Health services: health visitor',
  '3C': 'Health services: school nurse',
  '3D': 'Health services: other primary health services',
  '3E': 'Health services: A&E',
  '3F': 'Health services: other',
  '4': 'Housing',
  '5A': 'Local authority services: social care',
  '5B': 'Local authority services: other internal',
  '5C': 'Local authority services: external',
  '5D': 'Local authority services: other',
  '6': 'Police',
  '7': 'Other legal agency',
  '8': 'Other',
  '9': 'Anonymous',
  '10': 'Unknown',
} as const;
export type ReferralSource = keyof typeof REFERRAL_SOURCES;

/**
 * The codes in the census's order. (Not Object.keys(REFERRAL_SOURCES): JavaScript puts keys that
 * look like whole numbers, 4, 6 … 10, before all the others.)
 */
export const REFERRAL_SOURCE_ORDER: readonly ReferralSource[] = [
  '1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10',
];

/** The code a concern counts under, by the role its referrer raised it as (concerns.submitted_by_role). */
export const REFERRAL_SOURCE_OF_ROLE: Partial<Record<Role, ReferralSource>> = {
  'education.dsl': '2A',
  'education.deputy_dsl': '2A',
  'health.gp': '3A',
  'health.health_visitor': '3B',
  'health.school_nurse': '3C',
  'health.emergency_department': '3E',
  'police.public_protection': '6',
};

/** Where a role has no code. */
export const UNKNOWN_REFERRAL_SOURCE: ReferralSource = '10';

export const referralSourceOf = (role: string): ReferralSource => REFERRAL_SOURCE_OF_ROLE[role as Role] ?? UNKNOWN_REFERRAL_SOURCE;
