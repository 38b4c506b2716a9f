// SQL for the council's training records: the partners who have signed in, and recording that
// one of them has completed safeguarding training.
import type { Sql } from '../db/connect.ts';
import { roleNames, roles } from '../auth/roles.ts';

/** Every partner role needs training recorded to raise concerns; the council's own staff are not asked here. */
export const partnerRoles = roleNames.filter((role) => roles[role].agency !== 'council');

export interface PartnerUser {
  id: string;
  name: string;
  email: string | null;
  /** "Role at organisation", one for each of their (organisation, role) pairs. */
  assignments: Array<{ organisationName: string; role: string }>;
  trainingCompletedOn: string | null;
  recordedByName: string | null;
  recordedAt: Date | null;
  lastSignedInAt: Date;
}

const columns = (sql: Sql) => sql`
  u.id, u.name, u.email, u.role_assignments as assignments, u.training_completed_on::text as "trainingCompletedOn",
  r.name as "recordedByName", u.training_recorded_at as "recordedAt", u.last_signed_in_at as "lastSignedInAt"`;

/** Whether any of the user's (organisation, role) pairs is a partner's. */
const isPartner = (sql: Sql) => sql`exists (
  select 1 from jsonb_array_elements(u.role_assignments) a where a->>'role' in ${sql(partnerRoles)})`;

/** Partners who have signed in: those without training recorded first, then by name. */
export async function partnerUsers(sql: Sql, limit = 500): Promise<PartnerUser[]> {
  return sql<PartnerUser[]>`
    select ${columns(sql)}
    from users u left join users r on r.id = u.training_recorded_by_user_id
    where ${isPartner(sql)}
    order by u.training_completed_on is not null, u.name, u.id
    limit ${limit}`;
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
    update users set training_completed_on = ${completedOn}, training_recorded_by_user_id = ${recordedBy}, training_recorded_at = now()
    where id = ${userId}`;
}
