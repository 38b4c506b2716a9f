// The concern matrix (issue 5, point 7): who may raise, read and decide concerns, and record
// partners' training. Reads the
// hand-written table "The concern matrix" in ./permission-matrix.md and checks every demo account
// of every role against it through the real app (in process, hono's app.request()), each with
// the session its sign-in makes (test/support/demo-session.ts).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleNames, type Role } from '../src/auth/roles.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers, postForm, raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { MATRIX_ACCOUNTS, trainedClaim } from './support/matrix-accounts.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { readMarkdownTable } from './support/markdown-table.ts';

const COLUMNS = ['raise', 'own', 'others', 'add', 'queue', 'open', 'decide', 'records'] as const;
type Column = (typeof COLUMNS)[number];
interface Row { line: number; roles: Role[]; trained: boolean; allowed: Record<Column, boolean> }

function parseConcernMatrix(markdown: string): Row[] {
  const { header, rows } = readMarkdownTable(markdown, '### The concern matrix', 'permission-matrix.md');
  const expected = ['role', 'training', ...COLUMNS];
  if (header.join(',') !== expected.join(',')) throw new Error(`the concern matrix's columns must be ${expected.join(', ')}`);
  return rows.map(({ cells: row, line }) => {
    const at = `permission-matrix.md line ${line}`;
    const rowRoles = row[0]!.split(',').map((r) => r.trim());
    for (const role of rowRoles) if (!(roleNames as string[]).includes(role)) throw new Error(`${at}: no role "${role}"`);
    if (row[1] !== 'complete' && row[1] !== 'not recorded') throw new Error(`${at}: training is "complete" or "not recorded"`);
    const allowed = {} as Record<Column, boolean>;
    COLUMNS.forEach((column, index) => {
      const value = row[index + 2];
      if (value !== '✓' && value !== '—') throw new Error(`${at}: "${value}" in column ${column} (write ✓ or —)`);
      allowed[column] = value === '✓';
    });
    return { line, roles: rowRoles as Role[], trained: row[1] === 'complete', allowed };
  });
}

const MATRIX = parseConcernMatrix(readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8'));

const ACCOUNTS = MATRIX_ACCOUNTS;

/** The accounts that raise the concerns everyone else is checked against, one per partner organisation. */
const RAISERS = ['dsl-riverside', 'dsl-northbridge-high', 'gp-canal-wharf', 'health-visitor', 'school-nurse', 'ed-clinician', 'police-ppu'];

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
/** Each raised concern and the organisation it came from. */
const raised: Array<{ reference: string; id: string; organisationId: string; by: string }> = [];
const organisationOf = async (sub: string) =>
  (await db().sql`select s.organisation_id as id from sessions s join users u on u.id = s.user_id where u.subject = ${sub} limit 1`)[0]?.id as string;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 60, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  for (const sub of RAISERS) {
    const reference = await raiseConcern(await as(sub), app, { childSurname: `Raised-by-${sub}` });
    const [row] = await db().sql`select id, organisation_id from concerns where reference = ${reference}`;
    raised.push({ reference, id: row!.id, organisationId: row!.organisation_id, by: sub });
  }
});
afterAll(async () => {
  await app?.close();
});

it('every role and training state in the table has a demo account, and every account a row', () => {
  for (const account of ACCOUNTS) {
    const rows = MATRIX.filter((r) => r.roles.includes(account.role) && r.trained === trainedClaim(account.sub));
    expect(rows, `${account.sub}: rows for ${account.role}`).toHaveLength(1);
  }
  for (const role of roleNames) expect(MATRIX.some((r) => r.roles.includes(role)), role).toBe(true);
});

describe.each(ACCOUNTS)('$sub ($role)', ({ sub, role }) => {
  const row = () => MATRIX.find((r) => r.roles.includes(role) && r.trained === trainedClaim(sub))!;
  const get = async (path: string) => {
    const res = await (await as(sub)).request(`${app.baseUrl}${path}`);
    return { status: res.status, html: await res.text() };
  };

  it('raise', async () => {
    const form = await get('/concerns/new');
    const before = (await db().sql`select count(*)::int as n from concerns`)[0]!.n;
    // The CSRF token from any page the account can open.
    const token = hiddenField(form.html, 'csrf_token') ?? hiddenField((await get('/')).html, 'csrf_token') ?? '';
    const sent = await postForm(await as(sub), app, '/concerns', { csrf_token: token, idempotencyKey: randomUUID(), childId: '', childSurname: 'Matrix', ...goodAnswers });
    const after = (await db().sql`select count(*)::int as n from concerns`)[0]!.n;
    if (row().allowed.raise) {
      expect(form.status).toBe(200);
      expect(form.html).toContain('name="idempotencyKey"');
      expect(sent.status).toBe(303);
      expect(after).toBe(before + 1);
    } else {
      expect(form.html).not.toContain('name="idempotencyKey"');
      expect(form.status).toBe(role.startsWith('council.') ? 404 : 403);
      if (!role.startsWith('council.')) expect(form.html).toContain('Your safeguarding training is not recorded as complete');
      expect([403, 404]).toContain(sent.status);
      expect(after).toBe(before);
    }
  });

  it('own and others', async () => {
    const organisationId = await organisationOf(sub);
    const submissions = await get('/submissions');
    const unknown = await get('/concerns/SPP-2026-999999');
    expect(unknown.status).toBe(404);
    const own = raised.filter((r) => r.organisationId === organisationId);
    const others = raised.filter((r) => r.organisationId !== organisationId);
    if (row().allowed.own) {
      expect(own.length, 'a concern from the same organisation to check against').toBeGreaterThan(0);
      expect(submissions.status).toBe(200);
      for (const concern of own) {
        expect(submissions.html).toContain(concern.reference);
        expect((await get(`/concerns/${concern.reference}`)).status).toBe(200);
      }
    } else {
      expect(submissions.status).toBe(404);
      for (const concern of own) expect((await get(`/concerns/${concern.reference}`)).status).toBe(404);
    }
    for (const concern of others) {
      const page = await get(`/concerns/${concern.reference}`);
      if (row().allowed.others) {
        expect(page.status).toBe(200);
      } else {
        expect(submissions.html).not.toContain(concern.reference);
        expect(page.status).toBe(404);
        expect(page.html).toBe(unknown.html);
      }
    }
  });

  it('add', async () => {
    // A concern from the account's own organisation where there is one; else any.
    const organisationId = await organisationOf(sub);
    const target = raised.find((r) => r.organisationId === organisationId) ?? raised[0]!;
    const count = async () => (await db().sql<[{ n: number }]>`select count(*)::int as n from concern_follow_ups where concern_id = ${target.id}`)[0].n;
    const before = await count();
    const res = await (await as(sub)).post(`/concerns/${target.reference}/follow-ups`, { idempotencyKey: randomUUID(), followUp: `Matrix check by ${sub}` });
    if (row().allowed.add) {
      expect(target.organisationId).toBe(organisationId);
      expect(res.status).toBe(303);
      expect(await count()).toBe(before + 1);
    } else {
      expect(res.status).toBe(404);
      expect(await count()).toBe(before);
    }
  });

  it('queue, open and decide', async () => {
    const queue = await get('/front-door');
    const unknown = await get(`/front-door/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    if (row().allowed.queue) {
      expect(queue.status).toBe(200);
      for (const concern of raised) expect(queue.html + (await get('/front-door?status=all')).html).toContain(concern.reference);
    } else {
      expect(queue.status).toBe(404);
      for (const concern of raised) expect(queue.html).not.toContain(concern.reference);
    }
    for (const concern of raised) {
      const page = await get(`/front-door/${concern.id}`);
      if (row().allowed.open) {
        expect(page.status).toBe(200);
        expect(page.html).toContain(`Raised-by-${concern.by}`);
      } else {
        expect(page.status).toBe(404);
        expect(page.html).toBe(unknown.html);
      }
    }
    // A concern of its own to decide on, so the rows do not depend on one another.
    const fresh = await raiseConcern(await as('police-ppu'), app, { childSurname: `To-decide-by-${sub}` });
    const [{ id } = { id: '' }] = await db().sql<{ id: string }[]>`select id from concerns where reference = ${fresh}`;
    const token = hiddenField((await get('/')).html, 'csrf_token') ?? '';
    const res = await postForm(await as(sub), app, `/front-door/${id}/decision`, { csrf_token: token, match: 'unmatched', decision: 'advice_given', reason: 'Matrix check.', feedback: 'Matrix check.' });
    const [{ status } = { status: '' }] = await db().sql<{ status: string }[]>`select status from concerns where id = ${id}`;
    if (row().allowed.decide) {
      expect(res.status).toBe(303);
      expect(status).toBe('decided');
    } else {
      expect(res.status).toBe(404);
      expect(status).toBe('received');
    }
  });

  it('records', async () => {
    // The new starter, signed in once so the portal knows them: the partner whose training is to record.
    await as('new-deputy-dsl-northbridge-high');
    const [{ id } = { id: '' }] = await db().sql<{ id: string }[]>`select id from users where subject = 'new-deputy-dsl-northbridge-high'`;
    const list = await get('/training');
    const form = await get(`/training/${id}`);
    const token = hiddenField((await get('/')).html, 'csrf_token') ?? '';
    const before = (await db().sql`select training_recorded_at from users where id = ${id}`)[0]!.training_recorded_at;
    // Really recording it would change the new starter's row of this table, so the date sent is
    // one the form refuses (400): that answer means the policy let the request through.
    const res = await postForm(await as(sub), app, `/training/${id}`, { csrf_token: token, 'completed-day': '1', 'completed-month': '1', 'completed-year': '2099' });
    expect((await db().sql`select training_recorded_at from users where id = ${id}`)[0]!.training_recorded_at).toEqual(before);
    if (row().allowed.records) {
      expect(list.status).toBe(200);
      expect(list.html).toContain(`data-user="${id}"`);
      expect(form.status).toBe(200);
      expect(res.status).toBe(400);
    } else {
      for (const status of [list.status, form.status, res.status]) expect(status).toBe(404);
      expect(list.html).not.toContain(id);
    }
  });
});
