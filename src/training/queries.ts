// SQL for the council's training records: the partners who have signed in, and recording that
// one of them has completed safeguarding training.
import type { Sql } from '../db/connect.ts';
import { roleNames, roles } from '../auth/roles.ts';
import type { TrainingSource, TrainingState } from './renewal.ts';

/** Every partner role needs training recorded to raise concerns; the council's own staff are not asked here. */
export const partnerRoles = roleNames.filter((role) => roles[role].agency !== 'council');

export interface PartnerUser {
  id: string;
  name: string;
  email: string | null;
  /** "Role at organisation", one for each of their (organisation, role) pairs. */
  assignments: Array<{ organisationName: string; role: string }>;
  trainingCompletedOn: string | null;
  /** Where the date came from (migrations/018); null where none is recorded. */
  trainingSource?: TrainingSource | null;
  recordedByName: string | null;
  recordedAt: Date | null;
  lastSignedInAt: Date;
}

const columns = (sql: Sql) => sql`
  u.id, u.name, u.email, u.role_assignments as assignments, u.training_completed_on::text as "trainingCompletedOn", u.training_source as "trainingSource",
  r.name as "recordedByName", u.training_recorded_at as "recordedAt", u.last_signed_in_at as "lastSignedInAt"`;

/** Whether any of the user's (organisation, role) pairs is a partner's. */
const isPartner = (sql: Sql) => sql`exists (
  select 1 from jsonb_array_elements(u.role_assignments) a where a->>'role' in ${sql(partnerRoles)})`;

/** Which partners the list shows (src/training/filters.ts checks what the page was asked). */
export interface PartnerFilters {
  /** Only partners with a role at this organisation. */
  organisationId?: string;
  /** Only those whose training is in this state on `today`, with training lasting `validMonths`. */
  status?: TrainingState;
  today: string;
  validMonths: number;
}

/** The training's state as SQL, the same rule as src/training/renewal.ts trainingState. */
function stateIs(sql: Sql, status: TrainingState, today: string, validMonths: number) {
  const due = sql`(u.training_completed_on + make_interval(months => ${validMonths}::int))::date`;
  if (status === 'not_recorded') return sql`u.training_completed_on is null`;
  if (status === 'current') return sql`${due} > ${today}::date`;
  return sql`${due} <= ${today}::date`;
}

/** Partners who have signed in: those without training recorded first, then by name. */
export async function partnerUsers(sql: Sql, filters: PartnerFilters, limit = 500): Promise<PartnerUser[]> {
  const none = sql``;
  return sql<PartnerUser[]>`
    select ${columns(sql)}
    from users u left join users r on r.id = u.training_recorded_by_user_id
    where ${isPartner(sql)}
      ${filters.organisationId ? sql`and exists (select 1 from jsonb_array_elements(u.role_assignments) a
        where a->>'organisationId' = ${filters.organisationId} and a->>'role' in ${sql(partnerRoles)})` : none}
      ${filters.status ? sql`and ${stateIs(sql, filters.status, filters.today, filters.validMonths)}` : none}
    order by u.training_completed_on is not null, u.name, u.id
    limit ${limit}`;
}

/** The organisations partners who have signed in hold a role at, for the list's filter. */
export async function partnerOrganisations(sql: Sql): Promise<Array<{ id: string; name: string }>> {
  return sql<Array<{ id: string; name: string }>>`
    select distinct on (a->>'organisationId') a->>'organisationId' as id, a->>'organisationName' as name
    from users u, jsonb_array_elements(u.role_assignments) a
    where a->>'role' in ${sql(partnerRoles)}
    order by a->>'organisationId', name`;
}

export async function findPartnerUser(sql: Sql, id: string): Promise<PartnerUser | undefined> {
  const [row] = await sql<PartnerUser[]>`
    select ${columns(sql)}
    from users u left join users r on r.id = u.training_recorded_by_user_id
    where u.id = ${id} and ${isPartner(sql)}`;
  return row;
}

/** Records the training; takes effect on the partner's next request (sessions read it each time). */
export async function recordTraining(sql: Sql, userId: string, completedOn: string, recordedBy: string): Promise<void> {
  await sql`
    update users set training_completed_on = ${completedOn}, training_source = 'council', training_recorded_by_user_id = ${recordedBy}, training_recorded_at = now()
    where id = ${userId}`;
}
