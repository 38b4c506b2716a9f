-- Issue 17, point 4: the figures (/figures, docs/figures.md) at a county's size. Each index was
-- added where EXPLAIN showed a figure's query reading the whole table's rows to count a period:
-- with them the counts are index-only scans over the period alone.

-- Concerns received in a period, with what the referral-source, timeliness and school figures read.
create index concerns_received_figures on concerns (received_at)
  include (submitted_by_role, organisation_id, immediate_risk, decided_at, decision_due_at);
-- Decisions made in a period: outcomes and time to decision.
create index concerns_decided_figures on concerns (decided_at) include (decision, received_at)
  where decided_at is not null;
-- A child's concerns in order: repeat concerns within 12 months, in one pass (a window over this).
create index concerns_child_received on concerns (child_id, received_at) where child_id is not null;
-- Each school's roll today, counted from the index alone.
create index relationships_enrolled_current on child_organisation_relationships (organisation_id)
  where kind = 'enrolled' and end_date is null;

-- Partners' looks: a year of the access log is a million rows and more, too many to count on each
-- page. Whole days already past are counted once into this table by a background step
-- (src/audit/access-log-daily.ts, its one writer; one node at a time under an advisory lock), and
-- the figure adds the live log after `counted_through`: exact, and only a day or so of rows read.
create table access_log_daily (
  day     date not null,
  role    text not null,
  action  text not null,
  count   integer not null check (count > 0),
  primary key (day, role, action)
);
-- One row: the access log has been counted into access_log_daily for every row before this instant
-- (the start of a day in England).
create table access_log_daily_through (
  one_row         boolean primary key default true check (one_row),
  counted_through timestamptz not null
);
