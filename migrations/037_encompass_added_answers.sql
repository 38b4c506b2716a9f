-- Issue 16: the police's domestic abuse notification is laid out from its form file (forms/encompass/).
-- A question a council adds to it (no column of its own) is kept here, by the question's name, and
-- released with the officer's account (policy field `account`), as a concern's added answers are
-- kept in concerns.extra_answers. The version it was made with is encompass_incidents.form_version (029).
alter table encompass_incidents add column extra_answers jsonb not null default '{}'
  check (jsonb_typeof(extra_answers) = 'object' and pg_column_size(extra_answers) <= 65536);
