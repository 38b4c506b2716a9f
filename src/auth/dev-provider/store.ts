// Where the development identity provider keeps oidc-provider's models (interactions, sessions,
// grants, authorization codes, tokens), behind oidc-provider's Adapter interface:
//
// - postgresStore: the table identity_provider_store (migrations/031). What `npm start` uses, so
//   that a sign-in begun on one worker (WEB_CONCURRENCY) is finished on whichever worker the
//   browser's next request reaches. The only module that writes that table.
// - memoryStore: one process's memory, for a provider started without a database (tests of the
//   provider on its own).
//
// The Adapter contract (oidc-provider v9): upsert(id, payload, expiresIn seconds), find(id),
// findByUid(uid) (Session), findByUserCode(userCode) (DeviceCode; the device flow is off),
// consume(id) (marks an authorization code used), destroy(id), revokeByGrantId(grantId).
// An expired entry is never returned.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Sql } from '../../db/connect.ts';

export interface ProviderStore {
  adapter(model: string): Adapter;
  /** Sign-out: the grant and every code and token issued under it. */
  revokeGrant(grantId: string): Promise<void>;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function postgresStore(sql: Sql): ProviderStore {
  const adapter = (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      const json = sql.json(payload as Parameters<typeof sql.json>[0]);
      const expiresAt = expiresIn ? sql`now() + make_interval(secs => ${expiresIn})` : sql`null`;
      await sql`
        insert into identity_provider_store (model, id, payload, grant_id, uid, user_code, expires_at)
        values (${model}, ${id}, ${json}, ${text(payload.grantId)}, ${text(payload.uid)}, ${text(payload.userCode)}, ${expiresAt})
        on conflict (model, id) do update
        set payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
            user_code = excluded.user_code, expires_at = excluded.expires_at`;
    },
    async find(id) {
      return one(sql`select payload from identity_provider_store where model = ${model} and id = ${id} and ${live()}`);
    },
    async findByUid(uid) {
      return one(sql`select payload from identity_provider_store where model = ${model} and uid = ${uid} and ${live()}`);
    },
    async findByUserCode(userCode) {
      return one(sql`select payload from identity_provider_store where model = ${model} and user_code = ${userCode} and ${live()}`);
    },
    async consume(id) {
      await sql`
        update identity_provider_store
        set payload = payload || jsonb_build_object('consumed', floor(extract(epoch from now()))::bigint)
        where model = ${model} and id = ${id}`;
    },
    async destroy(id) {
      await sql`delete from identity_provider_store where model = ${model} and id = ${id}`;
    },
    async revokeByGrantId(grantId) {
      await sql`delete from identity_provider_store where model = ${model} and grant_id = ${grantId}`;
    },
  });
  const live = () => sql`(expires_at is null or expires_at > now())`;
  async function one(query: Promise<{ payload: AdapterPayload }[]>): Promise<AdapterPayload | undefined> {
    const [row] = await query;
    return row?.payload;
  }
  return {
    adapter,
    async revokeGrant(grantId) {
      await sql`delete from identity_provider_store where (model = 'Grant' and id = ${grantId}) or grant_id = ${grantId}`;
    },
  };
}

/** Removes entries past their expiry (run with the session purge). */
export async function purgeExpiredProviderEntries(sql: Sql): Promise<number> {
  const removed = await sql`delete from identity_provider_store where expires_at <= now()`;
  return removed.count;
}

// The library's own memory adapter is fine but prints a warning every time a provider starts;
// this one is per-provider and small enough to read.
export function memoryStore(): ProviderStore {
  const entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  };
  const removeWhere = (test: (key: string, payload: AdapterPayload) => boolean) => {
    for (const [key, { payload }] of entries) if (test(key, payload)) entries.delete(key);
  };

  const adapter = (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        removeWhere((k) => (entries.get(k)?.expiresAt ?? 0) <= Date.now());
        entries.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      },
      async find(id) {
        return live(key(id));
      },
      async findByUid(uid) {
        for (const [k, { payload }] of entries) {
          if (k.startsWith(`${model}:`) && payload.uid === uid) return live(k);
        }
        return undefined;
      },
      async findByUserCode() {
        return undefined; // device flow is not enabled
      },
      async consume(id) {
        const payload = live(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        removeWhere((k, payload) => k.startsWith(`${model}:`) && payload.grantId === grantId);
      },
    };
  };

  return {
    adapter,
    async revokeGrant(grantId) {
      removeWhere((k, payload) => k === `Grant:${grantId}` || payload.grantId === grantId);
    },
  };
}
