// GOV.UK Notify delivery (issue 18 points 1 and 2). Notify has no local server, so these tests
// run the real client (notifications-node-client) through the outbox's worker against a
// RECORDED CONTRACT of Notify's documented API on loopback (test/support/notify-contract.ts),
// not against Notify itself: they show our requests are what Notify documents and that we
// handle the answers Notify documents; they cannot show Notify still behaves as documented.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageKindNames, messageKinds } from '../src/notifications/kinds.ts';
import { concernReceivedForFrontDoor } from '../src/notifications/messages.ts';
import { notifyTransport } from '../src/notifications/notify-transport.ts';
import { enqueue } from '../src/notifications/outbox.ts';
import { checkStatuses, deliverDue } from '../src/notifications/worker.ts';
import { useTestDatabase } from './support/database.ts';
import { API_KEY, documentedErrors, startNotifyContractServer, type NotifyContractServer, fakeTemplateId } from './support/notify-contract.ts';

const db = useTestDatabase();
const RECIPIENT = 'front.door@council.example.gov.uk';
const templates = Object.fromEntries(messageKindNames.map((kind, i) => [kind, fakeTemplateId(i)]));

let notify: NotifyContractServer;
let transport: ReturnType<typeof notifyTransport>;

beforeAll(async () => {
  notify = await startNotifyContractServer();
  transport = notifyTransport({ apiKey: API_KEY, templates, baseUrl: notify.baseUrl, timeoutMs: 5000 });
});
afterAll(async () => {
  await notify?.close();
});
beforeEach(async () => {
  await db().sql`delete from outbox`;
  notify.notifications.length = 0;
  notify.requests.length = 0;
  notify.violations.length = 0;
  notify.script.length = 0;
});

interface Row {
  id: string;
  status: string;
  attempts: number;
  provider: string | null;
  provider_message_id: string | null;
  failure_reason: string | null;
  last_error: string | null;
  due_in_seconds: number;
}

async function onlyRow(): Promise<Row> {
  const rows = await db().sql<Row[]>`
    select id::text as id, attempts, provider, provider_message_id, failure_reason, last_error,
           case when failed_at is not null then 'failed' when confirmed_at is not null then 'delivered'
                when delivered_at is not null then 'sent' else 'queued' end as status,
           extract(epoch from available_at - now())::float8 as due_in_seconds
    from outbox`;
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

let serial = 0;
async function queueOne(recipient = RECIPIENT) {
  serial += 1;
  const reference = `SPP-2026-${String(serial).padStart(6, '0')}`;
  const text = concernReceivedForFrontDoor({ reference, publicUrl: 'https://portal.example.gov.uk' });
  await enqueue(db().sql, { kind: 'concern_received', recipient, ...text, dedupeKey: `notify-test:${reference}` });
  return text;
}

const deliver = () => deliverDue(db().sql, transport.send, { retryDelaySeconds: () => 0 });

describe('GOV.UK Notify transport, against a recorded contract of Notify’s documented API (not the real service)', () => {
  it('sends each message as Notify documents: POST /v2/notifications/email, signed token, template per kind, personalisation and reference', async () => {
    const text = await queueOne();
    expect(await deliver()).toBe(1);

    expect(notify.violations).toEqual([]);
    expect(notify.requests).toEqual([{ method: 'POST', path: '/v2/notifications/email' }]);
    const row = await onlyRow();
    expect(notify.notifications).toEqual([{
      id: row.provider_message_id, reference: `spp-outbox-${row.id}`, email_address: RECIPIENT,
      template_id: templates.concern_received, personalisation: { subject: text.subject, body: text.body }, status: 'created',
    }]);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, provider: 'notify', failure_reason: null });
  });

  it('the contract server does check: a token signed with another key is a violation', async () => {
    const wrongKey = API_KEY.slice(0, -36) + '00000000-0000-4000-8000-000000000000';
    const wrong = notifyTransport({ apiKey: wrongKey, templates, baseUrl: notify.baseUrl });
    await queueOne();
    expect(await deliverDue(db().sql, wrong.send)).toBe(0);
    expect(notify.violations).toEqual(['the token must be signed with the key’s secret (HS256)']);
    expect(notify.notifications).toEqual([]);
  });

  it('an address Notify refuses (400 ValidationError) fails at once with a reason that quotes no address', async () => {
    notify.script.push(documentedErrors.invalidEmail);
    await queueOne('not-an-address@invalid');
    expect(await deliver()).toBe(0);
    const row = await onlyRow();
    expect(row).toMatchObject({ status: 'failed', attempts: 1, failure_reason: 'recipient address rejected (400 ValidationError)' });
    expect(row.last_error).not.toContain('@');
    // Not tried again.
    expect(await deliver()).toBe(0);
    expect(notify.requests).toHaveLength(1);
  });

  it('a rejected API key (403 AuthError), a team-only key and a template whose placeholders differ are permanent failures, each named', async () => {
    for (const [error, reason] of [
      [documentedErrors.invalidToken, 'GOV.UK Notify rejected the API key (403 AuthError)'],
      [documentedErrors.teamOnlyKey, 'recipient not allowed with a team-only API key (400 BadRequestError)'],
      [documentedErrors.missingPersonalisation, 'the Notify template’s placeholders do not match the portal’s (400 BadRequestError)'],
    ] as const) {
      await db().sql`delete from outbox`;
      notify.script.push(error);
      await queueOne();
      expect(await deliver()).toBe(0);
      expect(await onlyRow()).toMatchObject({ status: 'failed', failure_reason: reason });
    }
  });

  it('backs off on a rate limit (429) for at least the Retry-After asked, or a minute without one', async () => {
    notify.script.push({ ...documentedErrors.rateLimit, headers: { 'Retry-After': '120' } });
    await queueOne();
    expect(await deliver()).toBe(0);
    let row = await onlyRow();
    expect(row).toMatchObject({ status: 'queued', last_error: 'rate limited by GOV.UK Notify (429 RateLimitError)' });
    expect(row.due_in_seconds).toBeGreaterThan(118);
    expect(row.due_in_seconds).toBeLessThanOrEqual(120);

    await db().sql`update outbox set available_at = now()`;
    notify.script.push(documentedErrors.rateLimit);
    expect(await deliver()).toBe(0);
    row = await onlyRow();
    expect(row.due_in_seconds).toBeGreaterThan(58);
    expect(row.due_in_seconds).toBeLessThanOrEqual(60);

    // The daily limit: an hour.
    await db().sql`update outbox set available_at = now()`;
    notify.script.push(documentedErrors.dailyLimit);
    expect(await deliver()).toBe(0);
    row = await onlyRow();
    expect(row.last_error).toBe('GOV.UK Notify’s daily sending limit reached (429 TooManyRequestsError)');
    expect(row.due_in_seconds).toBeGreaterThan(3590);
  });

  it('retries after a 500 and then sends, once', async () => {
    notify.script.push(documentedErrors.serverError);
    await queueOne();
    expect(await deliver()).toBe(0);
    expect(await onlyRow()).toMatchObject({ status: 'queued', last_error: 'GOV.UK Notify server error (500 Exception)' });
    expect(await deliver()).toBe(1);
    expect(await onlyRow()).toMatchObject({ status: 'sent', attempts: 2 });
    expect(notify.notifications).toHaveLength(1);
    expect(notify.violations).toEqual([]);
  });

  it('when Notify took a message but its answer was lost, the next attempt finds it by reference and does not send it again', async () => {
    notify.script.push('create-then-drop');
    await queueOne();
    expect(await deliver()).toBe(0);
    expect(await onlyRow()).toMatchObject({ status: 'queued', attempts: 1, last_error: expect.stringMatching(/^could not reach GOV\.UK Notify \(/) });
    expect(notify.notifications).toHaveLength(1);

    expect(await deliver()).toBe(1);
    const row = await onlyRow();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, provider_message_id: notify.notifications[0]!.id });
    // One message at Notify: the second attempt asked (GET by reference) and did not POST.
    expect(notify.notifications).toHaveLength(1);
    expect(notify.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v2/notifications/email', 'GET /v2/notifications']);
    expect(notify.violations).toEqual([]);
  });

  it('asks Notify whether sent messages arrived: delivered is recorded, and a permanent failure marks the message failed', async () => {
    await queueOne();
    await queueOne();
    expect(await deliver()).toBe(2);
    const [first, second] = notify.notifications as unknown as [{ status: string }, { status: string }];

    // Still sending: nothing changes.
    expect(await checkStatuses(db().sql, 'notify', transport.status, { everySeconds: 0 })).toBe(0);
    first.status = 'delivered';
    second.status = 'permanent-failure';
    expect(await checkStatuses(db().sql, 'notify', transport.status, { everySeconds: 0 })).toBe(2);
    const rows = await db().sql<{ status: string; reason: string | null }[]>`
      select case when failed_at is not null then 'failed' when confirmed_at is not null then 'delivered' else 'sent' end as status,
             failure_reason as reason
      from outbox order by id`;
    expect(rows).toEqual([
      { status: 'delivered', reason: null },
      { status: 'failed', reason: 'the recipient’s mail server says the address does not exist (Notify: permanent-failure)' },
    ]);
    // Neither is asked about again.
    notify.requests.length = 0;
    expect(await checkStatuses(db().sql, 'notify', transport.status, { everySeconds: 0 })).toBe(0);
    expect(notify.requests).toEqual([]);
    expect(notify.violations).toEqual([]);
  });

  it('every kind of message goes with its own template, and a kind with no template fails rather than guessing', async () => {
    for (const kind of messageKindNames) {
      const [text] = messageKinds[kind].examples('https://portal.example.gov.uk');
      await enqueue(db().sql, { kind, recipient: RECIPIENT, ...text!, dedupeKey: `kind-${kind}` });
    }
    await enqueue(db().sql, { kind: 'not_a_kind', recipient: RECIPIENT, subject: 'Subject', body: 'Body', dedupeKey: 'unknown-kind' });
    expect(await deliver()).toBe(messageKindNames.length);
    expect(notify.notifications.map((n) => n.template_id)).toEqual(messageKindNames.map((kind) => templates[kind]));
    const [unknown] = await db().sql<{ reason: string }[]>`select failure_reason as reason from outbox where kind = 'not_a_kind'`;
    expect(unknown!.reason).toBe('no GOV.UK Notify template is configured for this kind of message');
  });
});
