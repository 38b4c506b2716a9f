-- Told to a child's allocated social worker: an emergency department or police lookup of
-- their child (issue 4). Written in the same transaction as the lookup's access-log row.
create table social_worker_notifications (
  id               bigint generated always as identity primary key,
  social_worker_id uuid not null references social_workers (id),
  child_id         uuid not null,
  kind             text not null check (kind in ('lookup')),
  message          text not null,
  created_at       timestamptz not null default now(),
  read_at          timestamptz
);
create index social_worker_notifications_unread on social_worker_notifications (social_worker_id, created_at desc) where read_at is null;
