-- Issue 13: every import is a run with a record of who started it, when, the files' checksums,
-- the counts and how it ended, and a report of every record it rejected or held. The files
-- themselves are never kept: only their names, sizes and SHA-256 (src/imports/run.ts).
create table import_runs (
  id                 uuid primary key default gen_random_uuid(),
  local_authority_id uuid not null references organisations (id),
  source             text not null check (source in ('ssd', 'cin-census', 'ssda903', 'school-roll', 'gp-registration', 'flags')),
  -- the case system the ids come from (IMPORT_CASE_SYSTEM), as in child_sources.system
  system             text not null check (system ~ '^[A-Za-z0-9 ._-]{1,40}$'),
  trigger            text not null check (trigger in ('cli', 'upload', 'drop-folder')),
  started_by_user_id uuid references users (id),
  -- the person's name, or 'cli:<os user>', or 'drop-folder'
  started_by_name    text not null check (length(started_by_name) between 1 and 200),
  started_at         timestamptz not null default now(),
  finished_at        timestamptz,
  -- running: under way (or its process died: marked interrupted by the next run that finds it);
  -- refused: another import was running, or the files were not this source's.
  status             text not null default 'running'
                       check (status in ('running', 'succeeded', 'failed', 'refused', 'interrupted')),
  -- [{ "name": "ssd_person.csv", "bytes": 123, "sha256": "…" }]
  files              jsonb not null default '[]',
  -- read = inserted + updated + unchanged + rejected + held; warnings and ended are apart
  read               integer not null default 0 check (read >= 0),
  inserted           integer not null default 0 check (inserted >= 0),
  updated            integer not null default 0 check (updated >= 0),
  unchanged          integer not null default 0 check (unchanged >= 0),
  ended              integer not null default 0 check (ended >= 0),
  rejected           integer not null default 0 check (rejected >= 0),
  held               integer not null default 0 check (held >= 0),
  warnings           integer not null default 0 check (warnings >= 0),
  -- progress, for the page: bytes of the files read so far, of how many (null: not known)
  bytes_read         bigint not null default 0,
  bytes_total        bigint,
  -- where a failed run stopped: 'file:line' or 'file element/path'
  stopped_at         text,
  -- why it failed or was refused: written by the runner, never a database's own message
  message            text,
  check ((status = 'running') = (finished_at is null))
);
create index import_runs_started on import_runs (local_authority_id, started_at desc);
-- Only the last successful import of each source is asked for often (the governance home page).
create index import_runs_succeeded on import_runs (local_authority_id, source, finished_at desc) where status = 'succeeded';
create index import_runs_running on import_runs (status) where status = 'running';

-- One line of a run's report. Written in the run's own data transaction: a failed run loaded
-- nothing, so it reports nothing but where it stopped.
create table import_issues (
  run_id              uuid not null references import_runs (id) on delete cascade,
  -- the order the issues were found in, from 1
  seq                 integer not null check (seq > 0),
  source              text not null,
  file                text not null,
  line                integer,
  path                text,
  case_system_id      text,
  rule                text not null,
  dfe_rule            text,
  field               text,
  -- already masked where personal (src/imports/values.ts maskValue)
  value               text,
  message             text not null,
  outcome             text not null check (outcome in ('rejected', 'held', 'warning')),
  -- held records only: the canonical record, to load once a person has resolved it
  record              jsonb,
  -- a held record resolved: loaded (with the child a person chose, where that was the question)
  -- or dismissed (not to be loaded)
  resolved_at         timestamptz,
  resolved_by_user_id uuid references users (id),
  resolution          text check (resolution in ('loaded', 'dismissed')),
  resolved_child_id   uuid references children (id) on delete set null,
  primary key (run_id, seq),
  check (outcome = 'held' or record is null),
  check (outcome = 'held' or resolved_at is null),
  check ((resolved_at is null) = (resolution is null))
);
create index import_issues_held_open on import_issues (run_id) where outcome = 'held' and resolved_at is null;
