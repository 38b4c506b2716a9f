-- Issue 17, point 1: what the case-file audit needs beyond the contract of migration 029.
-- src/case-audits/ is the only writer of every case_audit_* table.

-- The concerns a sample drew, in the order drawn: the draw is reproducible from its seed,
-- filters and month, and kept as drawn so that a concern decided again later does not move it.
create table case_audit_sample_concerns (
  sample_id  uuid not null references case_audit_samples (id),
  concern_id uuid not null references concerns (id),
  position   integer not null check (position >= 1),
  primary key (sample_id, concern_id),
  unique (sample_id, position)
);

-- Every save of an audit, kept: the answers as saved (grades, evaluations, agreed actions), who
-- saved it and when. case_audits.version is the latest; a save made on an older version is refused.
create table case_audit_versions (
  audit_id          uuid not null references case_audits (id),
  version           integer not null check (version >= 1),
  status            text not null check (status in ('in_progress', 'completed')),
  answers           jsonb not null check (jsonb_typeof(answers) = 'object'),
  saved_by_user_id  uuid not null references users (id),
  saved_by_name     text not null,
  saved_at          timestamptz not null default now(),
  primary key (audit_id, version)
);

-- The actions agreed in a completed audit, tracked to completion. Reminders: one before the due
-- date and one when it is overdue, each once (the column is set in the transaction that queues it).
create table case_audit_actions (
  id                  uuid primary key default gen_random_uuid(),
  audit_id            uuid not null references case_audits (id),
  position            integer not null check (position >= 1),
  description         text not null check (length(description) between 1 and 2000),
  assignee_user_id    uuid not null references users (id),
  assignee_name       text not null,
  due_on              date not null,
  status              text not null default 'open' check (status in ('open', 'done')),
  done_at             timestamptz,
  done_note           text check (length(done_note) <= 2000),
  reminder_sent_at    timestamptz,
  overdue_sent_at     timestamptz,
  created_at          timestamptz not null default now(),
  check ((status = 'done') = (done_at is not null)),
  unique (audit_id, position)
);
create index case_audit_actions_open on case_audit_actions (due_on) where status = 'open';
create index case_audit_actions_assignee on case_audit_actions (assignee_user_id);

-- Who has looked at an audit: the audit is itself a record, and each view of it is kept.
create table case_audit_views (
  id         bigint generated always as identity primary key,
  audit_id   uuid not null references case_audits (id),
  user_id    uuid not null references users (id),
  role       text not null,
  viewed_at  timestamptz not null default now()
);
create index case_audit_views_audit on case_audit_views (audit_id, viewed_at desc);
