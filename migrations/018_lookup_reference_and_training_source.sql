-- Issue 12, points 6 and 7.
--
-- 1. A lookup may carry the emergency department's attendance number or the police incident
--    number, so the child's social worker can tie the look to the event. It is a column of the
--    lookup's access-log row, not a side table: the row is written in one INSERT and hash-chained
--    whole (src/audit/chain.ts encodes it only where it is set, so every row chained before this
--    column existed still verifies, and removing or adding a reference later breaks the chain).
--    The append-only triggers of 004_access_log.sql already cover the new column.
alter table access_log add column incident_reference text
  check (incident_reference is null or (char_length(incident_reference) between 1 and 40 and action = 'lookup'));

-- 2. Where a partner's training date came from. Before, an organisation's sign-in that only said
--    "trained" recorded today's date at every sign-in, so the date moved and never ran out. Now:
--      sign_in_dated    the organisation's sign-in gave the date of completion
--      sign_in_undated  the organisation's sign-in said "trained" with no date; the date kept is
--                       the day it first said so, and is not moved by later sign-ins
--      council          recorded by the council's information governance team from a certificate
--    Renewal is due TRAINING_VALID_MONTHS after the date (src/training/renewal.ts).
alter table users add column training_source text
  check (training_source in ('sign_in_dated', 'sign_in_undated', 'council'));

-- Existing dates: the council's where it recorded them; otherwise, from a sign-in, without
-- knowing whether a date was given. Treating them as undated is the cautious reading: their
-- date is the last sign-in, at the latest, and renewal runs from there.
update users set training_source = case
  when training_completed_on is null then null
  when training_recorded_by_user_id is not null then 'council'
  else 'sign_in_undated' end;

alter table users add constraint users_training_source_with_date
  check ((training_source is null) = (training_completed_on is null));
