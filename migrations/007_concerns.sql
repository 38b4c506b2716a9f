-- Partners' safeguarding concerns (DESIGN.md §4; issue 5). A concern is written in one
-- transaction with a contact entry in the child's chronology (or, for a child the partner
-- could not identify, it waits unmatched in the front door's queue), an audit entry and a
-- notification for the front door.

create sequence concern_reference_seq;

create table concerns (
  id                      uuid primary key default gen_random_uuid(),
  -- what the partner quotes: SPP-<year>-<number>
  reference               text not null unique,
  -- from the form: a double click or a retried request makes one concern, not two
  idempotency_key         text not null unique,
  submitted_by_user_id    uuid not null references users (id),
  submitted_by_name       text not null,
  submitted_by_role       text not null,
  organisation_id         uuid not null references organisations (id),
  -- the child, when the partner raised it from a child they can see; else matched later
  child_id                uuid references children (id),
  -- the child as the partner described them (always kept as given)
  child_forename          text,
  child_surname           text,
  child_date_of_birth     date,
  child_nhs_number        text check (child_nhs_number is null or is_valid_nhs_number(child_nhs_number)),
  child_upn               text check (child_upn is null or is_valid_upn(child_upn)),
  child_address           text,
  child_postcode          text,
  category                text not null,
  what_happened           text not null,
  happened_on             date not null,
  -- the child's own words, kept apart from the professional's account
  child_words             text,
  immediate_risk          boolean not null,
  actions_taken           text,
  parents_aware           boolean not null,
  parents_not_aware_reason text,
  referrer_phone          text not null,
  referrer_email          text,
  received_at             timestamptz not null default now(),
  decision_due_at         timestamptz not null,
  status                  text not null default 'received' check (status in ('received', 'decided')),
  decision                text check (decision in ('no_further_action', 'advice_given', 'early_help',
                                                  'referral_to_social_care', 'strategy_discussion')),
  decision_reason         text,
  feedback                text,
  decided_by_user_id      uuid references users (id),
  decided_at              timestamptz,
  check (parents_aware or parents_not_aware_reason is not null),
  check ((status = 'decided') = (decision is not null and decided_at is not null))
);
create index concerns_organisation on concerns (organisation_id, received_at desc);
create index concerns_open on concerns (immediate_risk desc, decision_due_at) where status = 'received';
create index concerns_child on concerns (child_id) where child_id is not null;

-- Where the front door's notifications go.
alter table organisations add column front_door_email text;

-- The access log also records submissions and decisions about a child.
alter table access_log drop constraint access_log_action_check;
alter table access_log add constraint access_log_action_check
  check (action in ('view_summary', 'lookup', 'view_list', 'submit_concern', 'decide_concern'));
