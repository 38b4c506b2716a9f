-- Issue 15, point 3: the access log is partitioned by month, so that it can grow by millions of
-- rows a year, old months can be retired whole (exported, verified, then dropped: see
-- src/audit/retire-cli.ts), and `npm run audit:verify` can start from a checkpoint.
--
-- 1. access_log becomes a table partitioned by range of `at`, one partition per calendar month
--    in UTC (access_log_YYYY_MM), plus access_log_default for any row whose month has no
--    partition yet. Same name, same columns in the same order, same identity, same check
--    constraint names (access_log_action_check is dropped and re-added by later migrations to
--    add actions, exactly as before). The primary key becomes (id, at): a unique constraint on a
--    partitioned table must include the partition key. Ids still come from one identity, so id
--    alone stays unique in practice; nothing relies on the database enforcing it.
--
-- 2. Why a default partition rather than refusing a row with no partition: an access-log row is
--    written in the same transaction as the look it records, so an insert that failed would fail
--    the look itself (a doctor at night could not look a child up because of housekeeping). An
--    audit log must never lose a row and must never stand between a professional and a child's
--    record, so the row lands in the default partition and is still chained and verified. The
--    portal keeps the current month and the next three made ahead (src/audit/partitions.ts), so
--    the default stays empty unless the portal was stopped for months or a clock jumped; when
--    that month's partition is made later, its rows move out of the default with it (same ids,
--    same times, so the chain still verifies), and /metrics reports rows in the default.
--
-- 3. Triggers on a partitioned table, PostgreSQL 15: row triggers (the append-only refusal of
--    update and delete, the database-time trigger) are cloned onto every partition, present and
--    future, and fire whether a statement names the parent or the partition. Statement triggers
--    are NOT cloned: TRUNCATE of one partition would not fire the parent's TRUNCATE trigger, so
--    every partition gets its own (access_log_protect_partition, below). Privileges are not
--    inherited either: a partition is a table of its own, and the owner's default privileges
--    (docs/operations.md) would grant portal_app UPDATE and DELETE on it, so each partition has
--    them revoked as it is made.
--
-- 4. The database-time trigger: the row is routed to its partition by the `at` it was written
--    with, before a BEFORE ROW trigger can change it, and PostgreSQL refuses a BEFORE trigger
--    that moves a row to another partition. So a non-superuser's row that names a time in
--    another month than now is refused outright (as it should be: nobody may backdate the log);
--    within the month it is quietly given now(), as before.
--
-- 5. access_log_chain referenced access_log(id); a foreign key to a partitioned table must name
--    the partition key too, and would forbid dropping a retired month. So the chain now carries
--    each row's `at` as log_at (filled from the log where an insert leaves it out), an insert
--    trigger does the foreign key's job (the row must exist, with that time, when it is
--    chained), and verification reports a chained row that is gone. Chain rows are kept when a
--    month is retired (positions and hashes only, no personal data), so the chain stays one
--    unbroken sequence, every witness still matches, and verification starts after the latest
--    retirement's anchor. The chain's order (position, not id) is unchanged: see 004.
--
-- 6. access_log_retirements records each retired month and its anchor; access_log_verifications
--    records each verified stretch, the checkpoint the next `audit:verify` starts from. Both
--    append-only, like the log.

-- ---------------------------------------------------------------------------------------------
-- The old table steps aside (its index names are needed for the new one).
alter table access_log rename to access_log_unpartitioned;
alter table access_log_chain drop constraint access_log_chain_log_id_fkey;
drop index access_log_child, access_log_at, access_log_organisation, access_log_user;
alter table access_log_unpartitioned rename constraint access_log_pkey to access_log_unpartitioned_pkey;

create table access_log (
  id                 bigint generated always as identity,
  at                 timestamptz not null default now(),
  issuer             text not null,
  subject            text not null,
  user_name          text not null,
  organisation_id    uuid,
  organisation_name  text,
  role               text not null,
  child_id           uuid,
  action             text not null,
  fields_released    text[] not null default '{}',
  reason             text,
  request_id         text not null,
  incident_reference text,
  constraint access_log_pkey primary key (id, at),
  constraint access_log_action_check
    check (action in ('view_summary', 'lookup', 'view_list', 'submit_concern', 'decide_concern',
                      'send_encompass', 'read_encompass', 'acknowledge_encompass')),
  constraint access_log_incident_reference_check
    check (incident_reference is null or (char_length(incident_reference) between 1 and 40 and action = 'lookup'))
) partition by range (at);
-- The same indexes as before, made on every partition. "Viewed by" reads access_log_child; the
-- governance search's filters each have theirs; the chain worker and "older entries" read id.
create index access_log_child on access_log (child_id, at desc);
create index access_log_at on access_log (at);
create index access_log_organisation on access_log (organisation_id, at);
create index access_log_user on access_log (issuer, subject, at);
-- Information governance searches by part of the looker's name (lower(user_name) like '%…%'):
-- without this every partition is read row by row when the name is rare (22 s at 10 M rows,
-- docs/operations.md). pg_trgm is already in use for child matching (012_child_matching.sql).
create index access_log_user_name_trgm on access_log using gin (lower(user_name) gin_trgm_ops);

-- A partition's own protections: the TRUNCATE refusal (statement triggers are not cloned) and
-- no UPDATE, DELETE or TRUNCATE for the application role.
create function access_log_protect_partition(partition regclass) returns void
language plpgsql set search_path = public, pg_temp as $$
declare
  grantee text;
begin
  if not exists (select 1 from pg_trigger where tgrelid = partition and tgname = 'access_log_no_truncate') then
    execute format('create trigger access_log_no_truncate before truncate on %s
                    for each statement execute function access_log_refuse_change()', partition);
  end if;
  -- Whoever the owner's default privileges gave UPDATE, DELETE or TRUNCATE (portal_app, under
  -- whatever name), loses them: the partition is insert-and-read like its parent.
  for grantee in
    select distinct case when a.grantee = 0 then 'public' else quote_ident(r.rolname) end
    from pg_class c cross join lateral aclexplode(c.relacl) a left join pg_roles r on r.oid = a.grantee
    where c.oid = partition and a.grantee <> c.relowner and a.privilege_type in ('UPDATE', 'DELETE', 'TRUNCATE')
  loop
    execute format('revoke update, delete, truncate on %s from %s', partition, grantee);
  end loop;
end
$$;

-- Makes the monthly partitions from first_month to last_month (inclusive) that do not exist yet,
-- and returns how many it made. The portal calls it (src/audit/partitions.ts) as portal_app,
-- which may not create tables: it runs as its owner (security definer), can only make access-log
-- partitions, and takes an advisory lock so that any number of processes may call it at once.
-- Rows of a month that went to the default partition move into the month's new partition.
--
-- Making a partition locks the whole log for a moment. Queued behind a long reader (a full
-- audit:verify), that lock would hold up every insert behind it, so within this function a lock
-- is waited for at most 2 s, then it fails; the portal tries again within the hour, months
-- ahead of need.
create function access_log_make_partitions(first_month date, last_month date) returns integer
language plpgsql security definer set search_path = public, pg_temp set lock_timeout = '2s' as $$
declare
  month date := date_trunc('month', first_month)::date;
  made integer := 0;
  name text;
  low timestamptz;
  high timestamptz;
begin
  if first_month is null or last_month is null or last_month < first_month
     or last_month > first_month + interval '10 years' or first_month < date '2000-01-01' then
    raise exception 'access log partitions: a range of at most ten years from 2000 is needed'
      using errcode = 'invalid_parameter_value';
  end if;
  perform pg_advisory_xact_lock(740051923030);
  while month <= last_month loop
    name := 'access_log_' || to_char(month, 'YYYY_MM');
    low := month::timestamp at time zone 'UTC';
    high := (month + interval '1 month')::timestamp at time zone 'UTC';
    if to_regclass(name) is null then
      if exists (select 1 from access_log_default where at >= low and at < high) then
        -- Take the default out, give the month its own table holding its rows, and put back a
        -- default holding the rest: rows are copied, never updated or deleted, so ids, times
        -- and the chain's hashes are exactly as they were. Tables not yet attached have no
        -- triggers; the old default is dropped whole (no row trigger fires on DROP).
        alter table access_log detach partition access_log_default;
        alter table access_log_default rename to access_log_default_moving;
        execute format('create table %I (like access_log including defaults including constraints)', name);
        execute format('insert into %I select * from access_log_default_moving where at >= %L and at < %L', name, low, high);
        create table access_log_default (like access_log including defaults including constraints);
        execute format('insert into access_log_default select * from access_log_default_moving where not (at >= %L and at < %L)', low, high);
        drop table access_log_default_moving;
        execute format('alter table access_log attach partition %I for values from (%L) to (%L)', name, low, high);
        alter table access_log attach partition access_log_default default;
        perform access_log_protect_partition('access_log_default'::regclass);
      else
        execute format('create table if not exists %I partition of access_log for values from (%L) to (%L)', name, low, high);
      end if;
      perform access_log_protect_partition(name::regclass);
      made := made + 1;
    end if;
    month := (month + interval '1 month')::date;
  end loop;
  return made;
end
$$;
revoke all on function access_log_make_partitions(date, date) from public;
revoke all on function access_log_protect_partition(regclass) from public;
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'portal_app') then
    grant execute on function access_log_make_partitions(date, date) to portal_app;
  end if;
end
$$;

create table access_log_default partition of access_log default;
select access_log_protect_partition('access_log_default'::regclass);

-- A partition for every month the old table holds, and for this month and the next three.
select access_log_make_partitions(
  least(coalesce((select min(at) from access_log_unpartitioned), now()), now())::date,
  greatest(coalesce((select max(at) from access_log_unpartitioned), now()), now() + interval '3 months')::date);

-- The rows move across exactly as they are: same ids, same times (no trigger on the new table
-- yet), so every hash in the chain still verifies. The identity carries on after the last id.
insert into access_log (id, at, issuer, subject, user_name, organisation_id, organisation_name, role,
                        child_id, action, fields_released, reason, request_id, incident_reference)
overriding system value
select id, at, issuer, subject, user_name, organisation_id, organisation_name, role,
       child_id, action, fields_released, reason, request_id, incident_reference
from access_log_unpartitioned;
do $$
declare
  old_sequence text := pg_get_serial_sequence('access_log_unpartitioned', 'id');
  new_sequence text := pg_get_serial_sequence('access_log', 'id');
  last bigint;
  called boolean;
begin
  execute format('select last_value, is_called from %s', old_sequence) into last, called;
  perform setval(new_sequence, last, called);
end
$$;
drop table access_log_unpartitioned;
-- The new identity's sequence takes the old one's name (freed by the drop).
do $$
begin
  execute format('alter sequence %s rename to access_log_id_seq', pg_get_serial_sequence('access_log', 'id'));
end
$$;

-- The row triggers of 004 and 010, now on the partitioned table (and so on every partition).
create trigger access_log_no_update_delete
  before update or delete on access_log
  for each row execute function access_log_refuse_change();
create trigger access_log_no_truncate
  before truncate on access_log
  for each statement execute function access_log_refuse_change();

create or replace function access_log_database_time() returns trigger
language plpgsql as $$
begin
  if tg_table_name = 'access_log_chain' then
    new.chained_at := now();
  elsif date_trunc('month', new.at at time zone 'UTC') = date_trunc('month', now() at time zone 'UTC') then
    new.at := now();
  else
    -- Routed by the time it was written with (note 4 above): refused rather than moved.
    raise exception 'the access log takes the database''s own time: a row cannot be written for another month'
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end
$$;
create trigger access_log_database_time
  before insert on access_log
  for each row
  when (new.at is distinct from now() and current_setting('is_superuser') <> 'on')
  execute function access_log_database_time();

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'portal_app') then
    revoke update, delete, truncate on access_log from portal_app;
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- The chain carries its row's time, and its insert checks the row is there (the foreign key's job).
alter table access_log_chain add column log_at timestamptz;
-- The migration's own UPDATE, by the owner: the append-only trigger is set aside for it alone.
alter table access_log_chain disable trigger access_log_chain_no_update_delete;
update access_log_chain c set log_at = a.at from access_log a where a.id = c.log_id;
alter table access_log_chain enable trigger access_log_chain_no_update_delete;
alter table access_log_chain alter column log_at set not null;

create function access_log_chain_row_exists() returns trigger
language plpgsql as $$
declare
  found_at timestamptz;
begin
  if new.log_at is null then
    select a.at into found_at from access_log a where a.id = new.log_id;
    new.log_at := found_at;
  elsif not exists (select 1 from access_log a where a.id = new.log_id and a.at = new.log_at) then
    new.log_at := null;
  end if;
  if new.log_at is null then
    raise exception 'access log row % is not in the log, so it cannot be chained', new.log_id
      using errcode = 'foreign_key_violation';
  end if;
  return new;
end
$$;
create trigger access_log_chain_row_exists
  before insert on access_log_chain
  for each row execute function access_log_chain_row_exists();

-- ---------------------------------------------------------------------------------------------
-- Retired months (src/audit/retire.ts) and verified stretches (audit:verify's checkpoints).
create table access_log_retirements (
  -- the month retired: its first day (UTC)
  month             date primary key,
  partition_name    text not null,
  rows              bigint not null check (rows >= 0),
  -- the chain positions of its rows (null when it had none)
  first_position    bigint,
  last_position     bigint,
  -- Verification starts after this link (its hash taken as given): every link at or before it
  -- belongs to a retired month. Links after it whose rows were retired are checked for their
  -- place in the chain only. 0 and null when nothing had been chained.
  anchor_position   bigint not null check (anchor_position >= 0),
  anchor_hash       bytea,
  -- of every retired month so far: the highest position of a retired row's link, and how many
  -- such links lie after the anchor (rows chained late, after rows of a later month)
  retired_up_to     bigint not null check (retired_up_to >= anchor_position),
  retired_after_anchor bigint not null check (retired_after_anchor >= 0),
  -- every row before this time has been retired
  retired_before    timestamptz not null,
  export_file       text not null,
  export_sha256     text not null check (export_sha256 ~ '^[0-9a-f]{64}$'),
  retired_at        timestamptz not null default now()
);

create table access_log_verifications (
  id            bigint generated always as identity primary key,
  -- the stretch verified: after from_position up to and including position (its hash)
  from_position bigint not null check (from_position >= 0),
  position      bigint not null check (position >= from_position),
  hash          bytea,
  full_check    boolean not null,
  verified_at   timestamptz not null default now()
);

create trigger access_log_retirements_no_update_delete
  before update or delete on access_log_retirements
  for each row execute function access_log_refuse_change();
create trigger access_log_retirements_no_truncate
  before truncate on access_log_retirements
  for each statement execute function access_log_refuse_change();
create trigger access_log_verifications_no_update_delete
  before update or delete on access_log_verifications
  for each row execute function access_log_refuse_change();
create trigger access_log_verifications_no_truncate
  before truncate on access_log_verifications
  for each statement execute function access_log_refuse_change();

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'portal_app') then
    revoke update, delete, truncate on access_log_retirements, access_log_verifications from portal_app;
  end if;
end
$$;
