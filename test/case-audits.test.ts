// The monthly case-file audit (issue 17, point 1), through the real app and a real PostgreSQL:
// drawing a sample (reproducible from its seed, within its filters), grading with errors by the
// field and answers kept, every save a version (a stale form refused), completing through check
// answers, who may read an audit (each look recorded), actions marked done, reminders sent once,
// overdue actions on the home page, and the hand-written case-audit matrix in permission-matrix.md.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindActions } from '../src/case-audits/reminders.ts';
import { auditAreaNames } from '../src/case-audits/areas.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { todayInEngland } from '../src/validation/dates.ts';
import { raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { readMarkdownTable } from './support/markdown-table.ts';
import { MATRIX_ACCOUNTS } from './support/matrix-accounts.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const month = `${todayInEngland().slice(0, 7)}-01`;

/** Concerns raised and decided for the tests: [reference, agency, decision, immediate risk]. */
const RAISED: Array<[string, 'education' | 'health', string, 'yes' | 'no']> = [];

async function decide(reference: string, decision: string) {
  const frontDoor = await as('front-door');
  const [{ id }] = await db().sql<[{ id: string }]>`select id from concerns where reference = ${reference}`;
  const form = await frontDoor.get(`/front-door/${id}`);
  const sent = await frontDoor.post(`/front-door/${id}/decision`, {
    csrf_token: hiddenField(form.html, 'csrf_token')!, match: 'unmatched', decision, reason: 'Audit test reasoning', feedback: 'Thank you for telling us.',
  });
  expect(sent.status).toBe(303);
}

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  const plan: Array<['dsl-riverside' | 'gp-canal-wharf', string, 'yes' | 'no']> = [
    ['dsl-riverside', 'advice_given', 'no'], ['dsl-riverside', 'early_help', 'no'], ['dsl-riverside', 'advice_given', 'yes'],
    ['dsl-riverside', 'no_further_action', 'no'], ['dsl-riverside', 'early_help', 'yes'], ['dsl-riverside', 'advice_given', 'no'],
    ['gp-canal-wharf', 'advice_given', 'no'], ['gp-canal-wharf', 'early_help', 'yes'], ['gp-canal-wharf', 'no_further_action', 'no'],
  ];
  for (const [sub, decision, risk] of plan) {
    const reference = await raiseConcern(await as(sub), app, { childSurname: 'Audited', immediateRisk: risk, referrerEmail: 'referrer@partner.example' });
    await decide(reference, decision);
    RAISED.push([reference, sub === 'gp-canal-wharf' ? 'health' : 'education', decision, risk]);
  }
  // Everyone the tests sign in as has a user record (an action may be given only to council staff who have signed in).
  for (const sub of ['quality-lead', 'tm-helen-whitaker', 'info-governance', 'sw-priya-desai', 'dsl-riverside', 'data-officer']) await as(sub);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

async function draw(fields: Record<string, string>, sub = 'quality-lead'): Promise<string> {
  const res = await (await as(sub)).post('/case-audits/samples', { month, agency: '', outcome: '', immediateRisk: 'any', size: '5', seed: '', ...fields });
  expect(res.status, res.html.slice(0, 300)).toBe(303);
  return res.res.headers.get('location')!.split('/').pop()!;
}
const members = async (sampleId: string) => (await db().sql<Array<{ reference: string }>>`
  select c.reference from case_audit_sample_concerns m join concerns c on c.id = m.concern_id where m.sample_id = ${sampleId} order by m.position`).map((r) => r.reference);

describe('drawing a sample', () => {
  it('the same seed, filters and month draw the same concerns; another seed another order; the seed is recorded', async () => {
    const first = await draw({ seed: '424242', size: '5' });
    const again = await draw({ seed: '424242', size: '5' });
    const other = await draw({ seed: '7', size: '9' });
    expect(await members(first)).toHaveLength(5);
    expect(await members(again)).toEqual(await members(first));
    expect(new Set(await members(other))).toEqual(new Set(RAISED.map((r) => r[0])));
    expect(await members(other)).not.toEqual(RAISED.map((r) => r[0]));
    // Recomputed by another route: the decided concerns of the month in md5(seed || id) order, in JavaScript.
    const { createHash } = await import('node:crypto');
    const all = await db().sql<Array<{ id: string; reference: string }>>`select id, reference from concerns where status = 'decided'`;
    const expected = all.map((c) => ({ ...c, key: createHash('md5').update(`424242${c.id}`).digest('hex') }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, 5).map((c) => c.reference);
    expect(await members(first)).toEqual(expected);
    const [sample] = await db().sql`select seed::text, size, filters, to_char(month, 'YYYY-MM-DD') as month from case_audit_samples where id = ${first}`;
    expect(sample).toEqual({ seed: '424242', size: 5, filters: { agency: null, outcome: null, immediateRisk: null }, month });
    const page = await (await as('quality-lead')).get(`/case-audits/samples/${first}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('424242');
    // A blank seed gets a random one, recorded.
    const random = await draw({ seed: '' });
    const [{ seed }] = await db().sql<[{ seed: string }]>`select seed::text from case_audit_samples where id = ${random}`;
    expect(seed).toMatch(/^[1-9][0-9]*$/);
  });

  it('draws only within the filters: agency, outcome, immediate risk', async () => {
    const health = await members(await draw({ agency: 'health', size: '100', seed: '1' }));
    expect(new Set(health)).toEqual(new Set(RAISED.filter((r) => r[1] === 'health').map((r) => r[0])));
    const early = await members(await draw({ outcome: 'early_help', size: '100', seed: '1' }));
    expect(new Set(early)).toEqual(new Set(RAISED.filter((r) => r[2] === 'early_help').map((r) => r[0])));
    const urgentSchools = await members(await draw({ agency: 'education', immediateRisk: 'yes', size: '100', seed: '1' }));
    expect(new Set(urgentSchools)).toEqual(new Set(RAISED.filter((r) => r[1] === 'education' && r[3] === 'yes').map((r) => r[0])));
  });

  it('a bad form is refused by its fields and keeps what was typed', async () => {
    const res = await (await as('quality-lead')).post('/case-audits/samples', { month: '1999-01-01', agency: 'health', outcome: '', immediateRisk: 'any', size: '5000', seed: 'abc' });
    expect(res.status).toBe(400);
    expect(res.html).toContain('govuk-error-summary');
    expect(res.html).toContain('href="#month"');
    expect(res.html).toContain('How many concerns must be a whole number from 1 to 100');
    expect(res.html).toContain('The seed must be a whole number');
    expect(res.html).toMatch(/<option value="health" selected>/);
    expect(res.html).toContain('value="5000"');
  });
});

/** Form fields grading every area, with evaluations. */
const graded = (grade = 'meets_good') => Object.fromEntries(auditAreaNames.flatMap((area) => [[`grade-${area}`, grade], [`evaluation-${area}`, `Evaluation of ${area}.`]]));

describe('auditing a concern', () => {
  let sampleId: string;
  let concernId: string;
  let auditId: string;
  let formPath: string;
  let priyaId: string;

  beforeAll(async () => {
    sampleId = await draw({ seed: '99', size: '2' });
    [{ concernId }] = await db().sql<[{ concernId: string }]>`select concern_id as "concernId" from case_audit_sample_concerns where sample_id = ${sampleId} order by position limit 1`;
    formPath = `/case-audits/samples/${sampleId}/concerns/${concernId}`;
    [{ id: priyaId }] = await db().sql<[{ id: string }]>`select id from users where name = 'Priya Desai'`;
  });

  it('shows the concern and its decision to the auditor, with the form', async () => {
    const page = await (await as('quality-lead')).get(formPath);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Audit test reasoning');
    expect(page.html).toContain('Recognition of risk');
    expect(page.html).toContain('name="grade-child_voice"');
    expect(page.html).toContain('name="action-1-due-day"');
  });

  it('to complete, every area must be graded and evaluated: errors by the field, answers kept, nothing saved', async () => {
    const answers = { ...graded(), 'grade-risk_recognition': '', 'evaluation-feedback': '', 'evaluation-timeliness': 'Kept <b>as typed</b>', 'action-1-what': 'Re-read the threshold guidance', 'action-1-due-day': '31', 'action-1-due-month': '2', 'action-1-due-year': '2030' };
    const res = await (await as('quality-lead')).post(formPath, { version: '0', intent: 'check', ...answers });
    expect(res.status).toBe(400);
    expect(res.html).toContain('<a href="#grade-risk_recognition">Select a grade for recognition of risk</a>');
    expect(res.html).toContain('<a href="#evaluation-feedback">Enter your evaluation of quality of the feedback to the referrer</a>');
    expect(res.html).toContain('<a href="#action-1-who">Select who will do action 1</a>');
    expect(res.html).toContain('<a href="#action-1-due-day">The date action 1 is due must be a real date</a>');
    expect(res.html).toMatch(/id="grade-risk_recognition-error"/);
    expect(res.html).toContain('Kept &lt;b&gt;as typed&lt;/b&gt;');
    expect(res.html).toContain('Re-read the threshold guidance');
    expect(res.html).toMatch(/name="grade-child_voice" type="radio" value="meets_good" checked/);
    expect((await db().sql`select 1 from case_audits where concern_id = ${concernId} and sample_id = ${sampleId}`).length).toBe(0);
  });

  it('every save is a new version; a form older than the latest save is refused and not saved', async () => {
    const client = await as('quality-lead');
    const first = await client.post(formPath, { version: '0', intent: 'draft', 'grade-timeliness': 'exceeds_good', 'evaluation-timeliness': 'Decided in two hours.' });
    expect(first.status).toBe(303);
    expect(first.res.headers.get('location')).toBe(`${formPath}?saved=1`);
    const second = await client.post(formPath, { version: '1', intent: 'draft', ...graded(), 'grade-timeliness': 'exceeds_good' });
    expect(second.status).toBe(303);
    const stale = await client.post(formPath, { version: '1', intent: 'draft', 'evaluation-timeliness': 'From an old tab' });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('saved somewhere else');
    expect(stale.html).toContain('From an old tab');
    [{ id: auditId }] = await db().sql<[{ id: string }]>`select id from case_audits where sample_id = ${sampleId} and concern_id = ${concernId}`;
    const versions = await db().sql<Array<{ version: number; answers: { evaluations: Record<string, string> } }>>`select version, answers from case_audit_versions where audit_id = ${auditId} order by version`;
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]!.answers.evaluations.timeliness).toBe('Decided in two hours.');
    expect(versions[1]!.answers.evaluations.risk_recognition).toBe('Evaluation of risk_recognition.');
    // A draft's grades are in its versions only: the grades table (which the figures count) holds completed audits'.
    expect(await db().sql`select 1 from case_audit_grades where audit_id = ${auditId}`).toHaveLength(0);
    const page = await client.get(`${formPath}?saved=2`);
    expect(page.html).toContain('Draft saved (version 2)');
    expect(page.html).toContain('Evaluation of child_voice.');
  });

  it('completes through check answers (Change links) to a confirmation panel, and records the actions', async () => {
    const client = await as('quality-lead');
    const due = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10).split('-');
    const res = await client.post(formPath, {
      version: '2', intent: 'check', ...graded('does_not_meet_good'),
      'action-1-what': 'Talk the feedback through with the referrer', 'action-1-who': priyaId, 'action-1-due-day': due[2]!, 'action-1-due-month': due[1]!, 'action-1-due-year': due[0]!,
    });
    expect(res.status, res.html.slice(0, 2000)).toBe(303);
    expect(res.res.headers.get('location')).toBe(`${formPath}/check`);
    const check = await client.get(`${formPath}/check`);
    expect(check.status).toBe(200);
    expect(check.html).toContain(`href="${formPath}#grade-matching"`);
    expect(check.html).toContain('Priya Desai');
    const done = await client.post(`${formPath}/complete`, { version: hiddenField(check.html, 'version')! });
    expect(done.status).toBe(303);
    expect(done.res.headers.get('location')).toBe(`/case-audits/${auditId}?completed=1`);
    const panel = await client.get(`/case-audits/${auditId}?completed=1`);
    expect(panel.html).toContain('govuk-panel--confirmation');
    const [audit] = await db().sql`select status, version, audited_user_id is not null as audited from case_audits where id = ${auditId}`;
    expect(audit).toEqual({ status: 'completed', version: 4, audited: true });
    expect((await db().sql`select grade from case_audit_grades where audit_id = ${auditId}`).map((g) => g.grade)).toEqual(Array(6).fill('does_not_meet_good'));
    const actions = await db().sql`select assignee_user_id, status from case_audit_actions where audit_id = ${auditId}`;
    expect(actions).toEqual([{ assignee_user_id: priyaId, status: 'open' }]);
    // Completed: the form no longer takes answers.
    const after = await client.post(formPath, { version: '4', intent: 'draft', ...graded() });
    expect(after.status).toBe(303);
    expect(after.res.headers.get('location')).toBe(`/case-audits/${auditId}`);
    expect((await db().sql`select count(*)::int as n from case_audit_versions where audit_id = ${auditId}`)[0]!.n).toBe(4);
  });

  it('is read by the auditor, the worker audited and governance (each look recorded); anyone else gets the not-found page', async () => {
    for (const sub of ['quality-lead', 'front-door', 'info-governance']) {
      const page = await (await as(sub)).get(`/case-audits/${auditId}`);
      expect(page.status, sub).toBe(200);
      expect(page.html).toContain('Evaluation of child_voice.');
      expect(page.html).toContain('Talk the feedback through with the referrer');
    }
    // Governance sees the audit, not the concern's content (it may not read concerns).
    const governance = (await (await as('info-governance')).get(`/case-audits/${auditId}`)).html;
    const [{ reference }] = await db().sql<[{ reference: string }]>`select reference from concerns where id = ${concernId}`;
    expect(governance).not.toContain('Audit test reasoning');
    expect(governance).not.toContain(reference);
    expect((await (await as('front-door')).get(`/case-audits/${auditId}`)).html).toContain(reference);
    for (const sub of ['dsl-riverside', 'gp-canal-wharf', 'sw-priya-desai', 'tm-helen-whitaker', 'data-officer']) {
      const page = await (await as(sub)).get(`/case-audits/${auditId}`);
      expect(page.status, sub).toBe(404);
      // Exactly the page an audit that does not exist gets.
      expect(page.html).toBe((await (await as(sub)).get('/case-audits/00000000-0000-4000-8000-000000000000')).html);
    }
    const views = await db().sql<Array<{ role: string }>>`select role from case_audit_views where audit_id = ${auditId} order by id`;
    expect(views.map((v) => v.role)).toEqual(expect.arrayContaining(['council.quality_lead', 'council.front_door', 'council.information_governance']));
    expect(views.every((v) => ['council.quality_lead', 'council.front_door', 'council.information_governance'].includes(v.role))).toBe(true);
    // Older versions stay readable.
    expect((await (await as('front-door')).get(`/case-audits/${auditId}?version=1`)).html).toContain('Decided in two hours.');
  });

  it('reminds the person responsible once before the due date and once when overdue (auditor too), safe with several workers', async () => {
    const outbox = () => db().sql<Array<{ recipient: string; subject: string }>>`select recipient, subject from outbox where kind = 'case_audit_action' order by id`;
    const publicUrl = app.baseUrl;
    const [{ dueOn }] = await db().sql<[{ dueOn: string }]>`select to_char(due_on, 'YYYY-MM-DD') as "dueOn" from case_audit_actions where audit_id = ${auditId}`;
    const dayBefore = new Date(`${dueOn}T12:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
    const results = await Promise.all([1, 2, 3].map(() => remindActions(db().sql, { now: dayBefore, publicUrl })));
    expect(results.reduce((n, r) => n + r.dueSoon, 0)).toBe(1);
    await remindActions(db().sql, { now: dayBefore, publicUrl });
    expect((await outbox()).map((m) => m.subject)).toEqual(['An action from a case-file audit is due soon']);
    const late = new Date(`${dueOn}T12:00:00Z`);
    late.setUTCDate(late.getUTCDate() + 2);
    await Promise.all([1, 2].map(() => remindActions(db().sql, { now: late, publicUrl })));
    await remindActions(db().sql, { now: late, publicUrl });
    const sent = await outbox();
    expect(sent).toHaveLength(3);
    expect(sent.slice(1).every((m) => m.subject === 'An action from a case-file audit is overdue')).toBe(true);
    expect(new Set(sent.slice(1).map((m) => m.recipient)).size).toBe(2);
  });

  it('shows overdue actions on the auditor’s and the assignee’s home pages; the assignee marks it done with a note', async () => {
    await db().sql`update case_audit_actions set due_on = current_date - 3 where audit_id = ${auditId}`;
    for (const sub of ['quality-lead', 'sw-priya-desai']) {
      const home = await (await as(sub)).get('/');
      expect(home.html, sub).toContain('data-panel="audit-actions"');
      expect(home.html).toContain('Talk the feedback through with the referrer');
    }
    for (const sub of ['info-governance', 'front-door', 'tm-helen-whitaker']) {
      expect((await (await as(sub)).get('/')).html, sub).not.toContain('data-panel="audit-actions"');
    }
    const [{ id }] = await db().sql<[{ id: string }]>`select id from case_audit_actions where audit_id = ${auditId}`;
    // Only the person responsible may mark it done.
    const auditor = await as('quality-lead');
    expect((await auditor.get(`/case-audits/actions/${id}`)).html).not.toContain('Mark as done');
    expect((await (await as('front-door')).get(`/case-audits/actions/${id}`)).status).toBe(404);
    const priya = await as('sw-priya-desai');
    const empty = await priya.post(`/case-audits/actions/${id}`, { note: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('<a href="#note">Enter a note of what was done</a>');
    const done = await priya.post(`/case-audits/actions/${id}`, { note: 'Called the school on Monday.' });
    expect(done.status).toBe(303);
    expect((await priya.get(`/case-audits/actions/${id}`)).html).toContain('Called the school on Monday.');
    expect((await priya.get('/')).html).not.toContain('data-panel="audit-actions"');
    await auditor.post(`/case-audits/actions/${id}`, { note: 'Not mine to close' });
    expect((await db().sql`select done_note from case_audit_actions where id = ${id}`)[0]!.done_note).toBe('Called the school on Monday.');
  });
});

// The hand-written matrix (permission-matrix.md, "The case-audit matrix"), checked for every demo account.
const { header, rows } = readMarkdownTable(readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8'), '### The case-audit matrix', 'permission-matrix.md');
const COLUMNS = ['draw', 'audits', 'actions'] as const;

describe('the case-audit matrix', () => {
  it('has the expected columns and a row for every demo account', () => {
    expect(header).toEqual(['accounts', ...COLUMNS]);
    const named = rows.flatMap((r) => r.cells[0]!.split(',').map((s) => s.trim()));
    for (const { sub } of MATRIX_ACCOUNTS) expect(named, sub).toContain(sub);
  });

  it.each(MATRIX_ACCOUNTS)('$sub', async ({ sub }) => {
    const row = rows.find((r) => r.cells[0]!.split(',').map((s) => s.trim()).includes(sub))!;
    const expected = Object.fromEntries(COLUMNS.map((column, i) => [column, row.cells[i + 1] === '✓']));
    const client = await as(sub);
    const form = await client.get('/case-audits/samples/new');
    expect(form.status === 200, 'draw').toBe(expected.draw);
    const list = await client.get('/case-audits');
    expect(list.status === 200, 'list').toBe(expected.audits || expected.actions);
    expect(list.html.includes('data-testid="audits"') || list.html.includes('There are no audits for you to read'), 'audits').toBe(expected.audits);
    const nav = /<ul class="govuk-service-navigation__list">([\s\S]*?)<\/ul>/.exec(list.status === 200 ? list.html : (await client.get('/')).html)?.[1] ?? '';
    expect(nav.includes('href="/case-audits"'), 'navigation').toBe(expected.audits);
  });
});
