// Raising a concern through the real app (in process, hono's app.request(); sessions from
// test/support/demo-session.ts): the form, check answers, confirmation; nothing lost, nothing
// doubled; one transaction; only the submitting organisation reads it back. The one check about
// real sockets (an oversized body answered early) serves the same app on a real port.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue, developmentTransport } from '../src/notifications/worker.ts';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { goodAnswers, openConcernForm, postForm } from './support/concerns.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField, type TestClient } from './support/http-client.ts';
import { buildTestApp, listenOnPort, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
let failing: InProcessApp;
const as = demoClients(() => app);
let pupil: { id: string; forename: string };

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 120, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  failing = await buildTestApp(db().sql, {
    sharedSettingsWith: app,
    concernHooks: { beforeCommit: async () => { throw new Error('injected failure after every write, before commit'); } },
  });
  pupil = (await db().sql`
    select c.id, c.forename from children c
    join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
    where r.organisation_id = ${DEMO_SCHOOLS[0]!.id} and not c.sealed
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    limit 1`)[0] as never;
});
afterAll(async () => {
  await failing?.close();
  await app?.close();
});

const openForm = (client: TestClient, query = '') => openConcernForm(client, app, query);
const post = (client: TestClient, path: string, fields: Record<string, string>, on: InProcessApp = app) => postForm(client, on, path, fields);

const count = async (table: string) => (await db().sql`select count(*)::int as n from ${db().sql(table)}`)[0]!.n as number;

describe('a DSL raises a concern about a pupil', () => {
  it('goes form → check answers → confirmation, and it lands in one transaction', async () => {
    const client = await as('dsl-riverside');
    const form = await openForm(client, `?child=${pupil.id}`);
    expect(form.res.status).toBe(200);
    expect(form.html).toContain(`About ${pupil.forename}`);
    const answers = { csrf_token: form.token, idempotencyKey: form.key, childId: pupil.id, ...goodAnswers };

    const check = await post(client, '/concerns/check', answers);
    expect(check.status).toBe(200);
    const checkHtml = await check.text();
    expect(checkHtml).toContain('Check your answers before sending your concern');
    expect(checkHtml).toContain('Breakfast club place offered.');

    const sent = await post(client, '/concerns', answers);
    expect(sent.status).toBe(303);
    const reference = sent.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '');
    expect(reference).toMatch(/^SPP-\d{4}-\d{6}$/);
    const receipt = await (await client.request(`${app.baseUrl}/concerns/${reference}`)).text();
    expect(receipt).toContain(`data-testid="reference">${reference}<`);

    const [concern] = await db().sql`select * from concerns where reference = ${reference}`;
    expect(concern).toMatchObject({ child_id: pupil.id, category: 'neglect', immediate_risk: false, status: 'received', organisation_id: DEMO_SCHOOLS[0]!.id });
    expect(concern!.child_words).toBe('There’s nothing in the cupboards.');
    expect(concern!.decision_due_at.getTime()).toBeGreaterThan(concern!.received_at.getTime());
    expect(await db().sql`select 1 from chronology_events where child_id = ${pupil.id} and summary like ${'%' + reference + '%'} and concern_id = ${concern!.id}`).toHaveLength(1);
    expect(await db().sql`select 1 from access_log where child_id = ${pupil.id} and action = 'submit_concern' and reason like ${'%' + reference + '%'}`).toHaveLength(1);
    const outbox = await db().sql`select recipient, subject, body from outbox where dedupe_key = ${'concern-received:' + concern!.id}`;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.recipient).toBe('front.door@northbridge.example');
    // The e-mail says there is something to read, never what.
    expect(outbox[0]!.body).not.toContain(pupil.forename);
    expect(outbox[0]!.body).not.toContain('coat');

    const submissions = await (await client.request(`${app.baseUrl}/submissions`)).text();
    expect(submissions).toContain(reference);
  });

  it('a double click or a retry returns the same reference and makes one concern; so do 20 concurrent retries', async () => {
    const client = await as('dsl-riverside');
    const form = await openForm(client);
    const answers = { csrf_token: form.token, idempotencyKey: form.key, childId: '', childForename: 'Unnamed', childSurname: 'Pupil', ...goodAnswers };
    const first = await post(client, '/concerns', answers);
    const second = await post(client, '/concerns', answers);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));

    const form2 = await openForm(client);
    const again = { ...answers, idempotencyKey: form2.key };
    const before = await count('concerns');
    const results = await Promise.all(Array.from({ length: 20 }, () => post(client, '/concerns', again)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(303));
    expect(new Set(results.map((r) => r.headers.get('location'))).size).toBe(1);
    expect(await count('concerns')).toBe(before + 1);
    expect((await db().sql`select count(*)::int as n from outbox where kind = 'concern_received'`)[0]!.n).toBe(await count('concerns'));
  });

  it('a failure mid-transaction leaves nothing behind, and the partner can retry with their answers', async () => {
    // Signed in through the first node; the second node (with the injected failure) honours the session.
    const client = await as('dsl-riverside');
    const res = await client.request(`${failing.baseUrl}/concerns/new?child=${pupil.id}`);
    const html = await res.text();
    const answers = { csrf_token: hiddenField(html, 'csrf_token')!, idempotencyKey: hiddenField(html, 'idempotencyKey')!, childId: pupil.id, ...goodAnswers, whatHappened: 'This one must not be saved.' };
    const before = { concerns: await count('concerns'), chronology: await count('chronology_events'), log: await count('access_log'), outbox: await count('outbox') };
    const sent = await post(client, '/concerns', answers, failing);
    expect(sent.status).toBe(503);
    const page = await sent.text();
    expect(page).toContain('Your concern has not been sent');
    expect(page).toContain('value="This one must not be saved."');
    expect(page).toContain(`value="${answers.idempotencyKey}"`);
    expect({ concerns: await count('concerns'), chronology: await count('chronology_events'), log: await count('access_log'), outbox: await count('outbox') }).toEqual(before);
    expect(await db().sql`select 1 from concerns where idempotency_key = ${answers.idempotencyKey}`).toHaveLength(0);
  });
});

describe('notifications', () => {
  it('the front door’s message is delivered by the worker and shown on the development page, without child details', async () => {
    await deliverDue(db().sql, developmentTransport(db().sql), { batchSize: 100 });
    const html = await (await (await as('front-door')).request(`${app.baseUrl}/dev/sent-messages`)).text();
    expect(html).toContain('data-testid="sent-messages"');
    expect(html).toContain('front.door@northbridge.example');
    expect(html).toMatch(/New safeguarding concern SPP-\d{4}-\d{6}/);
    expect(html).not.toContain(pupil.forename);
    expect(html).not.toContain('coat');
  });
});

describe('bad input', () => {
  it('gets messages next to each field, keeps every answer, and never a 500', async () => {
    const client = await as('dsl-riverside');
    const form = await openForm(client);
    const res = await post(client, '/concerns/check', {
      csrf_token: form.token, idempotencyKey: form.key, childId: '',
      childNhsNumber: '123', childUpn: 'A1', 'when-day': '31', 'when-month': '2', 'when-year': '2026', whatHappened: '', parentsAware: 'no', referrerPhone: 'call me',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('govuk-error-summary');
    for (const message of ['Enter the child’s first name or last name', 'NHS number must be 10 digits', 'UPN must be 13 characters', 'Select the kind of concern',
      'Describe what you saw, heard or were told', 'When it happened must be a real date', 'Select yes if the child is at immediate risk of harm',
      'Say why the parents or carers have not been told', 'Enter a telephone number']) {
      expect(html).toContain(message);
    }
    expect(html).toContain('value="call me"');
    expect(html).toContain('value="123"');
  });

  it('checks one field as it is left (htmx): that field’s message only, with what was typed', async () => {
    const client = await as('dsl-riverside');
    const form = await openForm(client);
    const fields = { csrf_token: form.token, idempotencyKey: form.key, childId: '', childNhsNumber: '943 476 591', whatHappened: '' };
    const res = await post(client, '/concerns/new?check=childNhsNumber', fields);
    expect(res.status).toBe(200);
    const html = await res.text();
    const group = html.slice(html.indexOf('id="group-childNhsNumber"'));
    expect(group.slice(0, group.indexOf('</div>'))).toContain('NHS number must be 10 digits');
    expect(group).toContain('value="943 476 591"');
    // Fields not yet reached are not complained about.
    expect(html).not.toContain('Describe what you saw, heard or were told');
    expect(html.match(/class="govuk-error-message"/g)).toHaveLength(1);
    const fine = await (await post(client, '/concerns/new?check=childNhsNumber', { ...fields, childNhsNumber: '943 476 5919' })).text();
    expect(fine).not.toContain('govuk-error-message');
    const unknownGroup = await post(client, '/concerns/new?check=idempotencyKey', fields);
    expect(unknownGroup.status).toBe(200);
    expect(await unknownGroup.text()).not.toContain('govuk-error-message');
  });

  it('HTML and script typed into every text field come back escaped', async () => {
    const client = await as('dsl-riverside');
    const form = await openForm(client);
    const nasty = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'';
    const fields = { childForename: nasty, childSurname: nasty, childAddress: nasty, childPostcode: 'NB1 1AA', whatHappened: nasty, childWords: nasty, actionsTaken: nasty, parentsNotAwareReason: nasty, referrerEmail: '' };
    const answers = { csrf_token: form.token, idempotencyKey: form.key, childId: '', ...goodAnswers, ...fields, parentsAware: 'no' };
    const check = await (await post(client, '/concerns/check', answers)).text();
    const sent = await post(client, '/concerns', answers);
    const receipt = await (await client.request(`${app.baseUrl}${sent.headers.get('location')}`)).text();
    // And where the front door reads it.
    const [{ id } = { id: '' }] = await db().sql<{ id: string }[]>`select id from concerns where reference = ${sent.headers.get('location')!.replace('/concerns/', '').replace(/\?sent=1$/, '')}`;
    const frontDoor = await (await (await as('front-door')).request(`${app.baseUrl}/front-door/${id}`)).text();
    expect(frontDoor).toContain('data-testid="child-words"');
    for (const page of [check, receipt, frontDoor]) {
      expect(page).not.toContain('<script>alert(1)</script>');
      expect(page).not.toContain('<img src=x');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('oversized and malformed bodies get a 413 or 400 page', async () => {
    const client = await as('dsl-riverside');
    const form = await openForm(client);
    // The server answers 413 without reading the whole body, so read the answer at a low level,
    // over a real socket: the same app, served on a port for this check.
    const served = await listenOnPort(app);
    const huge = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = new URLSearchParams({ csrf_token: form.token, whatHappened: 'x'.repeat(400 * 1024) }).toString();
      const req = httpRequest(`${served.url}/concerns/check`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Origin: app.baseUrl, Cookie: client.cookieHeader(new URL(app.baseUrl)) },
      }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'EPIPE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      req.end(body);
    }).finally(() => served.close());
    expect(huge.status).toBe(413);
    expect(huge.body).toContain('What you sent is too large');
    const malformed = await client.request(`${app.baseUrl}/concerns/check`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=nope', Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin', 'X-CSRF-Token': form.token },
      body: '--wrong\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--wrong--',
    });
    expect(malformed.status).toBe(400);
    const broken = await client.request(`${app.baseUrl}/concerns/check`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data', Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin' },
      body: 'not multipart at all',
    });
    expect(broken.status).toBe(400);
  });
});

describe('who may see and raise what', () => {
  it('a DSL cannot read another school’s submission by its reference (404)', async () => {
    const riverside = await as('dsl-riverside');
    const form = await openForm(riverside);
    const sent = await post(riverside, '/concerns', { csrf_token: form.token, idempotencyKey: form.key, childId: '', childSurname: 'Somebody', ...goodAnswers });
    const path = sent.headers.get('location')!;
    const other = await as('dsl-northbridge-high');
    const res = await other.request(`${app.baseUrl}${path}`);
    expect(res.status).toBe(404);
    const missing = await other.request(`${app.baseUrl}/concerns/SPP-2026-999999`);
    expect(await res.text()).toBe(await missing.text());
    expect(await (await other.request(`${app.baseUrl}/submissions`)).text()).not.toContain(path.replace('/concerns/', '').replace('?sent=1', ''));
  });

  it('a new starter whose training is not recorded may view but not raise, and is told why', async () => {
    const client = await as('new-deputy-dsl-northbridge-high');
    const res = await client.request(`${app.baseUrl}/concerns/new`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Your safeguarding training is not recorded as complete');
    expect((await client.request(`${app.baseUrl}/children`)).status).toBe(200);
    const sent = await post(client, '/concerns', { csrf_token: 'x', idempotencyKey: randomUUID(), ...goodAnswers });
    expect([403]).toContain(sent.status);
  });

  it('an emergency department clinician is offered the concern form after a lookup, found or not', async () => {
    const [child] = await db().sql`select nhs_number from children c where not sealed and nhs_number is not null
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null and i.kind = 'child_protection') limit 1`;
    const ed = await as('ed-clinician');
    const form = await (await ed.request(`${app.baseUrl}/lookup`)).text();
    const lookUp = async (nhsNumber: string) =>
      (await post(ed, '/lookup', { csrf_token: hiddenField(form, 'csrf_token')!, method: 'nhs', nhsNumber, reason: 'Child attending the emergency department' })).text();
    for (const result of [await lookUp(child!.nhs_number), await lookUp('9434765919')]) {
      expect(result).toMatch(/<form method="post" action="\/concerns\/from-lookup" novalidate data-testid="raise-from-lookup">/);
    }
    expect((await ed.request(`${app.baseUrl}/concerns/new`)).status).toBe(200);
  });

  it('council staff and information governance do not raise concerns here', async () => {
    expect((await (await as('info-governance')).request(`${app.baseUrl}/concerns/new`)).status).toBe(404);
  });
});
