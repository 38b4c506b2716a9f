// Limited views through the real app (in process, hono's app.request(); sessions from
// test/support/demo-session.ts): lists, summaries, lookups, the access log and "viewed by".
// (Field-by-field visibility for every role is in permission-matrix.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const get = async (sub: string, path: string, headers: Record<string, string> = {}) => {
  const res = await (await as(sub)).request(`${app.baseUrl}${path}`, { headers });
  return { res, html: await res.text() };
};

let riversidePupil: { id: string; forename: string; surname: string; worker_email: string };
let otherPupil: { id: string };
let cpChild: { id: string; nhs_number: string; forename: string; worker_id: string; address: string | null };

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 300, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  const sql = db().sql;
  const openAt = (school: string) => sql`
    select c.id, c.forename, c.surname, w.email as worker_email from children c
    join child_organisation_relationships r on r.child_id = c.id and r.end_date is null and r.kind = 'enrolled'
    join allocations a on a.child_id = c.id and a.end_date is null
    join social_workers w on w.id = a.social_worker_id
    where r.organisation_id = ${school} and not c.sealed
      and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
    -- prefer a pupil whose social worker has a demo account
    order by w.email in ('priya.desai@northbridge.example', 'kofi.asante@northbridge.example') desc, c.surname limit 1`;
  riversidePupil = (await openAt(DEMO_SCHOOLS[0]!.id))[0] as never;
  otherPupil = (await openAt(DEMO_SCHOOLS[6]!.id))[0] as never;
  cpChild = (await sql`
    select c.id, c.nhs_number, c.forename, a.social_worker_id as worker_id, c.address from children c
    join involvements i on i.child_id = c.id and i.end_date is null and i.kind = 'child_protection'
    join allocations a on a.child_id = c.id and a.end_date is null
    where not c.sealed and c.nhs_number is not null and not c.address_withheld
    order by c.surname limit 1`)[0] as never;
});
afterAll(() => app?.close());

describe('a DSL', () => {
  it('lists their pupils known to social care, and only those', async () => {
    const { res, html } = await get('dsl-riverside', '/children');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain(`/children/${riversidePupil.id}`);
    expect(html).not.toContain(`/children/${otherPupil.id}`);
    const [expected] = await db().sql`
      select count(*)::int as n from children c
      where not c.sealed
        and exists (select 1 from involvements i where i.child_id = c.id and i.end_date is null)
        and exists (select 1 from child_organisation_relationships r where r.child_id = c.id and r.end_date is null
                    and r.kind = 'enrolled' and r.organisation_id = ${DEMO_SCHOOLS[0]!.id})`;
    expect(html).toContain(`data-testid="result-count">${expected!.n} `);
  });

  it('searches by name with htmx, getting the results partial only', async () => {
    const { res, html } = await get('dsl-riverside', `/children?name=${encodeURIComponent(riversidePupil.surname)}`, { 'HX-Request': 'true', 'HX-Target': 'children-results' });
    expect(res.status).toBe(200);
    expect(html).not.toContain('<html');
    expect(html).toContain(`/children/${riversidePupil.id}`);
  });

  it('copes with nonsense in the query without an error', async () => {
    for (const query of ['?page=-3', '?page=abc', '?status=<script>', `?name=${'x'.repeat(5000)}`, '?name=%27%3B%20drop%20table%20children%3B--']) {
      const { res, html } = await get('dsl-riverside', `/children${query}`);
      expect(res.status, query).toBe(200);
      expect(html).not.toContain('<script>');
    }
  });

  it('opens a pupil’s summary, which is logged and not cached', async () => {
    const { res, html } = await get('dsl-riverside', `/children/${riversidePupil.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain(riversidePupil.forename);
    expect(html).toContain('data-field="upn"');
    expect(html).not.toContain('data-field="nhsNumber"');
    expect(html).not.toContain('data-field="address"');
    const [logged] = await db().sql`select * from access_log where child_id = ${riversidePupil.id} and action = 'view_summary' order by id desc limit 1`;
    expect(logged).toMatchObject({ subject: 'dsl-riverside', role: 'education.dsl', organisation_id: DEMO_SCHOOLS[0]!.id });
    expect(logged!.fields_released).toEqual(expect.arrayContaining(['forename', 'upn', 'legalStatus']));
    expect(logged!.fields_released).not.toContain('nhsNumber');
  });

  it('gets the same 404 for another school’s pupil as for a child who does not exist', async () => {
    const notPermitted = await get('dsl-riverside', `/children/${otherPupil.id}`);
    const missing = await get('dsl-riverside', '/children/00000000-0000-4000-8000-000000000000');
    const malformed = await get('dsl-riverside', '/children/not-an-id');
    expect(notPermitted.res.status).toBe(404);
    expect(missing.res.status).toBe(404);
    expect(malformed.res.status).toBe(404);
    expect(notPermitted.html).toBe(missing.html);
    expect(notPermitted.html).toBe(malformed.html);
    expect(notPermitted.html).not.toContain(otherPupil.id);
  });

  it('cannot use the lookup', async () => {
    expect((await get('dsl-riverside', '/lookup')).res.status).toBe(404);
  });
});

describe('an emergency department clinician', () => {
  async function lookUp(sub: string, fields: Record<string, string>) {
    const client = await as(sub);
    const form = await client.request(`${app.baseUrl}/lookup`);
    const token = hiddenField(await form.text(), 'csrf_token')!;
    const result = await client.submit(new URL(`${app.baseUrl}/lookup`), '/lookup', { csrf_token: token, ...fields });
    return { res: result.response, html: await result.response.text() };
  }

  it('has no list', async () => {
    expect((await get('ed-clinician', '/children')).res.status).toBe(404);
    expect((await get('ed-clinician', `/children/${cpChild.id}`)).res.status).toBe(404);
  });

  it('looks a child up by NHS number with a reason and sees the CP-IS set only; the social worker is told', async () => {
    const { res, html } = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: cpChild.nhs_number, reason: 'Child attending the emergency department' });
    expect(res.status).toBe(200);
    expect(html).toContain('Child protection plan');
    expect(html).toContain('data-field="cpisStartDate"');
    expect(html).toContain('data-field="dutyPhone"');
    expect(html).not.toContain(cpChild.forename);
    expect(html).not.toContain('data-field="workerName"');
    expect(html).not.toContain('data-field="cpCategory"');
    const [logged] = await db().sql`select * from access_log where child_id = ${cpChild.id} and action = 'lookup' order by id desc limit 1`;
    expect(logged).toMatchObject({ role: 'health.emergency_department', reason: 'Child attending the emergency department' });
    expect([...logged!.fields_released].sort()).toEqual(['councilName', 'cpisStartDate', 'cpisStatus', 'dutyPhone', 'outOfHoursPhone']);
    const notes = await db().sql`select * from social_worker_notifications where child_id = ${cpChild.id} and social_worker_id = ${cpChild.worker_id}`;
    expect(notes.length).toBeGreaterThan(0);
  });

  it('gets clear messages for bad input, keeping what was typed, and never a 500', async () => {
    const { res, html } = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: '943 476 5918', reason: '' });
    expect(res.status).toBe(400);
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('Enter a valid NHS number');
    expect(html).toContain('Select why you are looking this child up');
    expect(html).toContain('value="943 476 5918"');
    const details = await lookUp('ed-clinician', { method: 'details', surname: '<b>Smith</b>', 'dob-day': '31', 'dob-month': '2', 'dob-year': '2015', postcode: 'nonsense', reason: 'Missing child enquiry' });
    expect(details.res.status).toBe(400);
    expect(details.html).toContain('The child’s date of birth must be a real date');
    expect(details.html).toContain('Enter a real postcode');
    expect(details.html).toContain('value="&lt;b&gt;Smith&lt;/b&gt;"');
    expect((await lookUp('ed-clinician', {})).res.status).toBe(400);
  });

  it('gets the same “no record” page for an unknown child, and the lookup is still logged', async () => {
    const before = await db().sql`select count(*)::int as n from access_log where action = 'lookup' and child_id is null`;
    const { res, html } = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: '9434765919', reason: 'Child admitted to hospital' });
    expect(res.status).toBe(200);
    expect(html).toContain('data-testid="no-record"');
    const after = await db().sql`select count(*)::int as n from access_log where action = 'lookup' and child_id is null`;
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });

  it('police see the CP category and, where not withheld, the address', async () => {
    const { html } = await lookUp('police-ppu', { method: 'nhs', nhsNumber: cpChild.nhs_number, reason: 'Domestic abuse incident where a child is present' });
    expect(html).toContain('data-field="cpCategory"');
    expect(html).toContain('data-field="workerName"');
    expect(html).toContain(cpChild.forename);
    if (cpChild.address) expect(html).toContain('data-field="address"');
  });
});

describe('the child’s social worker', () => {
  it('sees the full record, and who has viewed it', async () => {
    // The DSL above viewed riversidePupil; find the demo account of that pupil's worker.
    const account = { 'priya.desai@northbridge.example': 'sw-priya-desai', 'kofi.asante@northbridge.example': 'sw-kofi-asante' }[riversidePupil.worker_email];
    const [view] = await db().sql`select id from access_log where child_id = ${riversidePupil.id} limit 1`;
    expect(view).toBeDefined();
    expect(account, 'the seed allocates a Riverside pupil to a demo social worker').toBeDefined();
    const { html } = await get(account!, `/children/${riversidePupil.id}`);
    expect(html).toContain('data-field="viewedBy"');
    expect(html).toContain('Riverside Primary School');
  });

  it('is told on their home page when a child of theirs is looked up', async () => {
    const [worker] = await db().sql`select email from social_workers where id = ${cpChild.worker_id}`;
    const account = { 'priya.desai@northbridge.example': 'sw-priya-desai', 'kofi.asante@northbridge.example': 'sw-kofi-asante' }[worker!.email as string];
    const sub = account ?? 'sw-priya-desai';
    if (!account) {
      // Give the looked-up child to a demo social worker, and look it up again.
      await db().sql`update allocations set end_date = current_date where child_id = ${cpChild.id} and end_date is null`;
      await db().sql`insert into allocations (child_id, social_worker_id, start_date)
                     select ${cpChild.id}, id, current_date from social_workers where email = 'priya.desai@northbridge.example'`;
      const police = await as('police-ppu');
      const form = await police.request(`${app.baseUrl}/lookup`);
      await police.submit(new URL(`${app.baseUrl}/lookup`), '/lookup', { csrf_token: hiddenField(await form.text(), 'csrf_token')!, method: 'nhs', nhsNumber: cpChild.nhs_number, reason: 'Missing child enquiry' });
    }
    const { html } = await get(sub, '/');
    expect(html).toContain('data-testid="notifications"');
    expect(html).toContain(`/children/${cpChild.id}`);
    expect(html).not.toContain(cpChild.forename);
  });
});

describe('information governance', () => {
  it('searches the access log, with clear messages for bad filters', async () => {
    const { res, html } = await get('info-governance', `/governance/access-log?child=${riversidePupil.id}`);
    expect(res.status).toBe(200);
    expect(html).toContain('data-testid="access-log"');
    expect(html).toContain('Sarah Collins');
    const bad = await get('info-governance', '/governance/access-log?from=2026-02-31&child=nope');
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('The start date must be a real date');
    expect(bad.html).toContain('value="nope"');
  });

  it('sees no child records', async () => {
    expect((await get('info-governance', '/children')).res.status).toBe(404);
    expect((await get('info-governance', `/children/${riversidePupil.id}`)).res.status).toBe(404);
  });

  it('views a child as a DSL would, with the rule behind each field', async () => {
    const { res, html } = await get('info-governance', `/governance/view-as?role=education.dsl&organisation=${DEMO_SCHOOLS[0]!.id}&child=${riversidePupil.id}&reason=Checking%20the%20school%20policy`);
    expect(res.status).toBe(200);
    expect(html).toContain('data-testid="preview"');
    expect(html).toMatch(/data-decision="upn">[\s\S]*?Shown[\s\S]*?education\.yaml, education\.dsl, rule 5/);
    expect(html).toMatch(/data-decision="nhsNumber">[\s\S]*?Withheld[\s\S]*?deny by default/);
    const elsewhere = await get('info-governance', `/governance/view-as?role=education.dsl&organisation=${DEMO_SCHOOLS[6]!.id}&child=${riversidePupil.id}&reason=Checking%20the%20school%20policy`);
    expect(elsewhere.html).toContain('data-testid="preview-none"');
  });

  it('is the only role with the governance pages', async () => {
    expect((await get('front-door', '/governance/access-log')).res.status).toBe(404);
    expect((await get('dsl-riverside', '/governance/view-as')).res.status).toBe(404);
  });
});
