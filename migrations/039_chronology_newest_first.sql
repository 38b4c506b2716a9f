-- A child's chronology is read a page at a time, newest first (src/access/chronology.ts):
-- occurred_on, then recorded_at for entries on the same day. With both in the index the newest
-- page is read straight off it, without sorting every entry a long-known child has.
create index chronology_child_newest on chronology_events (child_id, occurred_on desc, recorded_at desc);
drop index chronology_child;
