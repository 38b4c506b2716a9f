// Notifications through an outbox in PostgreSQL (DESIGN.md §5; issue 5 point 4): enqueued in
// the caller's transaction, delivered at least once by a worker with idempotent handlers, so a
// message survives a worker crash and is delivered once. E-mail text carries no child details.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { connect, withDatabase } from '../src/db/connect.ts';
import { createLogger } from '../src/log.ts';
import * as messages from '../src/notifications/messages.ts';
import { concernDecidedForReferrer, concernReceivedForFrontDoor, type MessageInput } from '../src/notifications/messages.ts';
import { assertNoChildDetails, enqueue, type OutgoingMessage } from '../src/notifications/outbox.ts';
import {
  deliverDue,
  developmentTransport,
  sentMessages,
  startNotificationWorker,
  type Transport,
} from '../src/notifications/worker.ts';
import { permanent, retryable, retryAfterSeconds } from '../src/notifications/transport.ts';
import { paths } from '../src/paths.ts';
import { useTestDatabase } from './support/database.ts';

const db = useTestDatabase();

interface OutboxRow {
  id: string;
  attempts: number;
  delivered: boolean;
  leased: boolean;
  locked_until: Date | null;
  last_error: string | null;
  due_in_seconds: number;
}

async function outboxRows(): Promise<OutboxRow[]> {
  return db().sql<OutboxRow[]>`
    select id::text as id, attempts, delivered_at is not null as delivered,
           locked_until > now() as leased, locked_until, last_error,
           extract(epoch from available_at - now())::float8 as due_in_seconds
    from outbox order by id`;
}

async function failure(): Promise<{ failed: boolean; reason: string | null }> {
  const [row] = await db().sql<{ failed: boolean; reason: string | null }[]>`select failed_at is not null as failed, failure_reason as reason from outbox`;
  return row!;
}

async function onlyRow(): Promise<OutboxRow> {
  const rows = await outboxRows();
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function sentCount(outboxId?: string): Promise<number> {
  const [row] = await db().sql<{ n: number }[]>`
    select count(*)::int as n from sent_messages
    where ${outboxId === undefined ? db().sql`true` : db().sql`outbox_id = ${outboxId}::bigint`}`;
  return row!.n;
}

let serial = 0;
function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  serial += 1;
  const reference = `SPP-2026-${String(serial).padStart(6, '0')}`;
  return {
    kind: 'concern_received',
    recipient: 'front.door@council.example.gov.uk',
    ...concernReceivedForFrontDoor({ reference, publicUrl: 'https://portal.example.gov.uk' }),
    dedupeKey: `concern_received:${reference}`,
    ...overrides,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function collectingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const log = createLogger('debug', (line) => {
    raw.push(line);
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { log, lines, raw };
}

beforeEach(async () => {
  await db().sql`delete from sent_messages`;
  await db().sql`delete from outbox`;
});

describe('enqueue', () => {
  it('queues nothing when the caller’s transaction rolls back, and the message when it commits', async () => {
    const sql = db().sql;
    await expect(
      sql.begin(async (tx) => {
        await enqueue(tx, message({ dedupeKey: 'rolled-back' }));
        throw new Error('the concern could not be saved');
      }),
    ).rejects.toThrow('the concern could not be saved');
    expect(await outboxRows()).toEqual([]);

    await sql.begin(async (tx) => {
      await enqueue(tx, message({ dedupeKey: 'committed' }));
    });
    const [row] = await sql<{ dedupe_key: string; kind: string; attempts: number; delivered_at: Date | null }[]>`
      select dedupe_key, kind, attempts, delivered_at from outbox`;
    expect(row).toEqual({ dedupe_key: 'committed', kind: 'concern_received', attempts: 0, delivered_at: null });
  });

  it('makes one message of two with the same dedupe key', async () => {
    const first = message({ dedupeKey: 'concern_received:SPP-2026-000999' });
    await enqueue(db().sql, first);
    await enqueue(db().sql, { ...first, subject: 'A second attempt' });
    await db().sql.begin(async (tx) => enqueue(tx, first));
    const rows = await db().sql<{ subject: string }[]>`select subject from outbox`;
    expect(rows).toEqual([{ subject: first.subject }]);
  });

  it('refuses text that looks like child details, an empty key and a recipient that is not an address', async () => {
    await expect(enqueue(db().sql, message({ body: 'About the child with NHS number 943 476 5919' }))).rejects.toThrow(/NHS number/);
    await expect(enqueue(db().sql, message({ subject: 'Born 03/04/2015' }))).rejects.toThrow(/date/);
    await expect(enqueue(db().sql, message({ dedupeKey: '' }))).rejects.toThrow(/dedupeKey/);
    await expect(enqueue(db().sql, message({ recipient: 'front door' }))).rejects.toThrow(/e-mail address/);
    expect(await outboxRows()).toEqual([]);
  });
});

describe('deliverDue', () => {
  it('delivers due messages through the transport and marks them delivered', async () => {
    const queued = [message(), message(), message()];
    for (const m of queued) await enqueue(db().sql, m);

    expect(await deliverDue(db().sql, developmentTransport(db().sql))).toBe(3);
    const rows = await outboxRows();
    expect(rows.map((r) => [r.delivered, r.attempts, r.locked_until, r.last_error])).toEqual([
      [true, 1, null, null],
      [true, 1, null, null],
      [true, 1, null, null],
    ]);

    const sent = await sentMessages(db().sql);
    expect(sent.map((s) => s.outboxId)).toEqual(rows.map((r) => r.id).reverse()); // newest first
    expect(sent.map((s) => s.subject)).toEqual(queued.map((m) => m.subject).reverse());
    expect(sent[0]).toMatchObject({ recipient: queued[2]!.recipient, body: queued[2]!.body });
    expect(sent[0]!.sentAt).toBeInstanceOf(Date);
    expect(await sentMessages(db().sql, 2)).toHaveLength(2);

    // Nothing left to do.
    expect(await deliverDue(db().sql, developmentTransport(db().sql))).toBe(0);
    expect(await sentCount()).toBe(3);
  });

  it('retries a failed delivery after a back-off, keeps the error, and delivers it in the end', async () => {
    await enqueue(db().sql, message());
    let calls = 0;
    const send = developmentTransport(db().sql);
    const flaky: Transport = async (m) => {
      calls += 1;
      if (calls <= 2) throw new Error('mail server unavailable');
      await send(m);
    };
    const { log, lines, raw } = collectingLogger();

    expect(await deliverDue(db().sql, flaky, { log })).toBe(0);
    let row = await onlyRow();
    // The error is recorded by its type only: its text might quote an address.
    expect(row).toMatchObject({ delivered: false, attempts: 1, locked_until: null, last_error: 'unexpected error (Error)' });
    expect(row.due_in_seconds).toBeGreaterThan(1); // 2^1 seconds
    expect(row.due_in_seconds).toBeLessThanOrEqual(2);

    // Not due yet: the transport is not called.
    expect(await deliverDue(db().sql, flaky, { log })).toBe(0);
    expect(calls).toBe(1);

    // Time passes; the second attempt fails too and backs off further.
    await db().sql`update outbox set available_at = now()`;
    expect(await deliverDue(db().sql, flaky, { log })).toBe(0);
    row = await onlyRow();
    expect(row).toMatchObject({ delivered: false, attempts: 2, locked_until: null });
    expect(row.due_in_seconds).toBeGreaterThan(3); // 2^2 seconds
    expect(row.due_in_seconds).toBeLessThanOrEqual(4);

    await db().sql`update outbox set available_at = now()`;
    expect(await deliverDue(db().sql, flaky, { log })).toBe(1);
    row = await onlyRow();
    expect(row).toMatchObject({ delivered: true, attempts: 3, locked_until: null, last_error: 'unexpected error (Error)' });
    expect(calls).toBe(3);
    expect(await sentCount(row.id)).toBe(1);

    // Failures are logged as facts: no recipient, subject or body, not even the error's text.
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({ msg: 'notification delivery failed; will retry', outboxId: row.id, attempts: 1, retryInSeconds: 2 }),
      expect.objectContaining({ msg: 'notification delivery failed; will retry', outboxId: row.id, attempts: 2, retryInSeconds: 4 }),
    ]);
    for (const line of raw) {
      expect(line).not.toContain('front.door@');
      expect(line).not.toContain('SPP-');
      expect(line).not.toContain('unavailable');
    }
  });

  it('gives a message up after maxAttempts, and caps the back-off at an hour', async () => {
    await enqueue(db().sql, message());
    let calls = 0;
    const failing: Transport = async () => {
      calls += 1;
      throw new Error('mailbox full');
    };
    const { log, lines } = collectingLogger();
    for (let i = 0; i < 5; i++) {
      await deliverDue(db().sql, failing, { maxAttempts: 3, retryDelaySeconds: () => 0, log });
    }
    expect(calls).toBe(3);
    expect(await onlyRow()).toMatchObject({ delivered: false, attempts: 3, last_error: 'unexpected error (Error)' });
    expect(await failure()).toEqual({ failed: true, reason: 'no attempts left after 3: unexpected error (Error)' });
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'notification not delivered; no attempts left', attempts: 3 });

    // The default back-off after many attempts is an hour, not 2^20 seconds.
    await db().sql`update outbox set attempts = 19, available_at = now(), failed_at = null, failure_reason = null`;
    await deliverDue(db().sql, failing, { maxAttempts: 30 });
    const row = await onlyRow();
    expect(row.attempts).toBe(20);
    expect(row.due_in_seconds).toBeGreaterThan(3590);
    expect(row.due_in_seconds).toBeLessThanOrEqual(3600);
  });

  it('never hands one message to two workers running at once (FOR UPDATE SKIP LOCKED)', async () => {
    const count = 40;
    for (let i = 0; i < count; i++) await enqueue(db().sql, message());

    const calls = new Map<string, number>();
    const inFlight = new Set<string>();
    let concurrent = 0;
    let maxConcurrent = 0;
    const send = developmentTransport(db().sql);
    const slow: Transport = async (m) => {
      calls.set(m.outboxId, (calls.get(m.outboxId) ?? 0) + 1);
      expect(inFlight.has(m.outboxId)).toBe(false);
      inFlight.add(m.outboxId);
      maxConcurrent = Math.max(maxConcurrent, ++concurrent);
      try {
        await sleep(10);
        await send(m);
      } finally {
        concurrent -= 1;
        inFlight.delete(m.outboxId);
      }
    };
    const worker = async (): Promise<number> => {
      let total = 0;
      for (;;) {
        const delivered = await deliverDue(db().sql, slow, { batchSize: 3 });
        if (delivered === 0) return total;
        total += delivered;
      }
    };

    const totals = await Promise.all([worker(), worker(), worker(), worker()]);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(count);
    expect(maxConcurrent).toBeGreaterThan(1); // the workers really did overlap
    expect(calls.size).toBe(count);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);

    const perRow = await db().sql<{ n: number }[]>`
      select count(s.id)::int as n from outbox o left join sent_messages s on s.outbox_id = o.id group by o.id`;
    expect(perRow).toHaveLength(count);
    expect(perRow.every((r) => r.n === 1)).toBe(true);
    expect((await outboxRows()).every((r) => r.delivered && r.attempts === 1)).toBe(true);
  });

  it('a message survives a worker crash between sending and marking, and is delivered once', async () => {
    await enqueue(db().sql, message());
    const [{ id }] = (await outboxRows()) as [OutboxRow];
    const leaseSeconds = 2;

    // A separate worker process: its transport records the message, then it SIGKILLs itself
    // before the outbox row can be marked delivered.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join('test', 'support', 'crashing-notification-worker.ts'), db().url, String(leaseSeconds)],
      { cwd: paths.root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(exit, output).toEqual({ code: null, signal: 'SIGKILL' });
    expect(output).toContain(`sent ${id}`);

    // The crash left the message sent but not marked, and leased to the dead worker.
    let row = await onlyRow();
    expect(row).toMatchObject({ delivered: false, attempts: 1, leased: true });
    expect(await sentCount(id)).toBe(1);

    // While the lease lasts, no other worker takes the message.
    expect(await deliverDue(db().sql, developmentTransport(db().sql))).toBe(0);

    // When it ends, the next worker delivers it again; the idempotent transport keeps it at one.
    await waitFor(async () => !(await onlyRow()).leased, 'the crashed worker’s lease to end');
    expect(await deliverDue(db().sql, developmentTransport(db().sql))).toBe(1);
    row = await onlyRow();
    expect(row).toMatchObject({ delivered: true, attempts: 2, locked_until: null });
    expect(await sentCount(id)).toBe(1);
    expect(await sentCount()).toBe(1);
    expect(await deliverDue(db().sql, developmentTransport(db().sql))).toBe(0);
  });
});

describe('failures as the transports classify them', () => {
  it('a permanent failure marks the message failed with its reason at once, and it is never tried again', async () => {
    await enqueue(db().sql, message());
    let calls = 0;
    const refusing: Transport = async () => {
      calls += 1;
      throw permanent('recipient address rejected (550 5.1.1)', 550);
    };
    const { log, lines } = collectingLogger();
    expect(await deliverDue(db().sql, refusing, { log })).toBe(0);
    expect(await failure()).toEqual({ failed: true, reason: 'recipient address rejected (550 5.1.1)' });
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'notification failed permanently; not retried', failure: 'permanent', code: 550 });
    await db().sql`update outbox set available_at = now()`;
    expect(await deliverDue(db().sql, refusing)).toBe(0);
    expect(calls).toBe(1);
    expect((await onlyRow()).attempts).toBe(1);
  });

  it('a retryable failure waits at least as long as the provider’s Retry-After', async () => {
    await enqueue(db().sql, message());
    const limited: Transport = async () => {
      throw retryable('rate limited by GOV.UK Notify (429 RateLimitError)', 300, 429);
    };
    expect(await deliverDue(db().sql, limited)).toBe(0);
    const row = await onlyRow();
    expect(row).toMatchObject({ delivered: false, attempts: 1, last_error: 'rate limited by GOV.UK Notify (429 RateLimitError)' });
    expect(row.due_in_seconds).toBeGreaterThan(298); // not the 2 s back-off
    expect(row.due_in_seconds).toBeLessThanOrEqual(300);
    expect(await failure()).toEqual({ failed: false, reason: null });
  });

  it('a message whose last attempt never finished (its worker died) is marked failed, not left queued', async () => {
    await enqueue(db().sql, message());
    await db().sql`update outbox set attempts = 3, locked_until = now() - interval '1 second'`;
    expect(await deliverDue(db().sql, developmentTransport(db().sql), { maxAttempts: 3 })).toBe(0);
    expect(await failure()).toEqual({ failed: true, reason: 'no attempts left after 3: the last attempt did not finish' });
    expect(await sentCount()).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date, at most an hour', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 12:02:00 GMT', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('86400', now)).toBe(3600);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });
});

describe('startNotificationWorker', () => {
  it('delivers what is queued, on its own timer, until stopped', async () => {
    const { log } = collectingLogger();
    const worker = startNotificationWorker(db().sql, log, developmentTransport(db().sql), { intervalMs: 50 });
    try {
      await enqueue(db().sql, message());
      await enqueue(db().sql, message());
      await waitFor(async () => (await outboxRows()).every((r) => r.delivered), 'delivery');
      expect(await sentCount()).toBe(2);
    } finally {
      await worker.stop();
    }
  });

  it('stop() waits for the message being sent and hands back the rest of the batch', async () => {
    await enqueue(db().sql, message());
    await enqueue(db().sql, message());
    const send = developmentTransport(db().sql);
    let started!: () => void;
    const sending = new Promise<void>((resolve) => (started = resolve));
    const slow: Transport = async (m) => {
      started();
      await sleep(300);
      await send(m);
    };
    const worker = startNotificationWorker(db().sql, collectingLogger().log, slow, { intervalMs: 50 });
    await sending;
    await worker.stop();

    const [first, second] = (await outboxRows()) as [OutboxRow, OutboxRow];
    expect(first).toMatchObject({ delivered: true, attempts: 1 });
    expect(second).toMatchObject({ delivered: false, attempts: 0, locked_until: null });
    expect(await sentCount()).toBe(1);
  });

  it('logs a failed run and carries on, never throwing', async () => {
    const broken = connect(withDatabase(db().url, 'portal_no_such_database'), { max: 1, connect_timeout: 5 });
    const { log, lines } = collectingLogger();
    const worker = startNotificationWorker(broken, log, developmentTransport(broken), { intervalMs: 50 });
    try {
      await waitFor(async () => lines.filter((l) => l.msg === 'notification delivery run failed; will retry').length >= 2, 'two failed runs');
    } finally {
      await worker.stop();
      await broken.end({ timeout: 1 });
    }
  });
});

describe('message texts', () => {
  const templates = Object.entries(messages).filter(
    (entry): entry is [string, (input: MessageInput) => messages.MessageText] => typeof entry[1] === 'function',
  );

  // Everything a careless caller might pass along with the reference.
  const childDetails = {
    forename: 'Amelia',
    surname: 'Okonkwo-Whitfield',
    childName: 'Amelia Okonkwo-Whitfield',
    dateOfBirth: '2015-04-03',
    nhsNumber: '9434765919',
    upn: 'A801200200001',
    address: '14 Larch Crescent',
    postcode: 'LS6 2QT',
    school: 'Moorside Primary School',
    concern: 'Bruising seen on her arm',
  };

  it('for a lookup, to the allocated worker: fixed, only the sign-in address varies, no child details', () => {
    const a = messages.lookupMessages.forAllocatedWorker({ publicUrl: 'https://portal.example.gov.uk', ...childDetails } as unknown as MessageInput);
    const b = messages.lookupMessages.forAllocatedWorker({ publicUrl: 'http://localhost:3000/ignored?x=1#y' });
    for (const text of [a.subject, a.body]) {
      for (const detail of Object.values(childDetails)) expect(text).not.toContain(detail);
      expect(() => assertNoChildDetails(text)).not.toThrow();
    }
    expect(a.body).toMatch(/Sign in/);
    const portal = (text: string) => text.replace(/https?:\/\/[^/\s]+\//g, '<portal>/');
    expect(portal(a.body)).toBe(portal(b.body));
    expect(a.subject).toBe(b.subject);
  });

  it('are fixed: only the reference and the sign-in address vary, and no child details get in', () => {
    expect(templates.map(([name]) => name).sort()).toEqual(['concernDecidedForReferrer', 'concernForAllocatedWorker', 'concernReceivedForFrontDoor', 'decisionForAllocatedWorker', 'furtherInformationForFrontDoor', 'immediateRiskConcernForFrontDoor', 'immediateRiskForAllocatedWorker']);
    for (const [name, template] of templates) {
      const a = template({ reference: 'SPP-2026-000123', publicUrl: 'https://portal.example.gov.uk', ...childDetails } as MessageInput);
      const b = template({ reference: 'SPP-2031-987654', publicUrl: 'http://localhost:3000/ignored?x=1#y' });
      for (const text of [a.subject, a.body]) {
        for (const detail of Object.values(childDetails)) expect(text, name).not.toContain(detail);
        expect(() => assertNoChildDetails(text)).not.toThrow();
      }
      expect(a.body, name).toContain('SPP-2026-000123');
      expect(a.body, name).toMatch(/Sign in/);
      const template_ = (text: string) =>
        text.replace(/SPP-\d{4}-\d{6}/g, '<reference>').replace(/https?:\/\/[^/\s]+\//g, '<portal>/');
      expect(template_(a.subject), name).toBe(template_(b.subject));
      expect(template_(a.body), name).toBe(template_(b.body));
    }
  });

  it('say there is something to read after signing in, and where', () => {
    const input = { reference: 'SPP-2026-000123', publicUrl: 'https://portal.example.gov.uk' };
    expect(concernReceivedForFrontDoor(input)).toEqual({
      subject: 'New safeguarding concern SPP-2026-000123',
      body:
        'A new safeguarding concern has been submitted to the portal (reference SPP-2026-000123).\n\n' +
        'Sign in to read it: https://portal.example.gov.uk/front-door\n',
    });
    expect(concernDecidedForReferrer(input)).toEqual({
      subject: 'Decision recorded on concern SPP-2026-000123',
      body:
        'The council has recorded a decision on a concern you submitted (reference SPP-2026-000123).\n\n' +
        'Sign in to read the feedback: https://portal.example.gov.uk/submissions\n',
    });
  });

  it('refuse anything but a portal reference and an http(s) address', () => {
    for (const [, template] of templates) {
      expect(() => template({ reference: 'Amelia Okonkwo-Whitfield', publicUrl: 'https://portal.example.gov.uk' })).toThrow(/reference/);
      expect(() => template({ reference: 'SPP-2026-000123 Amelia', publicUrl: 'https://portal.example.gov.uk' })).toThrow(/reference/);
      expect(() => template({ reference: 'SPP-2026-000123', publicUrl: 'javascript:alert(1)' })).toThrow(/http/);
    }
  });

  it('take nothing but a reference and the public address (static check)', async () => {
    // Types (checked by `tsc --noEmit`): the one parameter is exactly { reference, publicUrl }.
    expectTypeOf<MessageInput>().toEqualTypeOf<{ reference: string; publicUrl: string }>();
    expectTypeOf(concernReceivedForFrontDoor).parameters.toEqualTypeOf<[MessageInput]>();
    expectTypeOf(concernDecidedForReferrer).parameters.toEqualTypeOf<[MessageInput]>();

    // Source: every exported function destructures exactly those two fields from MessageInput.
    const source = await readFile(path.join(paths.root, 'src', 'notifications', 'messages.ts'), 'utf8');
    const exported = [...source.matchAll(/export (?:async )?function (\w+)\s*\(([^)]*)\)/g)];
    expect(exported.map((m) => m[1]).sort()).toEqual(templates.map(([name]) => name).sort());
    for (const [, name, params] of exported) {
      expect(params!.replace(/\s+/g, ' ').trim(), name).toBe('{ reference, publicUrl }: MessageInput');
    }
    expect(source).toMatch(/interface MessageInput \{[^}]*\}/);
    const fields = /interface MessageInput \{([^}]*)\}/.exec(source)![1]!.match(/^\s*(\w+):/gm)!.map((f) => f.trim());
    expect(fields).toEqual(['reference:', 'publicUrl:']);
  });

  it('assertNoChildDetails catches identifiers, dates and postcodes but not references or addresses', () => {
    for (const text of [
      'NHS number 943 476 5919',
      'NHS 9434765919',
      'UPN A801200200001',
      'born 03/04/2015',
      'born 2015-04-03',
      'born 3rd April 2015',
      'lives at LS6 2QT',
      'lives at sw1a1aa',
    ]) {
      expect(() => assertNoChildDetails(text), text).toThrow(/child details/);
    }
    for (const text of [
      'reference SPP-2026-000123',
      'Sign in: http://127.0.0.1:3000/front-door',
      'Sign in: http://10.0.0.12/front-door',
      'Sign in: https://portal.example.gov.uk/submissions',
    ]) {
      expect(() => assertNoChildDetails(text), text).not.toThrow();
    }
  });
});
