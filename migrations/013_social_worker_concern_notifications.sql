-- The allocated social worker is told when a partner raises a concern about their child (issue
-- 11: at once when the partner says the child is at immediate risk of harm) and when the front
-- door decides on one, beside the lookups they were already told of.
alter table social_worker_notifications drop constraint social_worker_notifications_kind_check;
alter table social_worker_notifications add constraint social_worker_notifications_kind_check
  check (kind in ('lookup', 'concern', 'decision'));
