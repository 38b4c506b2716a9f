-- Issue 16, points 1 to 3: forms as versioned data (forms/*, src/forms/).
--
-- The answers to questions a council added to its concern form, which have no column of their
-- own: by question name, released with the rest of what was sent (the policy's `submission`).
-- Bounded so that what the database cannot hold is refused at the boundary.
alter table concerns add column extra_answers jsonb not null default '{}'
  check (jsonb_typeof(extra_answers) = 'object' and pg_column_size(extra_answers) <= 65536);

-- The version of the form a draft was started on: it is finished on that version, even after a
-- new one takes effect (the answers carry it too, as the form's hidden field).
alter table concern_drafts add column form_version integer not null default 1 check (form_version >= 1);

-- Each user sees a form version's "what's changed" note once, on first use of the form after it
-- takes effect (src/forms/notes.ts). Gone with the user.
create table form_notes_seen (
  user_id  uuid not null references users (id) on delete cascade,
  form     text not null check (form in ('concern', 'decision', 'encompass')),
  version  integer not null check (version >= 1),
  seen_at  timestamptz not null default now(),
  primary key (user_id, form, version)
);
