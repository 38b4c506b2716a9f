-- Real mail transports (issue 18): GOV.UK Notify or the council's SMTP relay. The outbox now
-- records what information governance's "Messages" page shows (src/notifications/messages-page.ts):
--
--   queued     delivered_at, failed_at null: waiting for (another) attempt
--   sent       delivered_at set: the transport accepted it (Notify took it, the relay said 250).
--              The column keeps its name from 006; it never meant more than "handed over".
--   delivered  confirmed_at set: the provider says it reached the inbox (Notify's status only;
--              an SMTP relay never says)
--   failed     failed_at set: a permanent failure (an address or a key refused), or no attempts
--              left; failure_reason says which. Not retried until someone retries it by hand.
--
-- failure_reason and last_error hold a classified reason written by the portal, e.g. "recipient
-- address rejected (550)", never a provider's own text, which can quote the address.

alter table outbox
  -- which transport accepted the message: 'notify', 'smtp' or 'development'
  add column provider            text,
  -- the provider's id for it: Notify's notification id, or the Message-ID an SMTP relay accepted
  add column provider_message_id text,
  add column confirmed_at        timestamptz,
  add column failed_at           timestamptz,
  add column failure_reason      text,
  -- the last time the provider was asked whether a sent message has arrived (Notify only)
  add column status_checked_at   timestamptz,
  -- how often information governance has retried it by hand: part of the reference given to
  -- Notify, so a retried message is sent afresh rather than found as the earlier failure
  add column retries_by_hand     int not null default 0 check (retries_by_hand >= 0),
  add constraint outbox_failed_has_reason check (failed_at is null or failure_reason is not null),
  add constraint outbox_failed_or_sent check (failed_at is null or delivered_at is null or confirmed_at is null);

-- Texts recorded before this migration were the provider's own and may quote an address.
update outbox set last_error = 'an error recorded before errors were classified' where last_error is not null;

-- Messages the old worker gave up on (its default limit was 10 attempts) were left "queued" for
-- ever; they are failures.
update outbox set failed_at = now(), failure_reason = 'no attempts left (given up before failures were recorded)'
where delivered_at is null and attempts >= 10;

-- The worker's pick query now skips failed messages too.
drop index outbox_undelivered;
create index outbox_due on outbox (id) include (available_at, locked_until, attempts)
  where delivered_at is null and failed_at is null;

-- The governance home page's count of failures, and the Messages page's filter.
create index outbox_failed on outbox (failed_at) where failed_at is not null;

-- Sent through Notify and not yet confirmed: the messages whose status the worker asks about.
create index outbox_unconfirmed on outbox (delivered_at)
  where provider = 'notify' and confirmed_at is null and failed_at is null and delivered_at is not null;
