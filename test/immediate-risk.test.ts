// Immediate risk is its own path (issue 11, point 1): before the written record goes the
// partner is told to phone now, with both numbers as tel: links; the concern's target is hours
// around the clock; it tops the front door's queue; the e-mail says "Immediate risk"; and the
// child's allocated social worker is told at once, by an item on their home page and an e-mail.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let pupil: { id: string; workerEmail: string; workerId: string };
let council: { dutyPhone: string; outOfHoursPhone: string };

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  // A pupil of the DSL's school, open, not sealed, with an allocated social worker.
  [pupil] = await db().sql<[typeof pupil]>`
    select c.id, w.email as "workerEmail", w.id as "workerId" from children c
    join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
    join allocations a on a.child_id = c.id and a.end_date is null join social_workers w on w.id = a.social_worker_id
    where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    order by c.id limit 1`;
  expect(pupil).toBeDefined();
  [council] = await db().sql<[typeof council]>`
    select duty_phone as "dutyPhone", out_of_hours_phone as "outOfHoursPhone" from organisations where kind = 'local_authority' order by name limit 1`;
});
afterAll(async () => {
  await app?.close();
});

const answers = (immediateRisk: 'yes' | 'no') => ({ idempotencyKey: randomUUID(), childId: pupil.id, ...goodAnswers, immediateRisk });
const digits = (phone: string) => phone.replace(/[^0-9+]/g, '');

describe('a concern at immediate risk', () => {
  let reference: string;
  let concernId: string;

  it('says to phone now, with both numbers as tel: links, before the written record goes', async () => {
    const check = await (await as('dsl-riverside')).post('/concerns/check', answers('yes'));
    expect(check.status).toBe(200);
    expect(check.html).toContain('data-testid="phone-now"');
    expect(check.html).toContain(`href="tel:${digits(council.dutyPhone)}"`);
    expect(check.html).toContain(`href="tel:${digits(council.outOfHoursPhone)}"`);
    expect(check.html).toContain('Send the written record');
    // A routine concern's check page has none of it.
    const routine = await (await as('dsl-riverside')).post('/concerns/check', answers('no'));
    expect(routine.html).not.toContain('data-testid="phone-now"');
    expect(routine.html).toContain('within one working day');
  });

  it('has a target of hours around the clock, and says so on the receipt', async () => {
    const sent = await (await as('dsl-riverside')).post('/concerns', answers('yes'));
    expect(sent.status).toBe(303);
    reference = sent.res.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '');
    const [row] = await db().sql<[{ id: string; hours: number }]>`
      select id, extract(epoch from decision_due_at - received_at) / 3600 as hours from concerns where reference = ${reference}`;
    concernId = row.id;
    expect(Number(row.hours)).toBeCloseTo(2, 5);
    const receipt = await (await as('dsl-riverside')).get(`/concerns/${reference}`);
    expect(receipt.html).toMatch(/data-testid="immediate-risk-next"[\s\S]*?within 2 hours/);
  });

  it('tops the front door’s queue, and the e-mail to the front door says "Immediate risk"', async () => {
    const routine = await (await as('dsl-riverside')).post('/concerns', answers('no'));
    expect(routine.status).toBe(303);
    const queue = await (await as('front-door')).get('/front-door');
    const first = /href="\/front-door\/([0-9a-f-]{36})"/.exec(queue.html)?.[1];
    expect(first).toBe(concernId);
    const [message] = await db().sql<[{ subject: string }]>`
      select subject from outbox where kind = 'concern_received' and dedupe_key = ${`concern-received:${concernId}`}`;
    expect(message.subject).toBe(`Immediate risk: new safeguarding concern ${reference}`);
  });

  it('tells the allocated social worker at once: a home-page item and an e-mail without child details', async () => {
    const [item] = await db().sql<[{ message: string; kind: string }]>`
      select message, kind from social_worker_notifications where social_worker_id = ${pupil.workerId} and kind = 'concern' and message like ${`%${reference}%`}`;
    expect(item.message).toMatch(/^Immediate risk: /);
    const [mail] = await db().sql<[{ subject: string; body: string; recipient: string }]>`
      select subject, body, recipient from outbox where kind = 'concern_for_allocated_worker' and dedupe_key = ${`concern-allocated-worker:${concernId}`}`;
    expect(mail.recipient).toBe(pupil.workerEmail);
    expect(mail.subject).toMatch(/^Immediate risk: /);
    expect(mail.body).not.toContain(goodAnswers.whatHappened);
  });
});
