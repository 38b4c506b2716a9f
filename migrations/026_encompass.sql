-- Issue 14: Operation Encompass. A police force tells a child's school, before the next school
-- day, that the child may be a victim of domestic abuse (Domestic Abuse Act 2021 s. 49A).
--
-- An officer sends one incident; the portal makes one notification per destination (the school
-- where a child is on roll, or the council's front door for a child on no roll or not found),
-- and each notification carries only its own children. What a child said is kept in its own
-- table, so that a query fetches it only where the policy releases `childWords`. Every step a
-- notification goes through (sent, e-mailed, opened, acknowledged, escalated) is a row of
-- encompass_events, written by src/encompass/events.ts alone.

create sequence encompass_reference_seq;

-- What the officer sent, once, whatever the number of destinations.
create table encompass_incidents (
  id                   uuid primary key default gen_random_uuid(),
  -- what the officer quotes: OE-<year>-<number>
  reference            text not null unique,
  -- from the form: a double click or a retried request makes one incident, not two
  idempotency_key      text not null unique,
  -- sha-256 of the answers as checked, to tell a retry from changed answers
  answers_digest       text not null,
  force_id             uuid not null references organisations (id),
  sent_by_user_id      uuid not null references users (id),
  sent_by_name         text not null,
  -- the force's own incident reference (its command and control or crime number)
  police_reference     text not null check (char_length(police_reference) between 1 and 40),
  occurred_at          timestamptz not null,
  -- a short factual account: what the school needs to know, not the whole log
  account              text not null check (char_length(account) between 1 and 5000),
  -- the items the force shares by local agreement (ENCOMPASS_SHARED_ITEMS), item name -> text;
  -- only the items switched on for the force when it was sent
  shared_items         jsonb not null default '{}' check (jsonb_typeof(shared_items) = 'object'),
  -- whom the school calls back about it
  contact_name         text not null,
  contact_phone        text not null,
  contact_email        text,
  sent_at              timestamptz not null default now(),
  -- lets a notification name its force, and the database check the two agree
  unique (id, force_id)
);
create index encompass_incidents_force on encompass_incidents (force_id, sent_at desc);

-- One per destination: a school (school_id) or the council's front door (school_id null).
create table encompass_notifications (
  id                       uuid primary key default gen_random_uuid(),
  incident_id              uuid not null,
  -- the incident's force, repeated so that the policy's row filter is one column
  force_id                 uuid not null,
  -- OE-<year>-<number>-<n>: the incident's reference and this destination's number
  reference                text not null unique,
  school_id                uuid references organisations (id),
  -- the front door's council, for the front door's notifications
  local_authority_id       uuid references organisations (id),
  -- when the school must have acknowledged it: the start of the next school day after it was
  -- sent (src/encompass/due.ts)
  due_at                   timestamptz not null,
  created_at               timestamptz not null default now(),
  first_opened_at          timestamptz,
  acknowledged_at          timestamptz,
  acknowledged_by_user_id  uuid references users (id),
  acknowledged_by_name     text,
  -- what the school will do
  school_action            text check (school_action in ('key_adult_informed', 'support_in_place', 'no_action', 'other')),
  school_action_detail     text check (school_action_detail is null or char_length(school_action_detail) <= 2000),
  -- not acknowledged in time: the school's other DSLs, then the front door, were alerted
  escalated_to_dsls_at       timestamptz,
  escalated_to_front_door_at timestamptz,
  foreign key (incident_id, force_id) references encompass_incidents (id, force_id),
  unique (incident_id, school_id),
  check ((school_id is null) <> (local_authority_id is null)),
  check ((acknowledged_at is null) = (acknowledged_by_user_id is null)),
  check ((acknowledged_at is null) = (acknowledged_by_name is null)),
  check ((acknowledged_at is null) = (school_action is null)),
  check (school_action is distinct from 'other' or school_action_detail is not null)
);
-- one front-door notification per incident (school_id null does not collide in the unique above)
create unique index encompass_one_front_door on encompass_notifications (incident_id) where school_id is null;
create index encompass_notifications_force on encompass_notifications (force_id, created_at desc);
create index encompass_notifications_school on encompass_notifications (school_id, created_at desc) where school_id is not null;
create index encompass_notifications_front_door on encompass_notifications (created_at desc) where school_id is null;
create index encompass_notifications_unacknowledged on encompass_notifications (due_at) where acknowledged_at is null;

-- The children a notification is about: as the officer gave them, and the child on record the
-- lookup matched (null: no record found, or a record the force may not use).
create table encompass_children (
  id              uuid primary key default gen_random_uuid(),
  notification_id uuid not null references encompass_notifications (id),
  -- the order the officer gave them in, across the whole incident
  position        integer not null check (position between 1 and 20),
  child_id        uuid references children (id),
  forename        text not null,
  surname         text not null,
  date_of_birth   date not null,
  nhs_number      text check (nhs_number is null or is_valid_nhs_number(nhs_number)),
  upn             text check (upn is null or is_valid_upn(upn)),
  address         text,
  postcode        text,
  present         boolean not null,
  spoken_to       boolean not null,
  -- why it went where it went: on roll at the school, on no roll, or no record found
  routed_because  text not null check (routed_because in ('on_roll', 'not_on_roll', 'not_found')),
  unique (notification_id, position)
);
create index encompass_children_child on encompass_children (child_id) where child_id is not null;

-- What a child said, in their words, kept apart from the officer's account.
create table encompass_child_words (
  encompass_child_id uuid primary key references encompass_children (id),
  words              text not null check (char_length(words) between 1 and 5000)
);

-- Every step, for proof of receipt and the figures.
create table encompass_events (
  id              bigint generated always as identity primary key,
  notification_id uuid not null references encompass_notifications (id),
  kind            text not null check (kind in ('sent', 'emailed', 'opened', 'acknowledged', 'escalated_to_dsls', 'escalated_to_front_door')),
  at              timestamptz not null default now(),
  -- who did it (opened, acknowledged, sent); null for the portal's own steps
  user_id         uuid references users (id),
  -- for e-mailed: the address's user (a DSL) or null for the front door's mailbox
  recipient_user_id uuid references users (id),
  detail          text
);
create index encompass_events_notification on encompass_events (notification_id, at);

-- A notification in a child's chronology points at it, like a partner's concern does.
alter table chronology_events add column encompass_notification_id uuid references encompass_notifications (id);
create index chronology_encompass on chronology_events (encompass_notification_id) where encompass_notification_id is not null;

-- The allocated social worker is told of a notification about their child, like a concern.
alter table social_worker_notifications drop constraint social_worker_notifications_kind_check;
alter table social_worker_notifications add constraint social_worker_notifications_kind_check
  check (kind in ('lookup', 'concern', 'decision', 'encompass'));

-- The access log records sending a notification, reading one and acknowledging one.
alter table access_log drop constraint access_log_action_check;
alter table access_log add constraint access_log_action_check
  check (action in ('view_summary', 'lookup', 'view_list', 'submit_concern', 'decide_concern',
                    'send_encompass', 'read_encompass', 'acknowledge_encompass'));
