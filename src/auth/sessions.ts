// Sessions in PostgreSQL, so every app node honours every session. The browser holds an opaque
// 256-bit random value; the table holds only its SHA-256, so a leaked copy of the table cannot
// be replayed as a cookie. Idle and absolute time-outs are enforced in the query itself.
import type { Sql } from '../db/connect.ts';
import { purgeOldRateLimitWindows } from './rate-limit.ts';
import { purgeExpiredProviderEntries } from './dev-provider/store.ts';
import type { Role } from './roles.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { purgeStaleSignInAttempts } from './sign-in-attempts.ts';
import type { RoleAssignment } from './users.ts';

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export interface Session {
  idHash: Buffer;
  userId: string;
  issuer: string;
  subject: string;
  userName: string;
  email: string | null;
  providerId: string;
  organisationId: string | null;
  organisationName: string | null;
  role: Role | null;
  roleAssignments: RoleAssignment[];
  trainingCompletedOn: string | null;
  csrfToken: string;
  idToken: string | null;
  /** Council staff's own record in the case system (matched by e-mail), for allocation rules. */
  socialWorkerId: string | null;
  teamId: string | null;
}

const seconds = (ms: number) => ms / 1000;

export async function createSession(
  sql: Sql,
  values: { userId: string; providerId: string; idToken: string | null; assignment: RoleAssignment | null },
): Promise<string> {
  const cookieValue = newSecret();
  const row = {
    id_hash: hashSecret(cookieValue),
    user_id: values.userId,
    provider_id: values.providerId,
    organisation_id: values.assignment?.organisationId ?? null,
    role: values.assignment?.role ?? null,
    csrf_token: newSecret(),
    id_token: values.idToken,
  };
  await sql`insert into sessions ${sql(row, 'id_hash', 'user_id', 'provider_id', 'organisation_id', 'role', 'csrf_token', 'id_token')}`;
  return cookieValue;
}

export async function findSession(sql: Sql, cookieValue: string, timeouts: SessionTimeouts): Promise<Session | undefined> {
  const idHash = hashSecret(cookieValue);
  const [row] = await sql<(Omit<Session, 'idHash'> & { touch: boolean })[]>`
    select s.user_id as "userId", u.issuer, u.subject, u.name as "userName", u.email, s.provider_id as "providerId",
           s.organisation_id as "organisationId", o.name as "organisationName", s.role,
           u.role_assignments as "roleAssignments", u.training_completed_on::text as "trainingCompletedOn",
           s.csrf_token as "csrfToken", s.id_token as "idToken",
           w.id as "socialWorkerId", w.team_id as "teamId",
           s.last_seen_at < now() - make_interval(secs => ${seconds(Math.min(60_000, timeouts.idleMs / 4))}) as touch
    from sessions s
    join users u on u.id = s.user_id
    left join organisations o on o.id = s.organisation_id
    left join social_workers w on s.role like 'council.%' and lower(w.email) = lower(u.email)
    where s.id_hash = ${idHash}
      and s.last_seen_at > now() - make_interval(secs => ${seconds(timeouts.idleMs)})
      and s.created_at > now() - make_interval(secs => ${seconds(timeouts.absoluteMs)})`;
  if (!row) return undefined;
  // Record activity for the idle time-out, but not on every request.
  if (row.touch) await sql`update sessions set last_seen_at = now() where id_hash = ${idHash}`;
  const { touch: _touch, ...session } = row;
  return { ...session, idHash };
}

/**
 * "Stay signed in" (the time-out warning): the session's idle time starts again now. Returns
 * the milliseconds left until it ends (the absolute time-out is not moved), or undefined if it
 * has already ended.
 */
export async function keepSessionAlive(sql: Sql, idHash: Buffer, timeouts: SessionTimeouts): Promise<number | undefined> {
  const [row] = await sql<{ absoluteLeftMs: number }[]>`
    update sessions set last_seen_at = now()
    where id_hash = ${idHash}
      and last_seen_at > now() - make_interval(secs => ${seconds(timeouts.idleMs)})
      and created_at > now() - make_interval(secs => ${seconds(timeouts.absoluteMs)})
    returning extract(epoch from created_at - now())::float8 * 1000 + ${timeouts.absoluteMs} as "absoluteLeftMs"`;
  return row && Math.max(0, Math.floor(Math.min(timeouts.idleMs, row.absoluteLeftMs)));
}

export async function chooseRole(sql: Sql, idHash: Buffer, assignment: RoleAssignment): Promise<void> {
  await sql`update sessions set organisation_id = ${assignment.organisationId}, role = ${assignment.role}
            where id_hash = ${idHash}`;
}

export async function deleteSession(sql: Sql, idHash: Buffer): Promise<void> {
  await sql`delete from sessions where id_hash = ${idHash}`;
}

/** Removes expired sessions and stale sign-in attempts and rate-limit windows. */
/**
 * How long an ended session's row is kept after it ends. It can no longer be used (loadSession
 * checks the times), but a concern form posted from a page left open still proves whose it was,
 * so its answers are kept as that person's draft (src/middleware/keep-answers).
 */
export const ENDED_SESSION_KEPT_HOURS = 12;

export async function purgeExpired(sql: Sql, timeouts: SessionTimeouts): Promise<{ sessions: number }> {
  const grace = ENDED_SESSION_KEPT_HOURS * 3600;
  const sessions = await sql`
    delete from sessions
    where last_seen_at <= now() - make_interval(secs => ${seconds(timeouts.idleMs) + grace})
       or created_at <= now() - make_interval(secs => ${seconds(timeouts.absoluteMs) + grace})`;
  await purgeStaleSignInAttempts(sql);
  await purgeOldRateLimitWindows(sql);
  // The development identity provider's expired sign-ins (empty in production).
  await purgeExpiredProviderEntries(sql);
  return { sessions: sessions.count };
}
