-- Issue 10, point 4: the access log's head is witnessed outside the database.
--
-- 1. Rows carry the database's own time. The app never supplies access_log.at or
--    access_log_chain.chained_at (src/audit/access-log.ts and chain.ts name their columns and
--    leave both out), and these triggers make sure no other caller can either: whatever an
--    INSERT says, the row gets now(). Superusers are exempt, so that a restore, the benchmark's
--    year of synthetic rows and tests with fixed times still work; a superuser could disable the
--    trigger anyway. In production the portal connects as a role that is not a superuser (see
--    004_access_log.sql), and that role cannot backdate a row.
-- 2. access_log_digests remembers the chain's head at each daily digest e-mail to information
--    governance (src/audit/witness.ts), so the next digest can say how many rows were chained
--    since. It is bookkeeping only: the e-mail itself, once sent, is the witness.

create function access_log_database_time() returns trigger
language plpgsql as $$
begin
  if tg_table_name = 'access_log' then
    new.at := now();
  else
    new.chained_at := now();
  end if;
  return new;
end
$$;

-- The WHEN clause keeps the ordinary insert (which already carries now()) free of any call.
create trigger access_log_database_time
  before insert on access_log
  for each row
  when (new.at is distinct from now() and current_setting('is_superuser') <> 'on')
  execute function access_log_database_time();
create trigger access_log_chain_database_time
  before insert on access_log_chain
  for each row
  when (new.chained_at is distinct from now() and current_setting('is_superuser') <> 'on')
  execute function access_log_database_time();

create table access_log_digests (
  -- the day in England (Europe/London) the digest was for; one digest per day
  day       date primary key,
  -- the chain's head when the digest was written: 0 and null while the chain is empty
  position  bigint not null check (position >= 0),
  hash      bytea,
  queued_at timestamptz not null default now()
);
