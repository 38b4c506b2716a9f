-- Sending the same concern form again with different answers (issue 10, point 3). The concern
-- keeps a digest of the answers it was made with, so a retry (the same answers) is told apart
-- from changed answers under the same form key; the partner then adds what changed as a
-- follow-up, which the front door reads with the concern and which joins the child's chronology.

-- SHA-256 of the checked answers, as hex; null for concerns made before this migration.
alter table concerns add column answers_digest text;

create table concern_follow_ups (
  id                uuid primary key default gen_random_uuid(),
  concern_id        uuid not null references concerns (id),
  -- from the follow-up form: a double click or a retry adds one note, not two
  idempotency_key   text not null unique,
  added_by_user_id  uuid not null references users (id),
  added_by_name     text not null,
  text              text not null check (length(text) between 1 and 5000),
  added_at          timestamptz not null default now()
);
create index concern_follow_ups_concern on concern_follow_ups (concern_id, added_at);
