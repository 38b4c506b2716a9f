// The page matrix: the pages not covered by the other two matrices, and the navigation, for
// every demo account. Reads the hand-written table "The page matrix" in ./permission-matrix.md
// and checks each account through the real app (in process), with the session its sign-in makes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleNames, type Role } from '../src/auth/roles.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { MATRIX_ACCOUNTS, trainedClaim } from './support/matrix-accounts.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { readMarkdownTable } from './support/markdown-table.ts';

const COLUMNS = ['access log', 'view as', 'sent messages', 'alerts', 'reasoning'] as const;
type Column = (typeof COLUMNS)[number];
/** The home page's panels, as the table names them (each is a `data-panel`, with - for spaces). */
const PANELS = ['encompass', 'front door', 'decisions', 'submissions', 'alerts', 'lookup', 'unusual activity', 'imports', 'audit actions'];
interface Row { roles: Role[]; trained: boolean; allowed: Record<Column, boolean>; home: string[]; navigation: string[] }

function parsePageMatrix(markdown: string): Row[] {
  const { header, rows } = readMarkdownTable(markdown, '### The page matrix', 'permission-matrix.md');
  const expected = ['role', 'training', ...COLUMNS, 'home', 'navigation'];
  if (header.join(',') !== expected.join(',')) throw new Error(`the page matrix's columns must be ${expected.join(', ')}`);
  return rows.map(({ cells, line }) => {
    const at = `permission-matrix.md line ${line}`;
    const rowRoles = cells[0]!.split(',').map((r) => r.trim());
    for (const role of rowRoles) if (!(roleNames as string[]).includes(role)) throw new Error(`${at}: no role "${role}"`);
    if (cells[1] !== 'complete' && cells[1] !== 'not recorded') throw new Error(`${at}: training is "complete" or "not recorded"`);
    const allowed = {} as Record<Column, boolean>;
    COLUMNS.forEach((column, index) => {
      const value = cells[index + 2];
      if (value !== '✓' && value !== '—') throw new Error(`${at}: "${value}" in column ${column} (write ✓ or —)`);
      allowed[column] = value === '✓';
    });
    const list = (cell: string | undefined) => cell!.split('·').map((item) => item.trim()).filter(Boolean);
    const home = list(cells[COLUMNS.length + 2]);
    for (const panel of home) if (!PANELS.includes(panel)) throw new Error(`${at}: no home panel "${panel}" (${PANELS.join(', ')})`);
    const navigation = list(cells[COLUMNS.length + 3]);
    return { roles: rowRoles as Role[], trained: cells[1] === 'complete', allowed, home, navigation };
  });
}

const MATRIX = parsePageMatrix(readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8'));

const ACCOUNTS = MATRIX_ACCOUNTS;

/** The front door's reason for its decision: a phrase no other text on any page contains. */
const REASONING = 'Internal triage note 7Q: sibling already known to the MASH';
const FEEDBACK = 'Thank you: the school nurse will follow this up.';

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
let decided: { id: string; reference: string };
let childId: string;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  const reference = await raiseConcern(await as('dsl-riverside'), app, { childSurname: 'Reasoning' });
  const [row] = await db().sql<{ id: string }[]>`select id from concerns where reference = ${reference}`;
  decided = { id: row!.id, reference };
  const frontDoor = await as('front-door');
  const form = await frontDoor.get(`/front-door/${decided.id}`);
  const sent = await frontDoor.post(`/front-door/${decided.id}/decision`, {
    csrf_token: hiddenField(form.html, 'csrf_token')!, match: 'unmatched', decision: 'advice_given', reason: REASONING, feedback: FEEDBACK,
  });
  expect(sent.status).toBe(303);
  [{ id: childId }] = await db().sql<[{ id: string }]>`select id from children order by surname, id limit 1`;
});
afterAll(async () => {
  await app?.close();
});

it('every role and training state in the table has a demo account, and every account a row', () => {
  for (const account of ACCOUNTS) {
    expect(MATRIX.filter((r) => r.roles.includes(account.role) && r.trained === trainedClaim(account.sub)), account.sub).toHaveLength(1);
  }
  for (const role of roleNames) expect(MATRIX.some((r) => r.roles.includes(role)), role).toBe(true);
});

describe.each(ACCOUNTS)('$sub ($role)', ({ sub, role }) => {
  const row = () => MATRIX.find((r) => r.roles.includes(role) && r.trained === trainedClaim(sub))!;
  const notFound = async () => (await (await as(sub)).get('/no-such-page')).html;

  it('access log', async () => {
    const page = await (await as(sub)).get('/governance/access-log');
    if (row().allowed['access log']) {
      expect(page.status).toBe(200);
      expect(page.html).toContain('Access log');
    } else {
      expect(page.status).toBe(404);
      expect(page.html).toBe(await notFound());
    }
  });

  it('view as', async () => {
    const client = await as(sub);
    const form = await client.get('/governance/view-as');
    const organisation = (await db().sql<[{ id: string }]>`select id from organisations where kind = 'school' order by name limit 1`)[0].id;
    const preview = await client.get(`/governance/view-as?role=education.dsl&organisation=${organisation}&child=${childId}&reason=Matrix%20check`);
    if (row().allowed['view as']) {
      expect(form.status).toBe(200);
      expect(preview.status).toBe(200);
      expect(preview.html).toMatch(/data-decision="forename"/);
    } else {
      for (const page of [form, preview]) {
        expect(page.status).toBe(404);
        expect(page.html).toBe(await notFound());
      }
    }
  });

  it('sent messages', async () => {
    const page = await (await as(sub)).get('/dev/sent-messages');
    if (row().allowed['sent messages']) {
      expect(page.status).toBe(200);
      expect(page.html).toContain('Sent messages (development)');
    } else {
      expect(page.status).toBe(404);
      expect(page.html).toBe(await notFound());
    }
  });

  it('alerts', async () => {
    const html = (await (await as(sub)).get('/')).html;
    expect(html.includes('What’s new about your children')).toBe(row().allowed.alerts);
  });

  it('reasoning', async () => {
    const client = await as(sub);
    const pages = await Promise.all([`/front-door/${decided.id}`, `/concerns/${decided.reference}`, '/submissions'].map((path) => client.get(path)));
    const shown = pages.some((page) => page.html.includes(REASONING));
    expect(shown).toBe(row().allowed.reasoning);
    // The DSL's own organisation raised it: its receipt shows the decision and feedback, not the reasoning.
    if (sub === 'dsl-riverside' || sub === 'deputy-dsl-riverside') {
      expect(pages[1]!.status).toBe(200);
      expect(pages[1]!.html).toContain(FEEDBACK);
    }
  });

  it('home', async () => {
    const html = (await (await as(sub)).get('/')).html;
    const panels = [...html.matchAll(/data-panel="([^"]*)"/g)].map((m) => m[1]!.replaceAll('-', ' '));
    expect(panels).toEqual(row().home);
  });

  it('navigation', async () => {
    const html = (await (await as(sub)).get('/')).html;
    const nav = /<ul class="govuk-service-navigation__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    // A count after the text ("Front door (3)", "Your submissions (1 new)") is checked apart (home-page.test.ts).
    const items = [...nav.matchAll(/<a class="govuk-service-navigation__link" href="[^"]*"[^>]*>(?:<strong[^>]*>)?([^<]*)(?:<\/strong>)?<\/a>/g)]
      .map((m) => m[1]!.replace(/ \((?:\d+|\d+ new)\)$/, ''));
    expect(items).toEqual(row().navigation);
    // On the home page no item is the current page.
    expect(nav).not.toContain('aria-current');
  });
});
