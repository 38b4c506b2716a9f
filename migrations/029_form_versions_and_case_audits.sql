-- A contract shared by issues 16 and 17, written before either is built so that both can rely on it.
--
-- Issue 16: every submission records the version of the form it was made with (forms/*), so that
-- it is always shown with that version's questions. Everything sent so far was made with version 1.
alter table concerns add column form_version integer not null default 1 check (form_version >= 1);
-- The front door's decision is a form of its own; null while the concern is undecided.
alter table concerns add column decision_form_version integer check (decision_form_version >= 1);
update concerns set decision_form_version = 1 where status = 'decided';
alter table encompass_incidents add column form_version integer not null default 1 check (form_version >= 1);

-- Issue 17: the monthly case-file audit of how partner concerns were handled. A manager or quality
-- lead draws a random sample of decided concerns (the filters and the random seed are kept, so the
-- draw can be repeated and explained), then audits each concern in it: six areas graded on the
-- three-point scale, with evaluative text and agreed actions. src/case-audits/ is the only writer.
create table case_audit_samples (
  id                uuid primary key default gen_random_uuid(),
  -- the month whose decisions were sampled: its first day
  month             date not null check (extract(day from month) = 1),
  drawn_by_user_id  uuid not null references users (id),
  drawn_by_name     text not null,
  -- agency, outcome, immediate risk … as chosen on the form
  filters           jsonb not null default '{}' check (jsonb_typeof(filters) = 'object'),
  seed              bigint not null,
  size              integer not null check (size >= 0),
  drawn_at          timestamptz not null default now()
);

create table case_audits (
  id                uuid primary key default gen_random_uuid(),
  sample_id         uuid references case_audit_samples (id),
  concern_id        uuid not null references concerns (id),
  auditor_user_id   uuid not null references users (id),
  auditor_name      text not null,
  -- the front-door worker whose decision is audited
  audited_user_id   uuid references users (id),
  status            text not null default 'in_progress' check (status in ('in_progress', 'completed')),
  -- goes up on every save; each saved version is kept by the writer
  version           integer not null default 1 check (version >= 1),
  created_at        timestamptz not null default now(),
  completed_at      timestamptz,
  check ((status = 'completed') = (completed_at is not null)),
  unique (sample_id, concern_id)
);
create index case_audits_completed on case_audits (completed_at) where status = 'completed';

-- One grade per area and audit (the seed's three-point scale).
create table case_audit_grades (
  audit_id   uuid not null references case_audits (id) on delete cascade,
  area       text not null check (area in ('timeliness', 'risk_recognition', 'matching',
                                           'feedback', 'multi_agency', 'child_voice')),
  grade      text not null check (grade in ('exceeds_good', 'meets_good', 'does_not_meet_good')),
  evaluation text not null default '',
  primary key (audit_id, area)
);
