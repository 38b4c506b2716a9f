// Police notifications (Operation Encompass) in tests: the access gateway as a route would make
// it for a demo account or for claims no demo account has (another force's officer), sessions for
// such claims, children on a school's roll or none, and a valid set of the officer's answers.
import { createAccess } from '../../src/access/index.ts';
import { actorFrom } from '../../src/auth/actor.ts';
import { identityFromClaims } from '../../src/auth/claims.ts';
import { createSession, findSession } from '../../src/auth/sessions.ts';
import { sessionCookieName } from '../../src/auth/settings.ts';
import { decideAccess, recordUser } from '../../src/auth/users.ts';
import type { Sql } from '../../src/db/connect.ts';
import type { CheckedEncompass } from '../../src/encompass/form.ts';
import { paths } from '../../src/paths.ts';
import { buildAbility } from '../../src/policy/ability.ts';
import { loadPolicies } from '../../src/policy/load.ts';
import { NORTHBRIDGE_COUNCIL } from '../../src/seed/demo-organisations.ts';
import { AppClient } from './app-client.ts';
import { createDemoSession } from './demo-session.ts';
import type { InProcessApp } from './in-process-app.ts';
import { providerFor } from './sign-in.ts';

export const OTHER_FORCE = { id: 'ee000000-0000-4000-8000-000000000598', name: 'Other Constabulary', forceCode: '98' };
export const OTHER_FORCE_OFFICER = { sub: 'other-force-officer', name: 'PC Other', email: 'pc@other.example', force_code: OTHER_FORCE.forceCode, role: 'PPU', safeguarding_training: true };

/** Registers another police force with an information-sharing agreement, so its officers may sign in. */
export async function addOtherForce(sql: Sql): Promise<void> {
  await sql`insert into organisations (id, kind, name, force_code) values (${OTHER_FORCE.id}, 'police_force', ${OTHER_FORCE.name}, ${OTHER_FORCE.forceCode})`;
  await sql`insert into information_sharing_agreements (organisation_id, reference, starts_on) values (${OTHER_FORCE.id}, 'OTHER-ISA', '2026-01-01')`;
}

async function sessionForClaims(on: InProcessApp, claims: Record<string, unknown>) {
  const provider = on.auth.providers.find((p) => p.id === providerFor.police)!;
  const identity = identityFromClaims(provider, { ...claims, iss: provider.issuer });
  const decision = await decideAccess(on.sql, identity);
  if (!decision.allowed) throw new Error(`refused: ${decision.refusal}`);
  const userId = await recordUser(on.sql, identity, decision.assignments);
  const cookieValue = await createSession(on.sql, { userId, providerId: provider.id, idToken: null, assignment: decision.assignments[0]! });
  return { cookieValue, session: (await findSession(on.sql, cookieValue, on.auth.timeouts))! };
}

/** A signed-in client for a police officer's claims that no demo account has. */
export async function signedInAsOfficer(on: InProcessApp, claims: Record<string, unknown>): Promise<AppClient> {
  const { cookieValue, session } = await sessionForClaims(on, claims);
  const client = new AppClient(on, session.csrfToken);
  client.setCookie(new URL(on.baseUrl), sessionCookieName(on.auth), cookieValue);
  return client;
}

/** The gateway as the route would make it for this demo account (or these police claims); looks logged only if asked. */
export async function accessAs(on: InProcessApp, who: string | Record<string, unknown>, { recordLooks = false } = {}) {
  const { session } = typeof who === 'string' ? await createDemoSession(on, who) : await sessionForClaims(on, who);
  const actor = actorFrom(session, `test-${typeof who === 'string' ? who : 'claims'}`)!;
  const policies = await loadPolicies(paths.policies);
  return createAccess(on.sql, actor, buildAbility(policies, actor), { policies, publicUrl: on.baseUrl, recordLooks });
}

export interface HouseholdChild { forename: string; surname: string; dob: [string, string, string]; postcode: string }

/** A child in the council's records, on a school's roll (or none). */
export async function addChild(sql: Sql, child: HouseholdChild, schoolId: string | null): Promise<string> {
  const [day, month, year] = child.dob;
  const [row] = await sql<{ id: string }[]>`
    insert into children (local_authority_id, forename, surname, date_of_birth, gender, address, postcode)
    values (${NORTHBRIDGE_COUNCIL.id}, ${child.forename}, ${child.surname}, ${`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`}, 'not_known', '1 Canal Row', ${child.postcode})
    returning id`;
  if (schoolId) await sql`insert into child_organisation_relationships (child_id, organisation_id, kind, start_date) values (${row!.id}, ${schoolId}, 'enrolled', '2024-09-01')`;
  return row!.id;
}

/** Checked answers about these children, as the form would give them. */
export function checkedAnswers(key: string, children: HouseholdChild[]): CheckedEncompass {
  return {
    idempotencyKey: key, policeReference: `NB-${key.slice(0, 8)}`, occurredAt: '2026-12-01T21:40:00.000Z',
    account: 'Officers attended a report of a domestic argument.', sharedItems: {},
    contact: { name: 'DC Sam Reid', phone: '01632 960 777', email: null },
    children: children.map((c, i) => ({
      position: i + 1, forename: c.forename, surname: c.surname, dateOfBirth: `${c.dob[2]}-${c.dob[1].padStart(2, '0')}-${c.dob[0].padStart(2, '0')}`,
      nhsNumber: null, upn: null, address: null, postcode: c.postcode, present: true, spokenTo: false, words: null,
    })),
  };
}
