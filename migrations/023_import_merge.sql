-- Issue 13: what the import's merge (src/imports/merge/) needs in the case record.

-- The council's flags file: a restricted child (a member of staff's child, a high-profile case)
-- shows the front door identity and contacts only. flags_system is the case system whose flags
-- file set the flags: only those are cleared when the child drops out of the next flags file,
-- never flags set another way (the demo seed's sealed records).
alter table children add column restricted boolean not null default false;
alter table children add column flags_system text;
alter table children add column date_of_death date;
-- When an import last changed the record: an import that changes nothing leaves it alone.
alter table children add column updated_at timestamptz not null default now();

-- A pupil's earlier UPNs (a temporary UPN replaced by a permanent one, a UPN reissued): a school
-- roll or census still naming the old one finds the child. A UPN names one child.
create table child_former_upns (
  upn      text primary key check (is_valid_upn(upn)),
  child_id uuid not null references children (id) on delete cascade
);
create index child_former_upns_child on child_former_upns (child_id);

-- Rows an import loaded carry the case system and the source that loaded them (so a snapshot
-- ends only what that source loaded) and the run that last changed them. import_run_id has no
-- foreign key: the import runs' own table is another module's (migration 022).
alter table involvements
  add column episode_id text,
  add column import_system text,
  add column import_source text,
  add column import_run_id text;
create index involvements_episode on involvements (child_id, kind, episode_id) where episode_id is not null;
create index involvements_import_open on involvements (import_system, import_source) where end_date is null;

alter table allocations
  add column import_system text,
  add column import_source text,
  add column import_run_id text;
create index allocations_import_open on allocations (import_system, import_source) where end_date is null;
-- The merge reads a batch's children's allocations, ended ones too (002 indexes only current ones).
create index allocations_child on allocations (child_id);

alter table child_organisation_relationships
  add column import_system text,
  add column import_source text,
  add column import_run_id text;
create index relationships_import_open on child_organisation_relationships (import_system, import_source) where end_date is null;

-- The council's directory as the case system knows it: a feed names a worker by the case
-- system's professional id or Social Work England registration number, and carries no e-mail
-- address. A worker added from a feed has none until the council adds one: they get their
-- alerts on their start page only.
alter table social_workers alter column email drop not null;
alter table social_workers
  add column case_system text,
  add column case_system_id text,
  add column registration_number text unique;
create unique index social_workers_case_system_id on social_workers (case_system, case_system_id) where case_system_id is not null;

-- What each run saw, so that a snapshot source can end what it no longer lists. Kept apart from
-- the case record so that an import that changes nothing writes nothing there; unlogged because
-- it only matters while its run lasts (a crash fails the run, and the next run starts afresh).
create unlogged table import_sightings (
  run_id  text not null,
  kind    text not null check (kind in ('involvement', 'allocation', 'relationship', 'flags', 'school', 'gp_practice')),
  row_id  uuid not null,
  seen_at timestamptz not null default now(),
  primary key (run_id, kind, row_id)
);
