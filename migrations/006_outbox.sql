-- Notifications go through an outbox in PostgreSQL (DESIGN.md §5 "queued notifications live in
-- PostgreSQL"; issue 5 point 4). A caller enqueues a message in its own transaction, so the
-- concern, its chronology entry, its audit row and its notification commit or roll back
-- together. A background worker (src/notifications/worker.ts) delivers messages at least once;
-- handlers are idempotent, so a message delivered again after a crash still arrives once.
--
-- Message text never carries child details: it is built from the fixed templates in
-- src/notifications/messages.ts and only says there is something to read after signing in.

create table outbox (
  id           bigint generated always as identity primary key,
  -- what the message is about, e.g. 'concern_received', 'concern_decided'
  kind         text not null check (kind <> ''),
  -- an e-mail address
  recipient    text not null check (recipient like '%_@_%'),
  subject      text not null,
  body         text not null,
  -- the caller's idempotency key for this message: enqueuing the same key twice makes one message
  dedupe_key   text not null unique check (dedupe_key <> ''),
  created_at   timestamptz not null default now(),
  -- not before this time: pushed back after each failed attempt (retry back-off)
  available_at timestamptz not null default now(),
  -- claims so far, including claims by workers that crashed; also fences a worker whose lease
  -- has run out from overwriting a later claim
  attempts     int not null default 0 check (attempts >= 0),
  -- a lease: while it is in the future one worker holds the message; a worker that crashes
  -- mid-delivery loses it when the lease ends, and another worker delivers the message again
  locked_until timestamptz,
  delivered_at timestamptz,
  -- the most recent failure, kept after a later success for the record
  last_error   text
);

-- The worker's pick query: undelivered messages in id order, filtered on availability and lease.
-- Only undelivered rows are indexed, so the index stays small however long the outbox grows.
create index outbox_undelivered on outbox (id) include (available_at, locked_until, attempts)
  where delivered_at is null;

-- What the development mail transport "sent": shown on the development "sent messages" page.
-- The UNIQUE outbox_id makes delivery idempotent: a repeated delivery of the same outbox row
-- inserts nothing.
create table sent_messages (
  id        bigint generated always as identity primary key,
  outbox_id bigint not null unique references outbox (id),
  recipient text not null,
  subject   text not null,
  body      text not null,
  sent_at   timestamptz not null default now()
);
