-- Issue 11, point 3: the front door passes a concern to the child's allocated social worker, a
-- worker takes a concern (or gives it to a colleague), and a decision is refused when the page it
-- was made on is out of date. `version` goes up on every assignment and decision; a decision is
-- written only where the version is the one the worker's page showed.
alter table concerns drop constraint concerns_decision_check;
alter table concerns add constraint concerns_decision_check
  check (decision in ('no_further_action', 'advice_given', 'early_help', 'referral_to_social_care',
                      'strategy_discussion', 'passed_to_allocated_worker'));

alter table concerns add column assigned_to_user_id uuid references users (id);
alter table concerns add column assigned_at timestamptz;
alter table concerns add column version integer not null default 1;
alter table concerns add constraint concerns_assignment_check check ((assigned_to_user_id is null) = (assigned_at is null));
