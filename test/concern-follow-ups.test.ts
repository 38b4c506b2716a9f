// The same concern form sent again (issue 10, point 3). A retry with the same answers makes one
// concern and lands on its receipt, as before; changed answers under the same form key are told
// apart: the partner is told the concern was already sent and the changes were not, and may add
// them as a follow-up, which the front door reads with the concern, which joins the child's
// chronology, and which only the sending organisation's trained staff may add.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let childId: string;
let reference: string;
let concernId: string;
const key = randomUUID();

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 60, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  const list = await (await as('dsl-riverside')).get('/children');
  childId = /href="\/children\/([0-9a-f-]{36})"/.exec(list.html)![1]!;
});
afterAll(async () => {
  await app?.close();
});

const send = (answers: Record<string, string>) => as('dsl-riverside').then((dsl) => dsl.post('/concerns', { idempotencyKey: key, childId, ...goodAnswers, ...answers }));
const concernCount = async () => (await db().sql<[{ n: number }]>`select count(*)::int as n from concerns where idempotency_key = ${key}`)[0].n;

describe('the same form sent again', () => {
  it('with the same answers (a retry) makes one concern and shows its receipt', async () => {
    const first = await send({});
    expect(first.status).toBe(303);
    reference = first.res.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '');
    const again = await send({});
    expect(again.status).toBe(303);
    expect(again.res.headers.get('location')).toBe(`/concerns/${reference}?sent=1`);
    expect(await concernCount()).toBe(1);
    [{ id: concernId }] = await db().sql<[{ id: string }]>`select id from concerns where reference = ${reference}`;
  });

  it('with changed answers says it was already sent and the changes were not', async () => {
    const changed = await send({ whatHappened: 'Also: her brother said their father had come back to the house.' });
    expect(changed.status).toBe(409);
    expect(changed.html).toContain('This concern was already sent');
    expect(changed.html).toContain(reference);
    expect(changed.html).toContain('The changes you made to your answers were not sent');
    expect(changed.html).toContain(`action="/concerns/${reference}/follow-ups"`);
    expect(await concernCount()).toBe(1);
    const [row] = await db().sql<[{ what: string }]>`select what_happened as what from concerns where id = ${concernId}`;
    expect(row.what).toBe(goodAnswers.whatHappened);
  });
});

describe('adding information', () => {
  const note = 'Her brother said their father had come back to the house last night.';

  it('refuses an empty note by the field, on the receipt', async () => {
    const empty = await (await as('dsl-riverside')).post(`/concerns/${reference}/follow-ups`, { idempotencyKey: randomUUID(), followUp: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter what you want to add');
    expect(empty.html).toContain('govuk-textarea--error');
  });

  it('adds it once, however often it is sent, and the partner sees it on the receipt', async () => {
    const dsl = await as('dsl-riverside');
    const form = await dsl.get(`/concerns/${reference}`);
    const formKey = hiddenField(form.html, 'idempotencyKey')!;
    for (let i = 0; i < 3; i++) {
      const added = await dsl.post(`/concerns/${reference}/follow-ups`, { idempotencyKey: formKey, followUp: note });
      expect(added.status).toBe(303);
      expect(added.res.headers.get('location')).toBe(`/concerns/${reference}?added=1`);
    }
    const [{ n }] = await db().sql<[{ n: number }]>`select count(*)::int as n from concern_follow_ups where concern_id = ${concernId}`;
    expect(n).toBe(1);
    const receipt = await dsl.get(`/concerns/${reference}?added=1`);
    expect(receipt.html).toContain('data-testid="added"');
    expect(receipt.html).toMatch(/data-testid="follow-up"[\s\S]*?Her brother said their father/);
  });

  it('the front door reads it with the concern and is told by e-mail, without child details', async () => {
    const page = await (await as('front-door')).get(`/front-door/${concernId}`);
    expect(page.html).toContain('Further information from the partner');
    expect(page.html).toContain(note);
    const messages = await db().sql<Array<{ subject: string; body: string }>>`select subject, body from outbox where kind = 'concern_follow_up'`;
    expect(messages).toHaveLength(1);
    expect(messages[0]!.subject).toBe(`Further information on concern ${reference}`);
    expect(messages[0]!.body).not.toContain('brother');
  });

  it('joins the child’s chronology', async () => {
    const rows = await db().sql<Array<{ summary: string }>>`
      select summary from chronology_events where child_id = ${childId} and event_type = 'Partner follow-up' and concern_id = ${concernId}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.summary).toContain(reference);
  });

  it('may be added only by the sending organisation’s trained staff', async () => {
    for (const sub of ['dsl-northbridge-high', 'new-deputy-dsl-northbridge-high', 'front-door', 'sw-priya-desai', 'police-ppu']) {
      const refused = await (await as(sub)).post(`/concerns/${reference}/follow-ups`, { idempotencyKey: randomUUID(), followUp: 'x' });
      expect(refused.status, sub).toBe(404);
    }
    // A colleague at the same school may.
    const deputy = await (await as('deputy-dsl-riverside')).post(`/concerns/${reference}/follow-ups`, { idempotencyKey: randomUUID(), followUp: 'Mum phoned the school this morning.' });
    expect(deputy.status).toBe(303);
  });
});
