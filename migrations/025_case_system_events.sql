-- Issue 13 point 5: what partners send and what the front door decides, out to the council's case
-- system (docs/case-system-export.md). One row per event, written in the same transaction as the
-- concern, the follow-up or the decision it announces (src/access/concern-writes.ts), so an event
-- exists exactly when its change committed; the unique indexes make a retried write add none.
--
-- The row holds no copy of what the partner wrote: an export or a delivery builds each event's
-- JSON from the concern when it is read (src/case-system-export/events.ts), so personal data
-- lives in one place and is corrected or erased there.
create table case_system_events (
  -- insertion order; also the order in which the sequencer numbers events
  seq          bigint generated always as identity primary key,
  -- the event's stable id, as the receiver sees it (X-Portal-Event-Id, "id" in the export)
  event_id     uuid not null unique default gen_random_uuid(),
  -- the export's order, given after commit by the one sequencer (sequenceEvents): null until then.
  -- A reader's cursor is a position; positions are handed out only to committed rows, in one
  -- transaction at a time, so a row committing late gets a later position, never one behind a
  -- cursor that has already moved on (an identity or a timestamp, given at insert, can be).
  position     bigint unique,
  kind         text not null check (kind in ('concern.received', 'concern.information_added', 'concern.decided')),
  concern_id   uuid not null references concerns (id),
  follow_up_id uuid references concern_follow_ups (id),
  -- the child the concern was about when the event happened (the partner's, or the one the
  -- front door matched): its case-system id is read from child_sources when the event is built
  child_id     uuid references children (id) on delete set null,
  occurred_at  timestamptz not null default now(),
  check ((kind = 'concern.information_added') = (follow_up_id is not null))
);
-- One received and one decided event per concern; one event per follow-up.
create unique index case_system_events_once on case_system_events (concern_id, kind) where kind <> 'concern.information_added';
create unique index case_system_events_follow_up on case_system_events (follow_up_id) where follow_up_id is not null;
-- What the sequencer has still to number: small, whatever the log's length.
create index case_system_events_unsequenced on case_system_events (seq) where position is null;
create index case_system_events_occurred on case_system_events (occurred_at);

-- Who reads the events, and how far each has got. 'cli': `npm run export:concerns -- --from-last`
-- resumes after last_position. 'webhook': the signed delivery (src/case-system-export/webhook.ts)
-- delivers the event after last_position next; attempts, available_at and last_error are that
-- event's retries, and lease/locked_until let one process at a time deliver.
create table case_system_consumers (
  name          text primary key check (name in ('cli', 'webhook')),
  last_position bigint not null default 0 check (last_position >= 0),
  attempts      int not null default 0 check (attempts >= 0),
  available_at  timestamptz not null default now(),
  lease         uuid,
  locked_until  timestamptz,
  -- a classified reason ("receiver answered 503"), never the receiver's own text
  last_error    text,
  -- when a webhook first ran here: until then nothing counts as undelivered (/metrics)
  active_since  timestamptz,
  updated_at    timestamptz not null default now(),
  check ((lease is null) = (locked_until is null))
);
insert into case_system_consumers (name) values ('cli'), ('webhook');

-- The webhook's record of each event it finished with: delivered (a 2xx), or failed permanently
-- (a 4xx other than 408 and 429, a redirect): not retried, counted on /metrics.
create table case_system_deliveries (
  position       bigint primary key references case_system_events (position),
  attempts       int not null check (attempts >= 1),
  status         int,
  delivered_at   timestamptz,
  failed_at      timestamptz,
  failure_reason text,
  check ((delivered_at is null) <> (failed_at is null)),
  check (failed_at is null or failure_reason is not null)
);
create index case_system_deliveries_failed on case_system_deliveries (failed_at) where failed_at is not null;

-- Concerns, follow-ups and decisions made before this migration: their events, in the order they
-- happened (seq follows insertion), numbered by the sequencer's first run.
insert into case_system_events (kind, concern_id, follow_up_id, child_id, occurred_at)
select kind, concern_id, follow_up_id, child_id, occurred_at from (
  select 'concern.received' as kind, c.id as concern_id, null::uuid as follow_up_id, c.child_id, c.received_at as occurred_at, c.id::text as tie
  from concerns c
  union all
  select 'concern.information_added', f.concern_id, f.id, c.child_id, f.added_at, f.id::text
  from concern_follow_ups f join concerns c on c.id = f.concern_id
  union all
  select 'concern.decided', c.id, null, c.child_id, c.decided_at, c.id::text
  from concerns c where c.status = 'decided'
) as past
order by occurred_at, (kind = 'concern.decided'), tie;
