// Forms as versioned data (issue 16, points 1 to 3): the form files are checked at start-up like
// the policies; every question's field is covered by the permission matrix and every category
// has a real CIN census code; a council's version 2 (an added optional question, a retired
// category), in a folder of its own, with concerns sent on both versions each shown with its own
// version's questions; drafts finish on the version they were started on; the "what's changed"
// note is seen once per user; the forms pages are the policy's. Real PostgreSQL, the real app
// through app.request(), the demo accounts' sessions.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { roleNames, type Role } from '../src/auth/roles.ts';
import { cinCensusCodes } from '../src/forms/cin-codes.ts';
import { eachQuestion, FormError, loadForms, parseFormFile, type FormCatalogue } from '../src/forms/load.ts';
import { formFileSchema } from '../src/forms/schema.ts';
import { submissionSections } from '../src/forms/sections.ts';
import { currentVersion, formVersion } from '../src/forms/versions.ts';
import { paths } from '../src/paths.ts';
import { loadPolicies } from '../src/policy/load.ts';
import { todayInEngland } from '../src/validation/dates.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { goodAnswers, openConcernForm, postForm } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { readMarkdownTable } from './support/markdown-table.ts';
import { MATRIX_ACCOUNTS, trainedClaim } from './support/matrix-accounts.ts';

const portal = loadForms(paths.forms);
const matrixMarkdown = readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8');

describe('the form files', () => {
  it('every version of every form loads and passes its checks; version 1 of each is in use today', () => {
    for (const id of ['concern', 'decision', 'encompass'] as const) {
      expect(formVersion(portal, id, 1)?.file).toBe(`${id}/1.yaml`);
      expect(currentVersion(portal, id).version).toBeGreaterThanOrEqual(1);
    }
  });

  it('every category of every version maps to a real CIN census code', () => {
    const categories = [...portal.forms.values()].flat().flatMap((version) => version.categories ?? []);
    expect(categories.length).toBeGreaterThan(0);
    for (const category of categories) expect(Object.keys(cinCensusCodes), `${category.value}: ${category.cin_code}`).toContain(category.cin_code);
  });

  it('a bad form file stops the start, naming the file, the place and the line', () => {
    const good = readFileSync(path.join(paths.forms, 'concern', '1.yaml'), 'utf8');
    // A category with a code that is not in the census.
    const badCode = good.replace('cin_code: NEG', 'cin_code: NEGLECT');
    expect(() => parseFormFile(badCode, 'concern/1.yaml')).toThrow(FormError);
    expect(() => parseFormFile(badCode, 'concern/1.yaml')).toThrow(/Invalid form file concern\/1\.yaml:\n {2}at categories\.0\.cin_code \(line \d+\): NEGLECT is not a CIN census code/);
    // A component the portal does not have, reported at its line.
    const lines = good.split('\n');
    const at = lines.findIndex((line) => line.includes('component: textarea')) + 1;
    const badComponent = good.replace('component: textarea', 'component: rich-text');
    expect(() => parseFormFile(badComponent, 'concern/1.yaml')).toThrow(new RegExp(`at pages\\.0\\.sections\\.1\\.questions\\.1\\.component \\(line ${at}\\)`));
    // A question stored under a field the policy does not have.
    expect(() => parseFormFile(good.replace('field: referrer\n', 'field: gossip\n'), 'concern/1.yaml')).toThrow(/gossip is not a policy field of a concern/);
    // An added question that is required (submissions made before it could not have answered it).
    const required = stringify({ ...parse(good), version: 2 }).replace('    sections:\n', '    sections:\n      - heading: Extra\n        questions:\n          - { name: pets, component: input, label: Pets, required_message: Say, field: submission }\n');
    expect(() => parseFormFile(required, 'concern/2.yaml')).toThrow(/an added question must be optional/);
    // A folder where a version is missing.
    const dir = mkdtempSync(path.join(tmpdir(), 'forms-'));
    try {
      cpSync(paths.forms, dir, { recursive: true });
      writeFileSync(path.join(dir, 'concern', '3.yaml'), stringify({ ...parse(good), version: 3 }));
      expect(() => loadForms(dir)).toThrow(/Form concern: version 2 is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forms/form.schema.json is up to date (npm run forms:schema)', () => {
    const written = JSON.parse(readFileSync(path.join(paths.forms, 'form.schema.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(formFileSchema))));
  });
});

describe('every form field is covered by the permission matrix', () => {
  const { header, rows } = readMarkdownTable(matrixMarkdown, '### The form fields', 'permission-matrix.md');
  const table = new Map(rows.map(({ cells }) => [cells[0]!, { forms: cells[1]!.split(',').map((f) => f.trim()), roles: cells[2]!.split(',').map((r) => r.trim()).filter(Boolean) }]));
  const subjectOf = { concern: 'Concern', decision: 'Concern', encompass: 'EncompassNotification' } as const;

  it('has the columns field, form, read by', () => expect(header).toEqual(['field', 'form', 'read by']));

  it('every question of every version names a field in the table, for its form', () => {
    for (const versions of portal.forms.values()) {
      for (const version of versions) {
        for (const { question } of eachQuestion(version)) {
          const field = `${subjectOf[version.form]}.${question.field}`;
          expect(table.get(field)?.forms, `${version.file}: ${question.name} (${field})`).toContain(version.form);
        }
      }
    }
  });

  it('the roles of each field are exactly those the policies let read it', async () => {
    const policies = await loadPolicies(paths.policies);
    for (const [name, row] of table) {
      const [subject, field] = name.split('.') as [string, string];
      const readers = roleNames.filter((role) => (policies.get(role) ?? [])
        .some((rule) => rule.action === 'read' && rule.subject === subject && !rule.inverted && (!rule.fields || (rule.fields as string[]).includes(field))));
      for (const role of row.roles) expect(roleNames, name).toContain(role as Role);
      expect([...row.roles].sort(), name).toEqual([...readers].sort());
    }
  });
});

// ---- A council's version 2, in a folder of its own ----

const db = useTestDatabase();
let app: InProcessApp;
let forms: FormCatalogue;
let dir: string;
const as = demoClients(() => app);
const ADDED = 'How has the child been attending school? (optional)';

/** Version 2: the same form with an added optional question and "Missing" retired, in effect since yesterday. */
function writeVersion2(folder: string) {
  const v1 = parse(readFileSync(path.join(paths.forms, 'concern', '1.yaml'), 'utf8'));
  const v2 = structuredClone(v1);
  v2.version = 2;
  v2.effective_from = '2026-01-02';
  v2.changes = { summary: 'A question about school attendance; “Missing” is now reported as “Other”.', details: 'Agreed at the user group.' };
  v2.categories = v1.categories.filter((category: { value: string }) => category.value !== 'missing');
  const concern = v2.pages[0].sections[1].questions;
  concern.splice(concern.findIndex((q: { name: string }) => q.name === 'actionsTaken') + 1, 0, {
    name: 'attendance', component: 'textarea', label: ADDED, summary_label: 'School attendance', optional: true, max_length: 500,
    field: 'submission', empty_text: 'Not asked', display: { rows: 3 },
  });
  writeFileSync(path.join(folder, 'concern', '2.yaml'), stringify(v2));
  // And the decision form: the reason's hint reworded.
  const d1 = parse(readFileSync(path.join(paths.forms, 'decision', '1.yaml'), 'utf8'));
  const d2 = { ...structuredClone(d1), version: 2, effective_from: '2026-01-02', changes: { summary: 'The reason now says what the child’s chronology will show.' } };
  d2.pages[0].sections[0].questions.find((q: { name: string }) => q.name === 'reason').hint = 'Written into the child’s chronology as it is.';
  writeFileSync(path.join(folder, 'decision', '2.yaml'), stringify(d2));
}

/** Sends a concern on a version of the form: the form's own hidden fields, the answers given. */
async function send(sub: string, fields: Record<string, string>) {
  const client = await as(sub);
  const form = await openConcernForm(client, app);
  const res = await postForm(client, app, '/concerns', { csrf_token: form.token, idempotencyKey: randomUUID(), childId: '', childSurname: 'Versioned', ...goodAnswers, ...fields });
  return { res, html: await res.text() };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'forms-v2-'));
  cpSync(paths.forms, dir, { recursive: true });
  writeVersion2(dir);
  forms = loadForms(dir);
  await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql, { forms });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a form change: an added question and a retired category', () => {
  it('a new form is version 2: it asks the added question and no longer offers the retired kind', async () => {
    const form = await openConcernForm(await as('gp-canal-wharf'), app);
    expect(hiddenField(form.html, 'formVersion')).toBe('2');
    expect(form.html).toContain(ADDED);
    expect(form.html).toContain('name="attendance"');
    expect(form.html).not.toMatch(/name="categories" type="checkbox" value="missing"/);
    expect(form.html).toMatch(/name="categories" type="checkbox" value="neglect"/);
  });

  it('version 2 refuses the retired kind with a message by the field, keeping what was typed', async () => {
    const { res, html } = await send('gp-canal-wharf', { formVersion: '2', categories: 'missing', category: 'missing', whatHappened: 'Kept as typed' });
    expect(res.status).toBe(400);
    expect(html).toContain('Select the kind of concern');
    expect(html).toContain('Kept as typed');
  });

  it('concerns sent on both versions are each shown with their own version’s questions', async () => {
    const first = await send('dsl-riverside', { formVersion: '1', categories: 'missing', category: 'missing', attendance: 'Not part of version 1' });
    const second = await send('dsl-riverside', { formVersion: '2', categories: 'neglect', category: 'neglect', attendance: 'Late most days since September' });
    expect([first.res.status, second.res.status]).toEqual([303, 303]);
    const [v1, v2] = await Promise.all([first, second].map(async ({ res }) => {
      const reference = res.headers.get('location')!.replace('/concerns/', '').replace('?sent=1', '');
      return (await db().sql`select id, reference, form_version, extra_answers, category from concerns where reference = ${reference}`)[0]!;
    }));
    expect([v1!.form_version, v1!.extra_answers, v1!.category]).toEqual([1, {}, 'missing']);
    expect([v2!.form_version, v2!.extra_answers]).toEqual([2, { attendance: 'Late most days since September' }]);

    // The partner's receipt.
    const client = await as('dsl-riverside');
    const receipt1 = await (await client.request(`${app.baseUrl}/concerns/${v1!.reference}`)).text();
    const receipt2 = await (await client.request(`${app.baseUrl}/concerns/${v2!.reference}`)).text();
    expect(receipt1).toContain('Missing from home, care or education');
    expect(receipt1).not.toContain('School attendance');
    expect(receipt1).not.toContain('Not part of version 1');
    expect(receipt2).toContain('School attendance');
    expect(receipt2).toContain('Late most days since September');

    // The front door's page.
    const frontDoor = await as('front-door');
    const page1 = await (await frontDoor.request(`${app.baseUrl}/front-door/${v1!.id}`)).text();
    const page2 = await (await frontDoor.request(`${app.baseUrl}/front-door/${v2!.id}`)).text();
    expect(page1).toContain('Missing from home, care or education');
    expect(page1).not.toContain('School attendance');
    expect(page2).toContain('School attendance');
    expect(page2).toContain('Late most days since September');
    // The decision form's version 2: its wording, and its note the first time only.
    expect(page1).toContain('data-testid="change-note"');
    expect(page1).toContain('href="/forms/decision#version-2"');
    expect(page2).not.toContain('data-testid="change-note"');
    expect(page2).toContain('Written into the child’s chronology as it is.');

    // Another organisation sees neither (the added answer is protected like the rest).
    const other = await as('gp-canal-wharf');
    const refused = await other.request(`${app.baseUrl}/concerns/${v2!.reference}`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain('Late most days');

    // The same sections for a filed document, from the stored row.
    const sections = submissionSections(formVersion(forms, 'concern', 2)!, { category: 'neglect', otherCategories: [], whatHappened: 'x', extraAnswers: { attendance: 'Late' } });
    expect(sections.flatMap((s) => s.rows).map((r) => [r.label, r.value])).toEqual([['Kind of concern', 'Neglect'], ['What happened', 'x'], ['School attendance', 'Late']]);
    // A decision's child is named by the caller, never shown as a record's id.
    const decision = { childId: '9b1f0000-0000-4000-8000-000000000000', decision: 'early_help', decisionReason: 'Why', feedback: 'Thanks' };
    const rows = (options = {}) => submissionSections(formVersion(forms, 'decision', 1)!, decision, options).flatMap((s) => s.rows).map((r) => [r.label, r.value]);
    expect(rows()).toEqual([['Child', 'A child’s record'], ['Decision', 'Early help'], ['Reason for the decision', 'Why'], ['Feedback', 'Thanks']]);
    expect(rows({ matchLabel: () => 'Ann Lee' })[0]).toEqual(['Child', 'Ann Lee']);
  });

  it('check answers shows the added question with a Change link, and carries its answer to the send', async () => {
    const client = await as('ed-clinician');
    const form = await openConcernForm(client, app);
    const check = await postForm(client, app, '/concerns/check', {
      csrf_token: form.token, idempotencyKey: form.key, childId: '', childSurname: 'Checked', ...goodAnswers, formVersion: '2', attendance: 'Absent on Mondays',
    });
    const html = await check.text();
    expect(check.status).toBe(200);
    expect(html).toContain('School attendance');
    expect(html).toContain('href="/concerns/new#attendance"');
    expect(hiddenField(html, 'attendance')).toBe('Absent on Mondays');
    expect(hiddenField(html, 'formVersion')).toBe('2');
    // Sent from the check page's own fields.
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"')]));
    const sent = await postForm(client, app, '/concerns', fields);
    expect(sent.status).toBe(303);
    const [row] = await db().sql`select form_version, extra_answers from concerns where idempotency_key = ${form.key}`;
    expect(row).toEqual({ form_version: 2, extra_answers: { attendance: 'Absent on Mondays' } });
  });

  it('the decision records the decision form’s version', async () => {
    const { res } = await send('gp-canal-wharf', { formVersion: '2', categories: 'neglect', category: 'neglect' });
    const reference = res.headers.get('location')!.replace('/concerns/', '').replace('?sent=1', '');
    const [concern] = await db().sql`select id from concerns where reference = ${reference}`;
    const frontDoor = await as('front-door');
    const page = await (await frontDoor.request(`${app.baseUrl}/front-door/${concern!.id}`)).text();
    const decided = await postForm(frontDoor, app, `/front-door/${concern!.id}/decision`, {
      csrf_token: hiddenField(page, 'csrf_token')!, match: 'unmatched', decision: 'advice_given', reason: 'Advice to the GP', feedback: 'Thank you', seenVersion: hiddenField(page, 'seenVersion') ?? '',
    });
    expect(decided.status).toBe(303);
    const [row] = await db().sql`select status, decision_form_version from concerns where id = ${concern!.id}`;
    expect(row).toEqual({ status: 'decided', decision_form_version: 2 });
  });

  it('a draft started on version 1 finishes on it', async () => {
    const client = await as('police-ppu');
    const form = await openConcernForm(client, app);
    // Continue on a version 1 form (a draft saved before version 2 took effect).
    await postForm(client, app, '/concerns/new', { csrf_token: form.token, idempotencyKey: randomUUID(), formVersion: '1', childSurname: 'Drafted', categories: 'missing' });
    const [draft] = await db().sql`select form_version from concern_drafts d join users u on u.id = d.user_id where u.subject = 'police-ppu'`;
    expect(draft!.form_version).toBe(1);
    const again = await openConcernForm(client, app);
    expect(hiddenField(again.html, 'formVersion')).toBe('1');
    expect(again.html).toMatch(/name="categories" type="checkbox" value="missing" checked/);
    expect(again.html).not.toContain(ADDED);
  });
});

describe('the change note', () => {
  it('is shown once to each user, on first use of the form after the change, with a link to the full note', async () => {
    const first = await openConcernForm(await as('health-visitor'), app);
    expect(first.html).toContain('data-testid="change-note"');
    expect(first.html).toContain('A question about school attendance');
    expect(first.html).toContain('href="/forms/concern#version-2"');
    const second = await openConcernForm(await as('health-visitor'), app);
    expect(second.html).not.toContain('data-testid="change-note"');
    // Someone else sees it once too.
    expect((await openConcernForm(await as('school-nurse'), app)).html).toContain('data-testid="change-note"');
    const seen = await db().sql`select u.subject from form_notes_seen n join users u on u.id = n.user_id where n.form = 'concern' and n.version = 2 order by u.subject`;
    expect(seen.map((r) => r.subject)).toEqual(expect.arrayContaining(['health-visitor', 'school-nurse']));
  });

  it('the versions page lists every version with its note and date, a scheduled one as scheduled', async () => {
    const page = await (await (await as('health-visitor')).request(`${app.baseUrl}/forms/concern`)).text();
    expect(page).toContain('id="version-2"');
    expect(page).toContain('id="version-1"');
    expect(page).toContain('Agreed at the user group.');
    expect(page).toContain('Took effect on 2 January 2026');
    expect(page.indexOf('version-2')).toBeLessThan(page.indexOf('version-1'));
  });

  it('a version scheduled ahead is not used until its day', () => {
    const v3 = { ...formVersion(forms, 'concern', 2)!, version: 3, effective_from: '2999-01-01' };
    const scheduled: FormCatalogue = { forms: new Map([...forms.forms, ['concern', [...forms.forms.get('concern')!, v3]]]) };
    expect(currentVersion(scheduled, 'concern').version).toBe(2);
    expect(currentVersion(scheduled, 'concern', new Date('2999-01-01T12:00:00Z')).version).toBe(3);
    expect(todayInEngland() < v3.effective_from).toBe(true);
  });
});

// ---- The forms pages, for every demo account (permission-matrix.md, "The forms page matrix") ----

const COLUMNS = ['forms', 'concern', 'decision', 'encompass'] as const;
const pages = (() => {
  const { header, rows } = readMarkdownTable(matrixMarkdown, '### The forms page matrix', 'permission-matrix.md');
  if (header.join(',') !== ['role', 'training', ...COLUMNS].join(',')) throw new Error('the forms pages matrix must start with role, training');
  return rows.map(({ cells }) => ({ roles: cells[0]!.split(',').map((r) => r.trim()), trained: cells[1] === 'complete', allowed: Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i + 2] === '✓'])) }));
})();

describe.each(MATRIX_ACCOUNTS)('forms pages: $sub ($role)', ({ sub, role }) => {
  it('as the matrix says', async () => {
    const row = pages.find((r) => r.roles.includes(role) && r.trained === trainedClaim(sub));
    expect(row, `a row for ${role}`).toBeDefined();
    const client = await as(sub);
    const index = await client.request(`${app.baseUrl}/forms`);
    const html = await index.text();
    expect(index.status).toBe(row!.allowed.forms ? 200 : 404);
    for (const form of ['concern', 'decision', 'encompass'] as const) {
      const res = await client.request(`${app.baseUrl}/forms/${form}`);
      expect(res.status, `/forms/${form}`).toBe(row!.allowed[form] ? 200 : 404);
      expect(html.includes(`href="/forms/${form}"`), `listed: ${form}`).toBe(row!.allowed[form]);
    }
  });
});
