-- Who may sign in, and the state of their sign-in (DESIGN.md §5 "Identity"; issue 3).
-- Sessions and sign-in attempts live here, not in app memory, so several app nodes share them.

-- A partner organisation's staff may only sign in while it has an active information-sharing
-- agreement with the council.
create table information_sharing_agreements (
  id              uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  reference       text not null,
  starts_on       date not null,
  ends_on         date check (ends_on is null or ends_on >= starts_on)
);
create index agreements_organisation on information_sharing_agreements (organisation_id);

-- Whom a refused user should contact: the council's information governance team.
alter table organisations add column contact_email text;

-- A person, as their identity provider knows them. Refreshed from the claims at each sign-in.
create table users (
  id                    uuid primary key default gen_random_uuid(),
  issuer                text not null,
  subject               text not null,
  name                  text not null,
  email                 text,
  -- the (organisation, role) pairs their claims gave at the last sign-in, after checks
  role_assignments      jsonb not null default '[]',
  training_completed_on date,
  first_signed_in_at    timestamptz not null default now(),
  last_signed_in_at     timestamptz not null default now(),
  unique (issuer, subject)
);

create table sessions (
  -- sha-256 of the cookie's 256-bit random value: a copy of this table cannot be replayed
  id_hash         bytea primary key,
  user_id         uuid not null references users (id) on delete cascade,
  provider_id     text not null,
  -- null until a user with several roles has chosen one
  organisation_id uuid references organisations (id),
  role            text,
  csrf_token      text not null,
  -- kept to end the provider's session at sign-out (id_token_hint)
  id_token        text,
  created_at      timestamptz not null default now(),
  last_seen_at    timestamptz not null default now(),
  check ((organisation_id is null) = (role is null))
);
create index sessions_last_seen on sessions (last_seen_at);
create index sessions_created on sessions (created_at);

-- Between sending a user to their provider and their return: PKCE verifier, state and nonce.
-- Deleted when used, so a callback can be completed once only.
create table sign_in_attempts (
  id_hash       bytea primary key,
  provider_id   text not null,
  state         text not null,
  nonce         text not null,
  code_verifier text not null,
  return_to     text,
  created_at    timestamptz not null default now()
);
create index sign_in_attempts_created on sign_in_attempts (created_at);

-- Fixed-window counters for rate limits, shared by every app node.
create table rate_limit_counters (
  key          text not null,
  window_start timestamptz not null,
  count        integer not null,
  primary key (key, window_start)
);
