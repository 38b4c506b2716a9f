-- Issue 12, points 3 and 5.
--
-- A half-written concern, kept per user so that nothing typed is lost to a time-out or an
-- interruption: one draft per user, the answers as typed (jsonb), written each time the form is
-- posted, deleted in the transaction that sends the concern, and purged 7 days after it was last
-- saved (src/concerns/drafts.ts). Only its owner ever reads it.
create table concern_drafts (
  user_id    uuid primary key references users (id) on delete cascade,
  answers    jsonb not null check (jsonb_typeof(answers) = 'object'),
  updated_at timestamptz not null default now(),
  -- why the form says the answers were kept, once: after a time-out, or a lookup's details added
  notice     text check (notice in ('timed_out', 'from_lookup'))
);
create index concern_drafts_updated on concern_drafts (updated_at);

-- A concern can be of several kinds, one of them the main one. concerns.category stays the main
-- kind (the CIN census code, the queue's filter and every page that shows a concern's kind read
-- it); this table holds every kind, the main one included, so that no reader needs two places.
create table concern_categories (
  concern_id uuid not null references concerns (id) on delete cascade,
  category   text not null,
  main       boolean not null default false,
  primary key (concern_id, category)
);
create unique index concern_categories_one_main on concern_categories (concern_id) where main;

-- Every concern raised so far had one kind: it is its main one.
insert into concern_categories (concern_id, category, main)
select id, category, true from concerns;
