// Turns a provider's ID token claims into what the portal needs: who the person is and which
// (organisation, role) pairs they claim. Only pairs the provider's mapping names are kept;
// nothing here trusts a claim to name a portal role directly.
import type { ProviderConfig } from './providers-config.ts';
import type { OrganisationIdentifier, Role } from './roles.ts';

export interface ClaimedAssignment {
  identifier: OrganisationIdentifier;
  value: string;
  role: Role;
}

export interface Identity {
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  trainingCompletedOn: string | null;
  /** Whether the sign-in gave a date; false where it said only "trained" (trainingCompletedOn is then today). */
  trainingDateGiven?: boolean;
  claimed: ClaimedAssignment[];
}

type Claims = Record<string, unknown>;

const asStrings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');

function trainingDate(value: unknown, today: string): string | null {
  if (value === true || value === 'true') return today;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  return null;
}

export function identityFromClaims(provider: ProviderConfig, claims: Claims, today = new Date().toISOString().slice(0, 10)): Identity {
  const mapping = provider.claims;
  const claimed: ClaimedAssignment[] = [];

  if ('roleAssignments' in mapping) {
    const { claim, identifier, organisationField, roleField, map } = mapping.roleAssignments;
    const entries = Array.isArray(claims[claim]) ? (claims[claim] as unknown[]) : [];
    for (const entry of entries) {
      if (typeof entry !== 'object' || entry === null) continue;
      const organisation = (entry as Claims)[organisationField];
      const role = map[String((entry as Claims)[roleField])];
      if (typeof organisation === 'string' && organisation !== '' && role) claimed.push({ identifier, value: organisation, role });
    }
  } else {
    const { organisation, roles } = mapping;
    const values = 'value' in organisation ? [organisation.value] : asStrings(claims[organisation.claim]);
    const mapped = asStrings(claims[roles.claim]).flatMap((value) => (roles.map[value] ? [roles.map[value]] : []));
    for (const value of values) for (const role of new Set(mapped)) claimed.push({ identifier: organisation.identifier, value, role });
  }

  const name = asStrings(claims[mapping.name])[0] ?? asStrings(claims.email)[0] ?? 'Unknown name';
  return {
    issuer: String(claims.iss),
    subject: String(claims.sub),
    name,
    email: asStrings(claims[mapping.email])[0] ?? null,
    trainingCompletedOn: mapping.trainingCompleted ? trainingDate(claims[mapping.trainingCompleted], today) : null,
    trainingDateGiven: mapping.trainingCompleted ? typeof claims[mapping.trainingCompleted] === 'string' && claims[mapping.trainingCompleted] !== 'true' : false,
    claimed,
  };
}
