-- The access log: one row for every partner look at a child's record (DESIGN.md §5 "Access log
-- off the hot path"). Requests only INSERT into access_log; a background step
-- (src/audit/chain.ts) later hash-chains new rows into access_log_chain, so a row edited or
-- deleted after it was chained is detected by `npm run audit:verify`.

create table access_log (
  id                bigint generated always as identity primary key,
  at                timestamptz not null default now(),
  -- who looked, as their identity provider knows them (OIDC issuer + sub), and as what
  issuer            text not null,
  subject           text not null,
  user_name         text not null,
  -- copied, not referenced: the log must say who it was even after organisations change
  organisation_id   uuid,
  organisation_name text,
  role              text not null,
  -- no foreign key: the log must outlive re-seeding of the case record. Null when a lookup
  -- matched nobody, and for a list of children.
  child_id          uuid,
  action            text not null check (action in ('view_summary', 'lookup', 'view_list')),
  fields_released   text[] not null default '{}',
  reason            text,
  request_id        text not null
);
create index access_log_child on access_log (child_id, at desc);
create index access_log_at on access_log (at);
create index access_log_organisation on access_log (organisation_id, at);
create index access_log_user on access_log (issuer, subject, at);

-- The chain, in its own order. Identity ids can commit out of order (a lower id may commit after
-- a higher one was chained), so position, not access_log.id, is the chain's order.
create table access_log_chain (
  position      bigint primary key,
  log_id        bigint not null unique references access_log (id),
  -- null for position 1; otherwise the hash at position - 1
  previous_hash bytea,
  -- sha-256(previous hash, or 32 zero bytes, followed by the row's canonical encoding)
  hash          bytea not null,
  chained_at    timestamptz not null default now(),
  check ((position = 1) = (previous_hash is null))
);

-- Append-only, whatever role the app connects as: CI and the embedded default connect as a
-- superuser, for whom GRANTs are no barrier, so the refusal lives in triggers. (A superuser or
-- the table owner can still disable a trigger: that is what the hash chain is there to catch.)
create function access_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'the access log is append-only: % on % is not allowed', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end
$$;

create trigger access_log_no_update_delete
  before update or delete on access_log
  for each row execute function access_log_refuse_change();
create trigger access_log_no_truncate
  before truncate on access_log
  for each statement execute function access_log_refuse_change();
create trigger access_log_chain_no_update_delete
  before update or delete on access_log_chain
  for each row execute function access_log_refuse_change();
create trigger access_log_chain_no_truncate
  before truncate on access_log_chain
  for each statement execute function access_log_refuse_change();

-- In production the app should connect as a role that neither owns these tables nor is a
-- superuser (say portal_app), holding only INSERT and SELECT on them: then it cannot disable
-- the triggers either. Where such a role already exists, make sure it holds nothing more.
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'portal_app') then
    revoke update, delete, truncate on access_log, access_log_chain from portal_app;
  end if;
end
$$;
