// Issue 13 point 5: partners' concerns, the information they add and the front door's decisions
// go out to the council's case system: as JSON lines from `npm run export:concerns` and through
// a signed webhook, each event once, in order, with the matched child's case-system id, and
// resumable. Concerns are raised and decided through the real routes (app.request()); the CLI
// runs as a real process; the webhook posts to a real HTTP server on 127.0.0.1.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerPosition, recordExported } from '../src/case-system-export/events.ts';
import { exportEvents } from '../src/case-system-export/export.ts';
import type { CaseSystemEvent } from '../src/case-system-export/format.ts';
import { deliverEvents, startCaseSystemWebhook } from '../src/case-system-export/webhook.ts';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { connect } from '../src/db/connect.ts';
import { collectMetrics } from '../src/health/metrics.ts';
import { createLogger } from '../src/log.ts';
import { paths } from '../src/paths.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { runScript } from './support/verify-cli.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let childId: string;
const CASE_SYSTEM_ID = 'NB0000042';
const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';

// A gate in the concern's own transaction: while `held` is set, a concern being raised waits
// there, uncommitted, its event row written, until the test lets it go.
let held: { entered: () => void; release: Promise<void> } | 'fail' | undefined;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 60, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql, {
    concernHooks: {
      beforeCommit: async () => {
        const gate = held;
        if (!gate) return;
        held = undefined;
        if (gate === 'fail') throw new Error('injected failure after every write, before commit');
        gate.entered();
        await gate.release;
      },
    },
  });
  const list = await (await as('dsl-riverside')).get('/children');
  childId = /href="\/children\/([0-9a-f-]{36})"/.exec(list.html)![1]!;
  // The council's case system knows this child (as an SSD import would have recorded it).
  await db().sql`insert into child_sources (child_id, system, source_id) values (${childId}, 'LCS', ${CASE_SYSTEM_ID})`;
});
afterAll(async () => {
  await app?.close();
});

/** Raises a concern through POST /concerns; returns its reference and id. */
async function raise(sub: string, answers: Record<string, string>, key = randomUUID()) {
  const sent = await (await as(sub)).post('/concerns', { idempotencyKey: key, childId: '', ...goodAnswers, ...answers });
  expect(sent.status).toBe(303);
  const reference = sent.res.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '');
  const [{ id }] = await db().sql<[{ id: string }]>`select id from concerns where reference = ${reference}`;
  return { reference, id };
}
const unmatched = (surname: string) => ({ childForename: 'Jamie', childSurname: surname, 'dob-day': '3', 'dob-month': '4', 'dob-year': '2015' });

async function decide(id: string, match: string, decision = 'early_help') {
  const res = await (await as('front-door')).post(`/front-door/${id}/decision`, { match, decision, reason: 'Family agreed to early help.', feedback: 'Thank you: early help offered.' });
  expect(res.status).toBe(303);
}

/** What an export after `after` writes, parsed line by line. */
async function exported(after: number): Promise<{ lines: string[]; events: CaseSystemEvent[]; last: { id: string; sequence: number } | null }> {
  let text = '';
  const result = await exportEvents(db().sql, { after, write: async (chunk) => void (text += chunk), batchSize: 2 });
  const lines = text.split('\n').filter(Boolean);
  return { lines, events: lines.map((line) => JSON.parse(line) as CaseSystemEvent), last: result.last };
}

const runCli = (...args: string[]) => runScript('src/case-system-export/cli.ts', { DATABASE_URL: db().url, LOG_LEVEL: 'silent' }, ...args);

let first: { reference: string; id: string };
let second: { reference: string; id: string };

describe('the export', () => {
  it('has each concern, follow-up and decision once, in order, with the case-system id when matched', async () => {
    const key = randomUUID();
    first = await raise('dsl-riverside', { childId, childWords: 'I’m scared to go home.' }, key);
    // A retry of the same form makes no second concern and no second event.
    expect((await raise('dsl-riverside', { childId, childWords: 'I’m scared to go home.' }, key)).reference).toBe(first.reference);
    second = await raise('police-ppu', { ...unmatched('Unknown'), categories: 'domestic_abuse', category: 'domestic_abuse' });
    const dsl = await as('dsl-riverside');
    const followUpKey = randomUUID();
    for (let i = 0; i < 2; i++) {
      const added = await dsl.post(`/concerns/${first.reference}/follow-ups`, { idempotencyKey: followUpKey, followUp: 'Her brother said their father came back last night.' });
      expect(added.status).toBe(303);
    }
    await decide(first.id, childId);
    await decide(second.id, 'unmatched', 'no_further_action');
    // The front door's double click: the decision that stands, no second event.
    await (await as('front-door')).post(`/front-door/${first.id}/decision`, { match: childId, decision: 'early_help', reason: 'Again.', feedback: 'Again.' });

    const { events, lines } = await exported(0);
    expect(events.map((e) => [e.type, e.concern.reference])).toEqual([
      ['concern.received', first.reference],
      ['concern.received', second.reference],
      ['concern.information_added', first.reference],
      ['concern.decided', first.reference],
      ['concern.decided', second.reference],
    ]);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(events.map((e) => e.id)).size).toBe(5);
    for (const event of events) expect(event.schema).toBe('spp.case-system-event/1');

    const [received, policeReceived, informationAdded, decided, policeDecided] = events as [CaseSystemEvent, CaseSystemEvent, CaseSystemEvent, CaseSystemEvent, CaseSystemEvent];
    // The school's concern about a child the case system knows: its case-system id.
    expect(received.matchedChild).toEqual({ portalId: childId, caseSystemIds: [{ system: 'LCS', id: CASE_SYSTEM_ID }] });
    expect(received.concern.partner).toMatchObject({ kind: 'school', code: { scheme: 'urn' }, cinReferralSource: { code: '2A', label: 'Schools' } });
    expect(received.concern.referrer).toMatchObject({ name: 'Sarah Collins', role: 'education.dsl', phone: goodAnswers.referrerPhone, email: goodAnswers.referrerEmail });
    expect(received.concern.categories).toEqual([{ code: 'neglect', label: 'Neglect', cinCensusCode: 'NEG', main: true }]);
    expect(received.concern.whatHappened).toBe(goodAnswers.whatHappened);
    expect(received.concern.childsOwnWords).toBe('I’m scared to go home.');
    expect(received.concern.immediateRisk).toBe(false);
    expect(received).not.toHaveProperty('decision');
    // The police's concern about a child nobody matched: as the partner described them.
    expect(policeReceived.matchedChild).toBeNull();
    expect(policeReceived.concern.childAsDescribed).toMatchObject({ forename: 'Jamie', surname: 'Unknown', dateOfBirth: '2015-04-03' });
    expect(policeReceived.concern.partner).toMatchObject({ kind: 'police_force', code: { scheme: 'force_code' }, cinReferralSource: { code: '6' } });
    expect(policeReceived.concern.categories[0]).toMatchObject({ code: 'domestic_abuse', cinCensusCode: '3A', main: true });
    expect(informationAdded.informationAdded).toMatchObject({ addedBy: 'Sarah Collins', text: 'Her brother said their father came back last night.' });
    expect(informationAdded.matchedChild?.caseSystemIds).toEqual([{ system: 'LCS', id: CASE_SYSTEM_ID }]);
    expect(decided.decision).toMatchObject({ outcome: 'early_help', outcomeLabel: 'Early help', reason: 'Family agreed to early help.', feedbackToPartner: 'Thank you: early help offered.', decidedBy: 'Nadia Hussain' });
    expect(decided.matchedChild?.caseSystemIds).toEqual([{ system: 'LCS', id: CASE_SYSTEM_ID }]);
    expect(policeDecided.decision?.outcome).toBe('no_further_action');
    expect(policeDecided.matchedChild).toBeNull();

    // Read again, the same lines: an event's text does not change.
    expect((await exported(0)).lines).toEqual(lines);
  });

  it('the CLI writes from a date, from an event id, and resumes from the last export', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spp-export-'));
    try {
      const file = path.join(dir, 'concerns.jsonl');
      const all = await runCli('--since', '2000-01-01', '--out', file);
      expect(all.code).toBe(0);
      const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      expect(lines).toHaveLength(5);
      expect(all.stderr).toContain('Exported 5 events');
      const ids = lines.map((line) => (JSON.parse(line) as CaseSystemEvent).id);
      expect(await consumerPosition(db().sql, 'cli')).toBe(5);

      // Nothing new since: nothing written, to standard output this time.
      const none = await runCli('--from-last');
      expect(none).toMatchObject({ code: 0, stdout: '' });
      expect(none.stderr).toContain('No events since then.');

      const third = await raise('dsl-northbridge-high', unmatched('Third'));
      const resumed = await runCli('--from-last');
      expect(resumed.code).toBe(0);
      const resumedEvents = resumed.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as CaseSystemEvent);
      expect(resumedEvents.map((e) => [e.type, e.concern.reference, e.sequence])).toEqual([['concern.received', third.reference, 6]]);

      // After an event id: everything after it, the new one included.
      const afterSecond = await runCli('--since', ids[1]!);
      expect(afterSecond.stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as CaseSystemEvent).sequence)).toEqual([3, 4, 5, 6]);
      // A date after everything: nothing.
      expect((await runCli('--since', '2999-01-01T00:00:00Z')).stdout).toBe('');

      // Wrong arguments say how to use it, and export nothing.
      for (const args of [['--since', 'yesterday'], ['--since', '2026-01-01', '--from-last'], ['--since', randomUUID()]]) {
        const wrong = await runCli(...args);
        expect(wrong.code, args.join(' ')).toBe(2);
        expect(wrong.stdout).toBe('');
      }
      expect(await consumerPosition(db().sql, 'cli')).toBe(6);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a concern whose transaction fails leaves no event', async () => {
    const before = await db().sql`select count(*)::int as n from case_system_events`;
    held = 'fail';
    const key = randomUUID();
    const sent = await (await as('dsl-riverside')).post('/concerns', { idempotencyKey: key, childId: '', ...goodAnswers, ...unmatched('Failed') });
    expect(sent.status).toBe(503);
    expect(await db().sql`select 1 from concerns where idempotency_key = ${key}`).toHaveLength(0);
    expect(await db().sql`select count(*)::int as n from case_system_events`).toEqual(before);
  });

  it('a concern that commits late, after a later one was exported, is not skipped', async () => {
    const bookmark = await consumerPosition(db().sql, 'cli');
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    held = { entered, release: new Promise<void>((resolve) => (release = resolve)) };
    // The slow one starts first and waits inside its transaction, its event written.
    const slow = raise('dsl-riverside', unmatched('Slow'));
    await inside;
    const fast = await raise('dsl-northbridge-high', unmatched('Fast'));

    const early = await exported(bookmark);
    expect(early.events.map((e) => e.concern.reference)).toEqual([fast.reference]);
    await recordExported(db().sql, early.last!.sequence);

    release();
    const late = await slow;
    const next = await exported(await consumerPosition(db().sql, 'cli'));
    expect(next.events.map((e) => [e.type, e.concern.reference])).toEqual([['concern.received', late.reference]]);
    // Written first, committed last: a cursor on insertion order (or time) would have passed it.
    const [order] = await db().sql<[{ slowFirst: boolean }]>`
      select (select seq from case_system_events where concern_id = ${late.id}) < (select seq from case_system_events where concern_id = ${fast.id}) as "slowFirst"`;
    expect(order.slowFirst).toBe(true);
    await recordExported(db().sql, next.last!.sequence);
  });
});

interface Received {
  id: string;
  type: string;
  timestamp: string;
  signature: string;
  body: string;
  status: number;
}

/** The council's receiver: checks nothing itself, records every request and answers as `answer` says. */
async function receiver(port: number, answer: (event: CaseSystemEvent, seen: number) => number) {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const event = JSON.parse(body) as CaseSystemEvent;
      const seen = requests.filter((r) => r.id === event.id).length;
      const status = answer(event, seen);
      requests.push({
        id: String(req.headers['x-portal-event-id']), type: String(req.headers['x-portal-event-type']),
        timestamp: String(req.headers['x-portal-timestamp']), signature: String(req.headers['x-portal-signature']), body, status,
      });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What a receiver does with each request: the signature over "timestamp.body", and a fresh timestamp. */
function verified(request: Received): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${request.timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(request.signature);
  const fresh = Math.abs(Date.now() / 1000 - Number(request.timestamp)) < 300;
  return given.length === expected.length && timingSafeEqual(given, expected) && fresh && (JSON.parse(request.body) as CaseSystemEvent).id === request.id;
}

const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)![1]);
/** How many events there are: once numbered, the last position (positions have no gaps). */
const lastPosition = async () => (await db().sql<[{ n: number }]>`select count(*)::int as n from case_system_events`)[0].n;

describe('the signed webhook', () => {
  const url = 'http://127.0.0.1:4160/case-system/events';
  const noWait = () => 0;

  it('is not counted as behind until a webhook has run', async () => {
    const text = await collectMetrics(db().sql);
    expect(metric(text, 'portal_case_system_events_undelivered')).toBe(0);
    expect(metric(text, 'portal_case_system_events_failed')).toBe(0);
  });

  it('delivers every event once, signed, in order; a 500 is retried, a 400 fails for good', async () => {
    const refused = await raise('dsl-riverside', unmatched('Refused'));
    const total = await lastPosition();
    const lines: string[] = [];
    const log = createLogger('debug', (line) => lines.push(line));
    let firstRequest = true;
    const council = await receiver(4160, (event) => {
      if (firstRequest) {
        firstRequest = false;
        return 500;
      }
      if (event.concern.reference === refused.reference) return 400;
      return 200;
    });
    try {
      // Each run stops at the 500 (a retry waits its back-off, here none); the next goes on.
      const first = await deliverEvents(db().sql, { url, secret: SECRET, retryDelaySeconds: noWait, log });
      expect(first).toEqual({ delivered: 0, failed: 0, retrying: true });
      const [waiting] = await db().sql`select last_position, attempts, last_error from case_system_consumers where name = 'webhook'`;
      expect(waiting).toMatchObject({ last_position: '0', attempts: 1, last_error: 'receiver answered 500' });
      const second = await deliverEvents(db().sql, { url, secret: SECRET, retryDelaySeconds: noWait, log });
      expect(second).toEqual({ delivered: total - 1, failed: 1, retrying: false });

      const requests = council.requests;
      expect(requests.every(verified)).toBe(true);
      // The first event twice (500, then 200), every other once; in the log's order.
      expect(requests.map((r) => (JSON.parse(r.body) as CaseSystemEvent).sequence)).toEqual([1, ...Array.from({ length: total }, (_, i) => i + 1)]);
      expect(requests[0]!.id).toBe(requests[1]!.id);
      expect(requests.filter((r) => r.status === 200).map((r) => r.id)).toHaveLength(total - 1);
      expect(new Set(requests.filter((r) => r.status === 200).map((r) => r.id)).size).toBe(total - 1);
      expect(requests.find((r) => r.status === 400)).toMatchObject({ type: 'concern.received' });

      const deliveries = await db().sql<{ position: string; attempts: number; status: number; delivered: boolean; failure_reason: string | null }[]>`
        select position::text, attempts, status, delivered_at is not null as delivered, failure_reason from case_system_deliveries order by position`;
      expect(deliveries).toHaveLength(total);
      expect(deliveries[0]).toMatchObject({ position: '1', attempts: 2, status: 200, delivered: true });
      expect(deliveries.filter((d) => !d.delivered)).toEqual([{ position: String(total), attempts: 1, status: 400, delivered: false, failure_reason: 'receiver refused the event (400)' }]);

      // Nothing more to send: no request.
      expect(await deliverEvents(db().sql, { url, secret: SECRET, retryDelaySeconds: noWait, log })).toEqual({ delivered: 0, failed: 0, retrying: false });
      expect(council.requests).toHaveLength(requests.length);

      const text = await collectMetrics(db().sql);
      expect(metric(text, 'portal_case_system_events_undelivered')).toBe(0);
      expect(metric(text, 'portal_case_system_events_oldest_undelivered_age_seconds')).toBe(0);
      expect(metric(text, 'portal_case_system_events_failed')).toBe(1);

      // The logs name positions and codes, never what the concern says or whom it is about.
      expect(lines.join('\n')).toMatch(/"code":400/);
      for (const secret of [refused.reference, 'Jamie', 'Refused', 'Sarah Collins', goodAnswers.whatHappened, CASE_SYSTEM_ID, SECRET]) {
        expect(lines.join('\n')).not.toContain(secret);
      }
    } finally {
      await council.close();
    }
  });

  it('waits through a receiver outage and, after a restart, resumes after the last delivered event', async () => {
    const before = await lastPosition();
    const outage = await raise('dsl-northbridge-high', unmatched('Outage'));
    // No receiver listening: the event waits, counted and aged on /metrics.
    const down = await deliverEvents(db().sql, { url, secret: SECRET, retryDelaySeconds: noWait });
    expect(down.retrying).toBe(true);
    const [waiting] = await db().sql`select last_position, last_error from case_system_consumers where name = 'webhook'`;
    expect(waiting).toMatchObject({ last_position: String(before), last_error: 'receiver unreachable (ECONNREFUSED)' });
    const text = await collectMetrics(db().sql);
    expect(metric(text, 'portal_case_system_events_undelivered')).toBe(1);
    expect(metric(text, 'portal_case_system_events_oldest_undelivered_age_seconds')).toBeGreaterThanOrEqual(0);

    // A new process (its own pool), with the receiver back: only the waiting event is sent.
    const council = await receiver(4160, () => 200);
    const other = connect(db().url, { max: 2 });
    const worker = startCaseSystemWebhook(other, createLogger('silent'), { url, secret: SECRET, intervalMs: 50, retryDelaySeconds: noWait });
    try {
      const deadline = Date.now() + 10_000;
      while ((await consumerPosition(db().sql, 'webhook')) < before + 1) {
        if (Date.now() > deadline) throw new Error('the waiting event was not delivered');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(council.requests.map((r) => (JSON.parse(r.body) as CaseSystemEvent).concern.reference)).toEqual([outage.reference]);
      expect(council.requests.every(verified)).toBe(true);
    } finally {
      await worker.stop();
      await other.end({ timeout: 5 });
      await council.close();
    }
  });

  it('a timeout and a 429 are retried (after its Retry-After); a redirect fails for good', async () => {
    const before = await lastPosition();
    const slow = await raise('dsl-riverside', unmatched('Slow answer'));
    const moved = await raise('dsl-riverside', unmatched('Moved'));
    const answers: number[] = [];
    const requests: string[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const event = JSON.parse(body) as CaseSystemEvent;
        requests.push(event.concern.reference);
        const attempt = requests.filter((r) => r === event.concern.reference).length;
        if (event.concern.reference === slow.reference && attempt === 1) return; // never answers
        const status = event.concern.reference === moved.reference ? 302 : attempt === 2 ? 429 : 200;
        answers.push(status);
        res.writeHead(status, status === 429 ? { 'Retry-After': '1' } : status === 302 ? { Location: 'http://127.0.0.1:4162/elsewhere' } : {}).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(4162, '127.0.0.1', resolve));
    const settings = { url: 'http://127.0.0.1:4162/', secret: SECRET, timeoutMs: 300, retryDelaySeconds: noWait };
    try {
      expect((await deliverEvents(db().sql, settings)).retrying).toBe(true);
      expect((await db().sql`select last_error from case_system_consumers where name = 'webhook'`)[0]).toEqual({ last_error: 'no answer within 0.3 s' });
      expect((await deliverEvents(db().sql, settings)).retrying).toBe(true);
      const [backOff] = await db().sql<[{ last_error: string; wait: number }]>`
        select last_error, extract(epoch from available_at - now())::float8 as wait from case_system_consumers where name = 'webhook'`;
      expect(backOff.last_error).toBe('receiver answered 429');
      expect(backOff.wait).toBeGreaterThan(0.2);
      // Backing off: nothing is sent before the Retry-After has passed.
      expect(await deliverEvents(db().sql, settings)).toEqual({ delivered: 0, failed: 0, retrying: false });
      await db().sql`update case_system_consumers set available_at = now() where name = 'webhook'`;
      expect(await deliverEvents(db().sql, settings)).toEqual({ delivered: 1, failed: 1, retrying: false });
      expect(requests).toEqual([slow.reference, slow.reference, slow.reference, moved.reference]);
      const outcomes = await db().sql`select attempts, status, failure_reason from case_system_deliveries where position > ${before} order by position`;
      expect(outcomes).toEqual([
        { attempts: 3, status: 200, failure_reason: null },
        { attempts: 1, status: 302, failure_reason: 'receiver redirected (302); redirects are not followed' },
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('runs once across several processes: two delivering at once send each event once', async () => {
    const before = await lastPosition();
    for (let i = 0; i < 6; i++) await raise(i % 2 ? 'dsl-riverside' : 'police-ppu', unmatched(`Many${i}`));
    const council = await receiver(4161, () => 200);
    const pools = [connect(db().url, { max: 2 }), connect(db().url, { max: 2 })];
    try {
      const target = before + 6;
      const deadline = Date.now() + 10_000;
      while ((await consumerPosition(db().sql, 'webhook')) < target) {
        if (Date.now() > deadline) throw new Error('not all delivered');
        await Promise.all(pools.map((pool) => deliverEvents(pool, { url: 'http://127.0.0.1:4161/', secret: SECRET, batchSize: 2, retryDelaySeconds: noWait })));
      }
      const sequences = council.requests.map((r) => (JSON.parse(r.body) as CaseSystemEvent).sequence);
      expect(sequences).toEqual(Array.from({ length: 6 }, (_, i) => before + 1 + i));
    } finally {
      await Promise.all(pools.map((pool) => pool.end({ timeout: 5 })));
      await council.close();
    }
  });
});

describe('concerns from before the export existed', () => {
  it('migration 025 gives them their events, each once, each concern’s in order', async () => {
    const before = (await exported(0)).events.map((e) => `${e.type} ${e.concern.reference}`).sort();
    const migration = await readFile(path.join(paths.root, 'migrations/025_case_system_events.sql'), 'utf8');
    const backfill = migration.slice(migration.lastIndexOf('insert into case_system_events'));
    await db().sql.begin(async (tx) => {
      await tx`delete from case_system_deliveries`;
      await tx`delete from case_system_events`;
      await tx.unsafe(backfill);
    });
    const after = (await exported(0)).events;
    expect(after.map((e) => `${e.type} ${e.concern.reference}`).sort()).toEqual(before);
    const rank = { 'concern.received': 0, 'concern.information_added': 1, 'concern.decided': 2 };
    const byConcern = new Map<string, number[]>();
    for (const event of after) byConcern.set(event.concern.reference, [...(byConcern.get(event.concern.reference) ?? []), rank[event.type]]);
    for (const kinds of byConcern.values()) expect(kinds).toEqual([...kinds].sort());
  });
});

describe('configuration', () => {
  const production = {
    NODE_ENV: 'production', OIDC_PROVIDERS_FILE: 'providers.yaml', PUBLIC_URL: 'https://portal.council.example.gov.uk',
  };
  const problem = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };

  it('refuses a webhook without a secret, and one not on https in production', () => {
    expect(problem({ ...production, CASE_SYSTEM_WEBHOOK_URL: 'https://case.council.example/hooks' })).toContain('CASE_SYSTEM_WEBHOOK_SECRET: is required with CASE_SYSTEM_WEBHOOK_URL');
    expect(problem({ ...production, CASE_SYSTEM_WEBHOOK_URL: 'http://case.council.example/hooks', CASE_SYSTEM_WEBHOOK_SECRET: SECRET })).toContain('CASE_SYSTEM_WEBHOOK_URL: must be an https:// address in production');
    expect(problem({ ...production, CASE_SYSTEM_WEBHOOK_URL: 'https://case.council.example/hooks', CASE_SYSTEM_WEBHOOK_SECRET: 'short' })).toContain('CASE_SYSTEM_WEBHOOK_SECRET: must be at least 32 characters');
    expect(problem({ ...production, CASE_SYSTEM_WEBHOOK_URL: 'https://case.council.example/hooks', CASE_SYSTEM_WEBHOOK_SECRET: SECRET })).toBeUndefined();
    expect(problem({ CASE_SYSTEM_WEBHOOK_URL: 'http://127.0.0.1:4160/', CASE_SYSTEM_WEBHOOK_SECRET: SECRET })).toBeUndefined();
  });
});
