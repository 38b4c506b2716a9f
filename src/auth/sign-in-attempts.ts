// Sign-in attempts: what the portal keeps between sending a user to their identity provider and
// their return (PKCE verifier, state, nonce, where to go afterwards). As with sessions, the
// browser holds an opaque random value and the table only its SHA-256. Taking an attempt
// deletes it, so a callback can be completed once only. The only module that writes
// sign_in_attempts.
import type { Sql } from '../db/connect.ts';
import { hashSecret, newSecret } from './secrets.ts';

/** How long a user has at their provider before the attempt (and its cookie) lapses. */
export const SIGN_IN_ATTEMPT_MAX_AGE_SECONDS = 600;

export interface SignInAttempt {
  providerId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** A path on this site, already checked by the caller, or null. */
  returnTo: string | null;
}

/** Records the attempt; returns the value for the browser's sign-in cookie. */
export async function startSignInAttempt(sql: Sql, attempt: SignInAttempt): Promise<string> {
  const cookieValue = newSecret();
  const row = {
    id_hash: hashSecret(cookieValue),
    provider_id: attempt.providerId,
    state: attempt.state,
    nonce: attempt.nonce,
    code_verifier: attempt.codeVerifier,
    return_to: attempt.returnTo,
  };
  await sql`insert into sign_in_attempts ${sql(row, 'id_hash', 'provider_id', 'state', 'nonce', 'code_verifier', 'return_to')}`;
  return cookieValue;
}

/** The attempt the cookie names, if it has not lapsed, removed so that it cannot be used again. */
export async function takeSignInAttempt(sql: Sql, cookieValue: string): Promise<SignInAttempt | undefined> {
  const [attempt] = await sql<SignInAttempt[]>`
    delete from sign_in_attempts
    where id_hash = ${hashSecret(cookieValue)}
      and created_at > now() - make_interval(secs => ${SIGN_IN_ATTEMPT_MAX_AGE_SECONDS})
    returning provider_id as "providerId", state, nonce, code_verifier as "codeVerifier", return_to as "returnTo"`;
  return attempt;
}

/** Removes attempts nobody came back to. */
export async function purgeStaleSignInAttempts(sql: Sql): Promise<void> {
  await sql`delete from sign_in_attempts where created_at < now() - interval '1 hour'`;
}
