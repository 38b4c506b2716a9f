// Lookup results a clinician can trust (issue 12, point 6, and the sending side of point 2):
// - a heading that says what was found about whom, in fields the role may see, and the
//   identifiers that matched echoed back; one set of status words;
// - an optional incident or attendance number, validated, stored in the lookup's own access-log
//   row (hash-chained with it) and shown to the child's social worker under "Viewed by", to no one
//   else (not in a view-as preview, not on the information governance's log page);
// - "Raise a concern" a form posting the lookup's fields to /concerns/from-lookup.
// Through the real app in process, against a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainNewEntries, verifyChain } from '../src/audit/chain.ts';
import { lookupReasons } from '../src/lookup/form.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { formatDate } from '../src/web/format.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const reason = lookupReasons[0];

interface Child {
  id: string; forename: string; surname: string; nhsNumber: string; dateOfBirth: string; postcode: string;
  cpStart: string; firstStart: string; kinds: string; worker: string;
}
/** A child on a plan, allocated to a demo social worker, whose last name and date of birth are unique. */
let child: Child;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 150, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  [child] = await db().sql<[Child]>`
    select c.id, c.forename, c.surname, c.nhs_number as "nhsNumber", c.date_of_birth::text as "dateOfBirth", c.postcode,
           (select min(i.start_date)::text from involvements i where i.child_id = c.id and i.end_date is null and i.kind = 'child_protection') as "cpStart",
           (select min(i.start_date)::text from involvements i where i.child_id = c.id and i.end_date is null) as "firstStart",
           (select string_agg(distinct i.kind, ',' order by i.kind) from involvements i where i.child_id = c.id and i.end_date is null) as kinds,
           w.name as worker
    from children c
    join allocations a on a.child_id = c.id and a.end_date is null join social_workers w on w.id = a.social_worker_id
    where not c.sealed and not c.address_withheld and c.nhs_number is not null and c.postcode is not null
      and w.name in ('Priya Desai', 'Kofi Asante')
      and (select string_agg(distinct i.kind, ',' order by i.kind) from involvements i where i.child_id = c.id and i.end_date is null) = 'child_protection'
      and (select count(*) from children d where lower(d.surname) = lower(c.surname) and d.date_of_birth = c.date_of_birth) = 1
    order by c.id limit 1`;
  if (!child) throw new Error('the demo data has no child on a plan allocated to a demo social worker');
});
afterAll(async () => {
  await app?.close();
});

const spaced = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
const socialWorker = () => (child.worker === 'Priya Desai' ? 'sw-priya-desai' : 'sw-kofi-asante');
const heading = (html: string) => /<h1[^>]*data-testid="lookup-heading">([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '';
const byDetails = (c: Pick<Child, 'surname' | 'dateOfBirth' | 'postcode'>) => {
  const [year, month, day] = c.dateOfBirth.split('-');
  return { method: 'details', surname: c.surname, 'dob-day': String(Number(day)), 'dob-month': String(Number(month)), 'dob-year': year!, postcode: c.postcode };
};
const lookUp = async (sub: string, fields: Record<string, string>) => (await as(sub)).post('/lookup', { reason, ...fields });

describe('the heading and the identifiers matched', () => {
  it('police: the name, the NHS number typed, and the status since when', async () => {
    const page = await lookUp('police-ppu', { method: 'nhs', nhsNumber: child.nhsNumber });
    expect(page.status).toBe(200);
    expect(heading(page.html)).toBe(
      `<span class="govuk-caption-l">Record found</span>${child.forename} ${child.surname}, NHS number ${spaced(child.nhsNumber)}: on a child protection plan since ${formatDate(child.firstStart)}`);
    expect(page.html).toContain(`<dt class="govuk-summary-list__key">NHS number</dt><dd class="govuk-summary-list__value">${spaced(child.nhsNumber)}</dd>`);
    // The same words for the status as everywhere else.
    expect(page.html).toContain('<dd class="govuk-summary-list__value">Child protection plan</dd>');
    expect(page.html).not.toContain(': active');
    // A start date says what started.
    expect(page.html).toContain(`<dt class="govuk-summary-list__key">Open to children’s social care since</dt>`);
  });

  it('the emergency department: no name (not released to it), the NHS number typed, the CP-IS date', async () => {
    const page = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: child.nhsNumber });
    expect(heading(page.html)).toBe(
      `<span class="govuk-caption-l">Record found</span>NHS number ${spaced(child.nhsNumber)}: on a child protection plan since ${formatDate(child.cpStart)}`);
    expect(page.html).not.toContain(child.forename);
    expect(page.html).not.toContain('Looked after: active');
    expect(page.html).toContain(`<dt class="govuk-summary-list__key">Plan or looked-after status since</dt>`);
    // The title, kept in the browser's history, names no one.
    expect(page.html).toContain('<title>Record found');
  });

  it('by last name and date of birth: the ED gets what it typed; the police the name and the postcode it may see', async () => {
    const ed = await lookUp('ed-clinician', byDetails(child));
    expect(heading(ed.html)).toBe(
      `<span class="govuk-caption-l">Record found</span>Last name ${child.surname}, born ${formatDate(child.dateOfBirth)}: on a child protection plan since ${formatDate(child.cpStart)}`);
    const edMatched = /data-testid="looked-up">([\s\S]*?)<\/dl>/.exec(ed.html)![1]!;
    expect(edMatched).toContain(`>${child.surname}<`);
    expect(edMatched).not.toContain('Postcode');
    const police = await lookUp('police-ppu', byDetails(child));
    expect(heading(police.html)).toContain(`${child.forename} ${child.surname}, born ${formatDate(child.dateOfBirth)}: on a child protection plan`);
    expect(/data-testid="looked-up">([\s\S]*?)<\/dl>/.exec(police.html)![1]).toContain(`<dt class="govuk-summary-list__key">Postcode</dt><dd class="govuk-summary-list__value">${child.postcode}</dd>`);
  });

  it('not found: what was typed, echoed so a slip can be seen', async () => {
    const page = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: '9434765919' });
    expect(page.html).toContain('<h1 class="govuk-heading-l">No record found</h1>');
    expect(page.html).toContain('>943 476 5919<');
  });
});

describe('the hand-off to raising a concern', () => {
  it('found or not, a POST form to /concerns/from-lookup carrying the lookup’s fields and the CSRF token', async () => {
    const client = await as('ed-clinician');
    for (const nhsNumber of [child.nhsNumber, '9434765919']) {
      const page = await client.post('/lookup', { reason, method: 'nhs', nhsNumber: ` ${nhsNumber} `, incidentReference: 'ED/2026/0042' });
      const form = /<form method="post" action="\/concerns\/from-lookup"[^>]*data-testid="raise-from-lookup">([\s\S]*?)<\/form>/.exec(page.html)?.[1];
      expect(form, nhsNumber).toBeDefined();
      expect(hiddenField(form!, 'csrf_token')).toBe(client.csrfToken);
      expect(hiddenField(form!, 'method')).toBe('nhs');
      expect(hiddenField(form!, 'nhsNumber')).toBe(` ${nhsNumber} `);
      expect(hiddenField(form!, 'reason')).toBe(reason);
      expect(hiddenField(form!, 'incidentReference')).toBe('ED/2026/0042');
      for (const name of ['surname', 'dob-day', 'dob-month', 'dob-year', 'postcode']) expect(hiddenField(form!, name), name).toBe('');
    }
  });
});

describe('the incident or attendance number', () => {
  it('is refused by its field when it is too long, on more than one line or unreadable; what was typed is kept', async () => {
    const logged = async () => (await db().sql`select count(*)::int as n from access_log`)[0]!.n as number;
    const before = await logged();
    for (const [typed, message] of [
      ['x'.repeat(41), 'Incident or attendance number must be 40 characters or fewer'],
      ['ED\u000042', 'Incident or attendance number must not contain control characters'],
      ['ED\n42', 'Incident or attendance number must be on one line'],
    ] as const) {
      const page = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: child.nhsNumber, incidentReference: typed });
      expect(page.status, typed).toBe(400);
      expect(page.html).toContain(message);
      expect(page.html).toContain('href="#incidentReference"');
    }
    const kept = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: child.nhsNumber, incidentReference: 'y'.repeat(41) });
    expect(kept.html).toContain(`value="${'y'.repeat(41)}"`);
    // Nothing was logged for a refused form.
    expect(await logged()).toBe(before);
  });

  it('is stored in the lookup’s access-log row, hashed with it, and shown to the child’s social worker only', async () => {
    const number = 'INC <2026> & 0042';
    const page = await lookUp('police-ppu', { method: 'nhs', nhsNumber: child.nhsNumber, incidentReference: ` ${number} ` });
    expect(page.html).toContain('INC &lt;2026&gt; &amp; 0042');
    const rows = await db().sql`select id::text, child_id, action, incident_reference from access_log where incident_reference like 'INC%'`;
    expect(rows).toEqual([{ id: expect.any(String), child_id: child.id, action: 'lookup', incident_reference: number }]);

    // The social worker sees it beside the look.
    const summary = await (await as(socialWorker())).get(`/children/${child.id}`);
    expect(summary.status).toBe(200);
    expect(summary.html).toContain('Incident or attendance number: INC &lt;2026&gt; &amp; 0042');

    // Nobody else: the police officer's own later lookup, information governance's log page and its preview of the social worker's view.
    const again = await lookUp('police-ppu', { method: 'nhs', nhsNumber: child.nhsNumber });
    expect(again.html).not.toContain('0042');
    const ig = await as('info-governance');
    expect((await ig.get(`/governance/access-log?child=${child.id}`)).html).not.toContain('0042');
    const [worker] = await db().sql`select id from social_workers where name = ${child.worker}`;
    const [council] = await db().sql`select local_authority_id as id from children where id = ${child.id}`;
    const preview = await ig.get(`/governance/view-as?role=council.social_worker&organisation=${council!.id}&worker=${worker!.id}&child=${child.id}&reason=Audit`);
    expect(preview.status).toBe(200);
    expect(preview.html).toContain(child.surname);
    expect(preview.html).not.toContain('0042');

    // Hash-chained: the chain verifies, and changing the number afterwards breaks it.
    while (await chainNewEntries(db().sql) > 0);
    expect(await verifyChain(db().sql)).toMatchObject({ ok: true });
    await db().sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update access_log set incident_reference = 'INC 9999' where id = ${rows[0]!.id}::bigint`;
    });
    expect(await verifyChain(db().sql)).toMatchObject({ ok: false, firstBroken: { logId: rows[0]!.id, problem: 'row changed since it was chained' } });
  });
});
