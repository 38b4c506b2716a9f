// The police notification as versioned data (issue 16, point 1, for Operation Encompass): a
// council's version 2 of forms/encompass, in a folder of its own, adds an optional question and
// rewords a check's message. The officer's form is asked and checked from the version in effect;
// notifications sent on both versions record their version and are each shown with their own
// version's questions (check answers, the school's view); the "what's changed" note is seen once
// per officer. Real PostgreSQL, the real app through app.request(), the demo accounts' sessions.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { claimFilings, filingSource } from '../src/access/index.ts';
import { submissionSections as documentSections } from '../src/documents/content.ts';
import { loadForms, parseFormFile, type FormCatalogue } from '../src/forms/load.ts';
import { currentVersion } from '../src/forms/versions.ts';
import { paths } from '../src/paths.ts';
import { DEMO_SCHOOLS, NORTHBRIDGE_COUNCIL } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
let forms: FormCatalogue;
let dir: string;
const as = demoClients(() => app);
const riverside = DEMO_SCHOOLS[0]!;
const ADDED = 'Were weapons used or threatened? (optional)';
const REWORDED = 'Write down what happened, as facts';

/** Version 2: an optional question after the account, and the account's message reworded, in effect since 2 January 2026. */
function writeVersion2(folder: string) {
  const v1 = parse(readFileSync(path.join(paths.forms, 'encompass', '1.yaml'), 'utf8'));
  const v2 = structuredClone(v1);
  v2.version = 2;
  v2.effective_from = '2026-01-02';
  v2.changes = { summary: 'A question about weapons; the account’s message is reworded.', details: 'Agreed with the force on 2 December 2026.' };
  const incident = v2.pages[0].sections[0].questions;
  incident.find((q: { name: string }) => q.name === 'account').required_message = REWORDED;
  incident.push({ name: 'weapons', component: 'textarea', label: ADDED, summary_label: 'Weapons', optional: true, max_length: 500, field: 'account', display: { rows: 2 } });
  writeFileSync(path.join(folder, 'encompass', '2.yaml'), stringify(v2));
}

const answers = (key: string, formVersion: string, extra: Record<string, string> = {}) => ({
  idempotencyKey: key, formVersion, policeReference: `NB-V${formVersion}-0001`, 'incident-day': '1', 'incident-month': '12', 'incident-year': '2026',
  incidentTime: '21:40', account: `Account on version ${formVersion}.`, contactName: 'DC Sam Reid', contactPhone: '01632 960 777', contactEmail: '',
  childCount: '1', 'child-1-forename': 'Ada', 'child-1-surname': 'Versionby', 'child-1-dob-day': '4', 'child-1-dob-month': '5', 'child-1-dob-year': '2014',
  'child-1-postcode': 'NB1 4XY', 'child-1-present': 'yes', 'child-1-spokenTo': 'no', ...extra,
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'forms-encompass-v2-'));
  cpSync(paths.forms, dir, { recursive: true });
  writeVersion2(dir);
  forms = loadForms(dir);
  await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql, { forms });
  // A child on Riverside's roll, found by the exact match (surname, date of birth, postcode).
  const [child] = await db().sql<{ id: string }[]>`
    insert into children (local_authority_id, forename, surname, date_of_birth, gender, address, postcode)
    values (${NORTHBRIDGE_COUNCIL.id}, 'Ada', 'Versionby', '2014-05-04', 'not_known', '1 Canal Row', 'NB1 4XY') returning id`;
  await db().sql`insert into child_organisation_relationships (child_id, organisation_id, kind, start_date) values (${child!.id}, ${riverside.id}, 'enrolled', '2024-09-01')`;
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the officer’s form follows forms/encompass', () => {
  it('version 2 is in effect: the form asks its added question and carries its version; version 1 reproduces today’s questions', async () => {
    expect(currentVersion(forms, 'encompass').version).toBe(2);
    const page = await (await as('police-ppu')).get('/encompass/new');
    expect(page.status).toBe(200);
    expect(hiddenField(page.html, 'formVersion')).toBe('2');
    // The officer's first use of the form on version 2: its note, with a link to the full note.
    expect(page.html).toContain('data-testid="change-note"');
    expect(page.html).toContain('A question about weapons');
    expect(page.html).toContain('href="/forms/encompass#version-2"');
    expect(page.html).toContain(ADDED);
    expect(page.html).toContain('name="weapons"');
    for (const label of ['Police reference', 'Date of the incident', 'Time of the incident', 'A short factual account', 'Whom the school should contact', 'Email address (optional)']) {
      expect(page.html).toContain(label);
    }
  });

  it('checks with the messages of the version the answers were given on', async () => {
    const officer = await as('police-ppu');
    const v2 = await officer.post('/encompass/check', answers(randomUUID(), '2', { account: '', weapons: 'x'.repeat(501) }));
    expect(v2.status).toBe(400);
    expect(v2.html).toContain(REWORDED);
    expect(v2.html).toContain('href="#weapons"');
    const v1 = await officer.post('/encompass/check', answers(randomUUID(), '1', { account: '' }));
    expect(v1.status).toBe(400);
    expect(v1.html).toContain('Enter a short factual account of the incident');
    expect(v1.html).not.toContain(REWORDED);
    expect(v1.html).not.toContain(ADDED);
  });
});

describe('what the file cannot change', () => {
  it('a question added to the section asked for each child stops the start: the portal repeats and checks those itself', () => {
    const v1 = parse(readFileSync(path.join(paths.forms, 'encompass', '1.yaml'), 'utf8'));
    v1.pages[0].sections[1].questions.push({ name: 'school', component: 'input', label: 'School (if known)', optional: true, max_length: 200, field: 'children', column: 'school' });
    expect(() => parseFormFile(stringify(v1), 'encompass/1.yaml')).toThrow(/at pages\.0\.sections\.1\.questions\.10\.name \(line \d+\): school is not a question the portal asks for each child/);
  });
});

describe('notifications sent on both versions', () => {
  it('record their version and are each shown with their own version’s questions', async () => {
    const officer = await as('police-ppu');
    // Check answers on version 2 shows the added question's answer under its summary label.
    const check = await officer.post('/encompass/check', answers(randomUUID(), '2', { weapons: 'A kitchen knife was shown' }));
    expect(check.status).toBe(200);
    expect(check.html).toMatch(/Weapons<\/dt>\s*<dd class="govuk-summary-list__value[^"]*">\s*A kitchen knife was shown/);
    expect(hiddenField(check.html, 'formVersion')).toBe('2');

    const first = await officer.post('/encompass', answers(randomUUID(), '1', { weapons: 'Not part of version 1' }));
    const second = await officer.post('/encompass', answers(randomUUID(), '2', { weapons: 'A kitchen knife was shown' }));
    expect([first.status, second.status]).toEqual([303, 303]);
    const [v1, v2] = await Promise.all([first, second].map(async ({ res }) => {
      const reference = res.headers.get('location')!.replace('/encompass/sent/', '');
      return (await db().sql`
        select i.form_version, i.extra_answers, n.id from encompass_incidents i join encompass_notifications n on n.incident_id = i.id
        where i.reference = ${reference}`)[0]!;
    }));
    expect([v1!.form_version, v1!.extra_answers]).toEqual([1, {}]);
    expect([v2!.form_version, v2!.extra_answers]).toEqual([2, { weapons: 'A kitchen knife was shown' }]);

    // The school's view of each.
    const dsl = await as('dsl-riverside');
    const page1 = await dsl.get(`/encompass/inbox/${v1!.id}`);
    const page2 = await dsl.get(`/encompass/inbox/${v2!.id}`);
    expect([page1.status, page2.status]).toEqual([200, 200]);
    expect(page1.html).toContain('Account on version 1.');
    expect(page1.html).not.toContain('Weapons');
    expect(page1.html).not.toContain('Not part of version 1');
    expect(page2.html).toContain('Account on version 2.');
    expect(page2.html).toContain('Weapons');
    expect(page2.html).toContain('A kitchen knife was shown');
    expect(page2.html).toMatch(/data-testid="police-contact"[\s\S]*01632 960 777/);

    // Acknowledged, each is filed with its own version's questions: the added answer in version 2's only.
    for (const { id } of [v1!, v2!]) expect((await dsl.post(`/encompass/inbox/${id}/acknowledge`, { action: 'key_adult_informed' })).status).toBe(303);
    const filings = await claimFilings(db().sql, { limit: 100, leaseSeconds: 60, maxAttempts: 12 });
    const rowsOf = async (id: string) => {
      const source = (await filingSource(db().sql, filings.find((f) => f.sourceId === id)!))!;
      return documentSections(source, 'acknowledged', forms).flatMap((section) => section.rows.map((r) => [r.label, r.value]));
    };
    expect(await rowsOf(v1!.id)).not.toContainEqual(expect.arrayContaining(['Weapons']));
    expect(await rowsOf(v2!.id)).toContainEqual(['Weapons', 'A kitchen knife was shown']);
  });
});

describe('the change note', () => {
  it('is shown once to each officer, on first use of the form after the change, with a link to the full note', async () => {
    // police-ppu opened the form above (its first use on version 2): the note was shown then, and not again.
    const again = await (await as('police-ppu')).get('/encompass/new');
    expect(again.html).not.toContain('data-testid="change-note"');
    const [seen] = await db().sql`select count(*)::int as n from form_notes_seen n join users u on u.id = n.user_id where u.subject = 'police-ppu' and n.form = 'encompass' and n.version = 2`;
    expect(seen!.n).toBe(1);
  });
});
