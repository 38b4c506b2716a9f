-- Safeguarding training recorded by the council (issue 5, point 7), beside what a partner's
-- identity provider says: who at the council recorded it, and when. A claim at sign-in that
-- carries a date replaces it; a silent claim leaves it as recorded (src/auth/users.ts).
alter table users
  add column training_recorded_by_user_id uuid references users (id),
  add column training_recorded_at timestamptz;
