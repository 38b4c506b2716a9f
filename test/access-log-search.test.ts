// The access log information governance can use (issue 12, point 8): a child found by name,
// date of birth or NHS number (through the access module's `audit Child` rule), names instead of
// ids in the results, GOV.UK date inputs with an error summary, filters by person, organisation,
// role and action as GET parameters, refused gracefully when bad; every governance address is
// exactly "not found" to anyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

interface Kid { id: string; forename: string; surname: string; date_of_birth: string; nhs_number: string }
let viewed: Kid;
let sealed: Kid;
let twins: Kid[];

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 60, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  // A child the Riverside DSL may read (on roll there, open, not sealed) with an NHS number.
  const readable = await (await as('dsl-riverside')).get('/children');
  const ids = [...readable.html.matchAll(/href="\/children\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  [viewed] = await db().sql<[Kid]>`
    select id, forename, surname, date_of_birth::text, nhs_number from children
    where id in ${db().sql(ids)} and nhs_number is not null order by id limit 1`;
  expect((await (await as('dsl-riverside')).get(`/children/${viewed.id}`)).status).toBe(200);
  [sealed] = await db().sql<[Kid]>`select id, forename, surname, date_of_birth::text, nhs_number from children where sealed and nhs_number is not null limit 1`;
  // Two children who share a surname, so a search by it lists both to choose from.
  twins = await db().sql<Kid[]>`
    update children set surname = 'Quennell' where id in (select id from children where not sealed and id <> ${viewed.id} order by id limit 2)
    returning id, forename, surname, date_of_birth::text, nhs_number`;
  // An entry about the sealed child, by a partner.
  await db().sql`
    insert into access_log (issuer, subject, user_name, organisation_id, organisation_name, role, child_id, action, fields_released, reason, request_id)
    values ('https://idp.example', 'someone', 'Ivy Auditee', null, 'Somewhere', 'education.dsl', ${sealed.id}, 'view_summary', '{}', null, 'sealed-look')`;
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const log = (path: string) => as('info-governance').then((client) => client.get(`/governance/access-log${path}`));
const table = (html: string) => /<table[^>]*data-testid="access-log"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
const name = (kid: Kid) => `${kid.forename} ${kid.surname}`;
const escaped = (text: string) => text.replace(/'/g, '&#39;');

describe('finding a child', () => {
  it('by NHS number, as people write it: the entries about that child, by name', async () => {
    const spaced = `${viewed.nhs_number.slice(0, 3)} ${viewed.nhs_number.slice(3, 6)} ${viewed.nhs_number.slice(6)}`;
    const page = await log(`?child=${encodeURIComponent(spaced)}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-testid="chosen-child">${escaped(name(viewed))}`);
    const rows = table(page.html);
    // Names, not ids: the child, the person and their organisation.
    expect(rows).toContain(escaped(name(viewed)));
    expect(rows).toContain('Sarah Collins');
    expect(rows).toContain('Riverside Primary');
    expect(rows).not.toMatch(/>[0-9a-f]{8}…</);
    // The value typed is kept.
    expect(page.html).toContain(`value="${spaced}"`);
  });

  it('by name and date of birth', async () => {
    const [year, month, day] = viewed.date_of_birth.split('-');
    const page = await log(`?child=${encodeURIComponent(name(viewed))}&dob-day=${Number(day)}&dob-month=${Number(month)}&dob-year=${year}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`data-testid="chosen-child">${escaped(name(viewed))}`);
    expect(table(page.html)).toContain('Sarah Collins');
  });

  it('several match: lists them to pick from, and a pick shows that child’s entries', async () => {
    const page = await log('?child=Quennell');
    expect(page.status).toBe(200);
    const list = /data-testid="child-matches"[\s\S]*?<\/ul>/.exec(page.html)?.[0] ?? '';
    for (const twin of twins) expect(list).toContain(escaped(name(twin)));
    expect(page.html).not.toContain('data-testid="access-log"');
    const href = /href="([^"]*pick=[^"]*)"/.exec(list)![1]!.replace(/&amp;/g, '&');
    const picked = await (await as('info-governance')).get(href);
    expect(picked.status).toBe(200);
    expect(picked.html).toMatch(/data-testid="chosen-child">[^<]*Quennell/);
    // The pick stays in the form, so searching again (or paging) keeps it.
    expect(picked.html).toMatch(/<input type="hidden" name="pick" value="[0-9a-f-]{36}">/);
  });

  it('none match: says so', async () => {
    const page = await log('?child=Zzyzxwvut%20Nobody');
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="no-child"');
    expect(page.html).toContain('No child matches');
    expect(page.html).toContain('value="Zzyzxwvut Nobody"');
  });

  it('a sealed child is not found by its identifiers, and its entries by record id do not name it', async () => {
    const byNhs = await log(`?child=${sealed.nhs_number}`);
    expect(byNhs.html).toContain('data-testid="no-child"');
    const byId = await log(`?child=${sealed.id}`);
    expect(byId.status).toBe(200);
    expect(table(byId.html)).toContain('Ivy Auditee');
    expect(byId.html).not.toContain(escaped(sealed.surname));
    expect(byId.html).toContain('(name not shown)');
  });

  it('records the search in the access log as a look at a list of identifiers', async () => {
    await log(`?child=${viewed.nhs_number}`);
    const [row] = await db().sql<[{ action: string; fields: string[]; role: string }]>`
      select action, fields_released as fields, role from access_log
      where reason = 'Information governance: children found to search the access log' order by id desc limit 1`;
    expect(row).toEqual({ action: 'view_list', fields: ['forename', 'surname', 'dateOfBirth', 'nhsNumber'], role: 'council.information_governance' });
  });
});

describe('filters', () => {
  it('dates are GOV.UK date inputs: a bad one is in the error summary and by the field, and what was typed is kept', async () => {
    const page = await log('?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=13&to-year=2026');
    expect(page.status).toBe(400);
    expect(page.html).toContain('<title>Error: Access log');
    const summary = /govuk-error-summary[\s\S]*?<\/ul>/.exec(page.html)?.[0] ?? '';
    expect(summary).toContain('href="#from-day">The start date must be a real date');
    expect(summary).toContain('href="#to-day">The end date must be a real date');
    expect(page.html).toMatch(/id="from-day" name="from-day" type="text" value="31"/);
    expect(page.html).toMatch(/id="to-month" name="to-month" type="text" value="13"/);
    // The end before the start.
    const backwards = await log('?from-day=2&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026');
    expect(backwards.status).toBe(400);
    expect(backwards.html).toContain('The end date must be the same as or after the start date');
  });

  it('a day range finds the entries of those days (and a link may give them as YYYY-MM-DD)', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const [y, m, d] = today.split('-');
    const page = await log(`?from-day=${d}&from-month=${m}&from-year=${y}&person=Sarah`);
    expect(page.status).toBe(200);
    expect(table(page.html)).toContain('Sarah Collins');
    const linked = await log(`?from=${today}&to=${today}&person=Sarah`);
    expect(linked.status).toBe(200);
    expect(linked.html).toMatch(new RegExp(`name="from-day" type="text" value="${d}"`));
    expect(await log('?to=2020-01-01&person=Sarah').then((p) => p.html)).toContain('No entries match');
  });

  it('by person (part of a name, or one picked from the entries), organisation, role and action', async () => {
    const byName = await log('?person=collins');
    expect(table(byName.html)).toContain('Sarah Collins');
    expect(table(byName.html)).not.toContain('Ivy Auditee');
    // A person's name in the entries picks them alone.
    const href = /<a class="govuk-link" href="([^"]*user=[^"]*)">Sarah Collins<\/a>/.exec(byName.html)![1]!.replace(/&amp;/g, '&');
    const picked = await (await as('info-governance')).get(href);
    expect(picked.status).toBe(200);
    expect(picked.html).toContain('data-testid="chosen-person">Sarah Collins');
    expect(table(picked.html)).not.toContain('Ivy Auditee');

    expect(table((await log('?role=education.dsl')).html)).toContain('Ivy Auditee');
    expect(table((await log('?role=council.front_door&person=Ivy')).html)).toBe('');
    const [{ id: riverside }] = await db().sql<[{ id: string }]>`select id from organisations where name = 'Riverside Primary School'`;
    const byOrganisation = await log(`?organisation=${riverside}`);
    expect(table(byOrganisation.html)).toContain('Sarah Collins');
    expect(table(byOrganisation.html)).not.toContain('Ivy Auditee');
    expect(table((await log('?action=lookup&person=Collins')).html)).toBe('');
  });

  it('refuses bad filters gracefully: a message by each, never a 5xx', async () => {
    const page = await log('?role=wizard&organisation=nope&action=export&child=123%20456&person=a%00b');
    expect(page.status).toBe(400);
    for (const message of ['Choose a role from the list', 'Choose an organisation from the list', 'Choose what was done from the list',
      'NHS number must be 10 digits', 'The name must not contain control characters']) {
      expect(page.html).toContain(message);
    }
    const user = await log('?user=x');
    expect(user.status).toBe(400);
    expect(user.html).toContain('Choose the person again from the entries');
    const dobAlone = await log('?dob-day=1&dob-month=2&dob-year=2015');
    expect(dobAlone.status).toBe(400);
    expect(dobAlone.html).toContain('Enter the child’s name or NHS number as well as their date of birth');
    const invalidNhs = await log('?child=9434765918');
    expect(invalidNhs.status).toBe(400);
    expect(invalidNhs.html).toContain('Enter a valid NHS number');
  });

  it('the introduction says the log lists the council’s own looks as well as partners’', async () => {
    const page = await log('');
    expect(page.html).toContain('by partners, and by the council’s own staff');
    expect(page.html).not.toContain('by a partner,');
  });
});

describe('only information governance', () => {
  it('every governance address, the export too, is exactly "not found" to anyone else', async () => {
    const paths = ['/governance/access-log', `/governance/access-log?child=${viewed.id}`, '/governance/access-log.csv', `/governance/access-log.csv?child=${viewed.id}`,
      '/governance/unusual-activity', '/governance/view-as'];
    for (const sub of ['dsl-riverside', 'gp-canal-wharf', 'police-ppu', 'ed-clinician', 'front-door', 'sw-priya-desai']) {
      const client = await as(sub);
      const notFound = (await client.get('/no-such-page')).html;
      for (const path of paths) {
        const page = await client.get(path);
        expect(page.status, `${sub} ${path}`).toBe(404);
        expect(page.html, `${sub} ${path}`).toBe(notFound);
        expect(page.res.headers.get('content-disposition'), `${sub} ${path}`).toBeNull();
      }
    }
  });
});
