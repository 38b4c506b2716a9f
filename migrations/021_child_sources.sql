-- Issue 13: children are keyed by the case system they come from and that system's own id
-- (SSD pers_person_id, CIN census LAchildID, SSDA903 CHILD). One child may be known to several
-- systems; one system's id names one child.
create table child_sources (
  child_id   uuid not null references children (id) on delete cascade,
  -- the case system, as configured (IMPORT_CASE_SYSTEM, for example 'LCS' or 'Mosaic')
  system     text not null check (system ~ '^[A-Za-z0-9 ._-]{1,40}$'),
  source_id  text not null check (length(source_id) between 1 and 48),
  primary key (system, source_id)
);
create index child_sources_child on child_sources (child_id);
