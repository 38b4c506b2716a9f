// Decides whether a person who has proved their identity may use the portal, and records them.
// Each claimed (organisation, role) pair must name an organisation the council knows, of a kind
// that fits the role, and (for partner agencies) with an active information-sharing agreement.
import type { Sql } from '../db/connect.ts';
import type { Identity } from './claims.ts';
import { roles, type Role } from './roles.ts';

export interface RoleAssignment {
  organisationId: string;
  organisationName: string;
  role: Role;
}

export type Refusal = 'no_role' | 'unknown_organisation' | 'no_agreement';

export type AccessDecision =
  | { allowed: true; assignments: RoleAssignment[] }
  | { allowed: false; refusal: Refusal };

interface OrganisationRow {
  id: string;
  name: string;
  kind: string;
  agreement_active: boolean;
}

async function findOrganisation(sql: Sql, identifier: string, value: string): Promise<OrganisationRow | undefined> {
  const [row] = await sql<OrganisationRow[]>`
    select o.id, o.name, o.kind,
           exists (select 1 from information_sharing_agreements a
                   where a.organisation_id = o.id and a.starts_on <= current_date
                     and (a.ends_on is null or a.ends_on >= current_date)) as agreement_active
    from organisations o
    where ${sql(identifier)} = ${value}`;
  return row;
}

export async function decideAccess(sql: Sql, identity: Identity): Promise<AccessDecision> {
  if (identity.claimed.length === 0) return { allowed: false, refusal: 'no_role' };
  const assignments: RoleAssignment[] = [];
  let refusal: Refusal = 'unknown_organisation';
  for (const claim of identity.claimed) {
    const organisation = await findOrganisation(sql, claim.identifier, claim.value);
    const fits = organisation && (roles[claim.role].organisationKinds as readonly string[]).includes(organisation.kind);
    if (!organisation || !fits) continue;
    // The council's own staff work under the council's own authority, not a sharing agreement.
    if (roles[claim.role].agency !== 'council' && !organisation.agreement_active) {
      refusal = 'no_agreement';
      continue;
    }
    if (!assignments.some((a) => a.organisationId === organisation.id && a.role === claim.role)) {
      assignments.push({ organisationId: organisation.id, organisationName: organisation.name, role: claim.role });
    }
  }
  return assignments.length > 0 ? { allowed: true, assignments } : { allowed: false, refusal };
}

/** Creates or refreshes the user from this sign-in's claims. */
export async function recordUser(sql: Sql, identity: Identity, assignments: RoleAssignment[]): Promise<string> {
  // Where the training date came from (migrations/018): a sign-in that only says "trained" gives
  // no date, so the day it first said so is kept and later sign-ins do not move it.
  const trainingSource = identity.trainingCompletedOn === null ? null : identity.trainingDateGiven === false ? 'sign_in_undated' : 'sign_in_dated';
  const row = {
    issuer: identity.issuer,
    subject: identity.subject,
    name: identity.name,
    email: identity.email,
    role_assignments: sql.json(assignments as never),
    training_completed_on: identity.trainingCompletedOn,
    training_source: trainingSource,
  };
  // Built outside the template: inside sql<…>`…`, TypeScript cannot infer the helper's columns.
  const values = sql(row, 'issuer', 'subject', 'name', 'email', 'role_assignments', 'training_completed_on', 'training_source');
  // A dated claim replaces whatever is recorded; an undated one only fills an empty record; a
  // silent one changes nothing (training recorded by the council stays recorded).
  const replaces = sql`(excluded.training_source = 'sign_in_dated' or users.training_completed_on is null)`;
  const [user] = await sql<{ id: string }[]>`
    insert into users ${values}
    on conflict (issuer, subject) do update set
      name = excluded.name,
      email = excluded.email,
      role_assignments = excluded.role_assignments,
      training_completed_on = case when ${replaces} then excluded.training_completed_on else users.training_completed_on end,
      training_source = case when ${replaces} then excluded.training_source else users.training_source end,
      -- a date from the claim is the organisation's record, no longer the council's
      training_recorded_by_user_id = case when excluded.training_source = 'sign_in_dated' then null else users.training_recorded_by_user_id end,
      training_recorded_at = case when excluded.training_source = 'sign_in_dated' then null else users.training_recorded_at end,
      last_signed_in_at = now()
    returning id`;
  return user!.id;
}
