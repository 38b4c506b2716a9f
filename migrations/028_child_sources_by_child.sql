-- A child's case-system ids, found by child and system in one index (issue 13's figures). The
-- merge reads them for each child of a batch; during a first import the whole import is one
-- transaction, so the planner works from an empty table's statistics and, given an index on
-- child_id alone, combined it with the primary key's (system, source_id): a scan of every id of
-- that system per child, 5 ms each, 2.5 s a batch at 100,000 children. One index on both, with
-- the id included, is the plan whatever the statistics say.
drop index child_sources_child;
create index child_sources_child_system on child_sources (child_id, system) include (source_id);
