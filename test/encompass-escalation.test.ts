// Escalation of police notifications nobody acknowledged (src/encompass/escalation.ts), on a
// faked clock: at the due time the school's other DSLs are e-mailed; at the later step the front
// door; a notification to the front door alerts the front door's mailbox only; each step once,
// even with two runs at the same time, and each recorded. Real PostgreSQL, the real outbox.
import { beforeAll, describe, expect, it } from 'vitest';
import { NORTHBRIDGE_FRONT_DOOR_EMAIL } from '../src/seed/demo-organisations.ts';
import { escalateOverdue } from '../src/encompass/escalation.ts';
import { DEMO_SCHOOLS, NORTHBRIDGE_COUNCIL, NORTHBRIDGE_POLICE } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { createDemoSession } from './support/demo-session.ts';
import { insertNotification } from './support/encompass-fixtures.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const users: Record<string, string> = {};
const riverside = DEMO_SCHOOLS[0]!;
const PUBLIC_URL = 'https://portal.example';

// Sent Tuesday 1 December 2026 at 19:00, due Wednesday 2 December at 08:30 (GMT).
const sentAt = new Date('2026-12-01T19:00:00Z');
const dueAt = new Date('2026-12-02T08:30:00Z');
const at = (iso: string) => new Date(iso);
const run = (now: Date) => escalateOverdue(db().sql, { now, frontDoorAfterMinutes: 60, publicUrl: PUBLIC_URL });

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 10, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  for (const sub of ['dsl-riverside', 'deputy-dsl-riverside', 'police-ppu', 'front-door']) {
    users[sub] = (await createDemoSession(app, sub)).session.userId;
  }
});

async function outboxTo(dedupePrefix: string) {
  return db().sql<Array<{ recipient: string; subject: string; body: string }>>`
    select recipient, subject, body from outbox where dedupe_key like ${`${dedupePrefix}%`} order by recipient`;
}

async function events(notificationId: string) {
  return db().sql<Array<{ kind: string; at: Date; recipient: string | null }>>`
    select kind, at, recipient_user_id as recipient from encompass_events where notification_id = ${notificationId} order by id`;
}

describe('a school’s notification nobody acknowledges', () => {
  let n: { id: string; reference: string };
  beforeAll(async () => {
    n = await insertNotification(db().sql, { schoolId: riverside.id, forceId: NORTHBRIDGE_POLICE.id, sentByUserId: users['police-ppu']!, sentAt, dueAt, emailed: [users['dsl-riverside']!] });
  });

  it('is not escalated before its due time', async () => {
    await run(at('2026-12-02T08:29:59Z'));
    expect(await outboxTo(`encompass-overdue:${n.id}`)).toEqual([]);
    expect((await events(n.id)).map((e) => e.kind)).toEqual(['sent', 'emailed']);
  });

  it('alerts the school’s other DSL at 08:30, once, with no details, and records it', async () => {
    // Two processes' runs at the same moment: the step happens once.
    await Promise.all([run(dueAt), run(dueAt)]);
    await run(at('2026-12-02T08:45:00Z'));
    const sent = await outboxTo(`encompass-overdue:${n.id}`);
    expect(sent.map((m) => m.recipient)).toEqual(['deputy-dsl-riverside@schools.northbridge.example']);
    expect(sent[0]!.subject).toBe(`Police notification ${n.reference} not yet acknowledged`);
    expect(sent[0]!.body).toContain('https://portal.example/encompass/inbox');
    expect(sent[0]!.body).not.toMatch(/Test|Child|Riverside|Northbridge Police|NP\//);
    const steps = await events(n.id);
    expect(steps.map((e) => e.kind)).toEqual(['sent', 'emailed', 'emailed', 'escalated_to_dsls']);
    expect(steps[2]!.recipient).toBe(users['deputy-dsl-riverside']);
    expect(steps[3]!.at.toISOString()).toBe(dueAt.toISOString());
    const [row] = await db().sql`select escalated_to_dsls_at, escalated_to_front_door_at from encompass_notifications where id = ${n.id}`;
    expect(row!.escalated_to_dsls_at.toISOString()).toBe(dueAt.toISOString());
    expect(row!.escalated_to_front_door_at).toBeNull();
  });

  it('alerts the front door 60 minutes later, once, and records it', async () => {
    await run(at('2026-12-02T09:29:00Z'));
    expect(await outboxTo(`encompass-overdue:${n.id}:front-door`)).toEqual([]);
    await Promise.all([run(at('2026-12-02T09:30:00Z')), run(at('2026-12-02T09:30:00Z'))]);
    await run(at('2026-12-02T12:00:00Z'));
    const sent = await outboxTo(`encompass-overdue:${n.id}:front-door`);
    expect(sent.map((m) => m.recipient)).toEqual([NORTHBRIDGE_FRONT_DOOR_EMAIL]);
    expect(sent[0]!.subject).toBe(`A school has not acknowledged police notification ${n.reference}`);
    const steps = (await events(n.id)).map((e) => e.kind);
    expect(steps).toEqual(['sent', 'emailed', 'emailed', 'escalated_to_dsls', 'emailed', 'escalated_to_front_door']);
    expect(await outboxTo(`encompass-overdue:${n.id}`)).toHaveLength(2);
  });
});

describe('a school where every lead was e-mailed when it was sent', () => {
  it('reminds them all at the due time', async () => {
    const n = await insertNotification(db().sql, { schoolId: riverside.id, forceId: NORTHBRIDGE_POLICE.id, sentByUserId: users['police-ppu']!, sentAt, dueAt, emailed: [users['dsl-riverside']!, users['deputy-dsl-riverside']!] });
    await run(dueAt);
    expect((await outboxTo(`encompass-overdue:${n.id}`)).map((m) => m.recipient)).toEqual([
      'deputy-dsl-riverside@schools.northbridge.example', 'dsl-riverside@schools.northbridge.example',
    ]);
  });
});

describe('an acknowledged notification', () => {
  it('is never escalated', async () => {
    const n = await insertNotification(db().sql, { schoolId: riverside.id, forceId: NORTHBRIDGE_POLICE.id, sentByUserId: users['police-ppu']!, sentAt, dueAt });
    await db().sql`update encompass_notifications set acknowledged_at = ${at('2026-12-02T08:00:00Z')}, acknowledged_by_user_id = ${users['dsl-riverside']!},
                   acknowledged_by_name = 'Sarah Collins', school_action = 'key_adult_informed' where id = ${n.id}`;
    await run(at('2026-12-03T12:00:00Z'));
    expect(await outboxTo(`encompass-overdue:${n.id}`)).toEqual([]);
    expect((await events(n.id)).map((e) => e.kind)).toEqual(['sent']);
  });
});

describe('a notification to the front door itself', () => {
  it('alerts the front door’s mailbox at its due time, only, once', async () => {
    const n = await insertNotification(db().sql, { schoolId: null, councilId: NORTHBRIDGE_COUNCIL.id, forceId: NORTHBRIDGE_POLICE.id, sentByUserId: users['police-ppu']!, sentAt, dueAt });
    await run(at('2026-12-02T08:29:00Z'));
    expect(await outboxTo(`encompass-overdue:${n.id}`)).toEqual([]);
    await Promise.all([run(dueAt), run(dueAt)]);
    await run(at('2026-12-03T08:30:00Z'));
    const sent = await outboxTo(`encompass-overdue:${n.id}`);
    expect(sent.map((m) => m.recipient)).toEqual([NORTHBRIDGE_FRONT_DOOR_EMAIL]);
    expect(sent[0]!.subject).toBe(`Police notification ${n.reference} to the front door not yet acknowledged`);
    expect((await events(n.id)).map((e) => e.kind)).toEqual(['sent', 'emailed', 'escalated_to_front_door']);
    const [row] = await db().sql`select escalated_to_dsls_at from encompass_notifications where id = ${n.id}`;
    expect(row!.escalated_to_dsls_at).toBeNull();
  });
});
