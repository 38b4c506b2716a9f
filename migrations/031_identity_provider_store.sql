-- The development identity provider's store (src/auth/dev-provider/store.ts): oidc-provider's
-- models (sign-in interactions, sessions, grants, authorization codes, tokens) in PostgreSQL
-- rather than one process's memory, so that every worker of `npm start` (WEB_CONCURRENCY) sees
-- the same sign-in whichever worker a browser's request reaches. Never holds anything in
-- production, where the portal signs in through the agencies' own identity providers.
--
-- One row per model and id, as oidc-provider's Adapter interface addresses them; grant_id, uid
-- and user_code are copied out of the payload for revokeByGrantId, findByUid and
-- findByUserCode. Rows past expires_at are never returned and are removed by the session purge
-- (src/auth/sessions.ts purgeExpired).
create table identity_provider_store (
  model       text not null,
  id          text not null,
  payload     jsonb not null,
  grant_id    text,
  uid         text,
  user_code   text,
  expires_at  timestamptz,
  primary key (model, id)
);
create index identity_provider_store_grant on identity_provider_store (grant_id) where grant_id is not null;
create index identity_provider_store_uid on identity_provider_store (model, uid) where uid is not null;
create index identity_provider_store_user_code on identity_provider_store (model, user_code) where user_code is not null;
create index identity_provider_store_expires on identity_provider_store (expires_at) where expires_at is not null;
