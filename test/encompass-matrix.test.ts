// The notification matrix: who may send, read and acknowledge police notifications (Operation
// Encompass). Reads the hand-written table "The notification matrix" in ./permission-matrix.md
// and checks each account named through the access gateway (as every page reads them) and the
// officer's form through the real app (in process).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/auth/dev-provider/demo-accounts.ts';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { accessAs, addChild, addOtherForce, checkedAnswers, OTHER_FORCE_OFFICER, type HouseholdChild } from './support/encompass.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { readMarkdownTable } from './support/markdown-table.ts';

const NOTIFICATIONS = ['riverside', 'high', 'front door', 'other force'] as const;
type Notification = (typeof NOTIFICATIONS)[number];
interface Row { accounts: string[]; send: boolean; reads: Record<Notification, boolean>; acknowledges: Notification[]; line: number }

function parse(markdown: string): Row[] {
  const { header, rows } = readMarkdownTable(markdown, '### The notification matrix', 'permission-matrix.md');
  const expected = ['accounts', 'send', ...NOTIFICATIONS, 'acknowledge'];
  if (header.join(',') !== expected.join(',')) throw new Error(`the notification matrix's columns must be ${expected.join(', ')}`);
  return rows.map(({ cells, line }) => {
    const at = `permission-matrix.md line ${line}`;
    const accounts = cells[0]!.split(',').map((a) => a.trim());
    for (const sub of accounts) if (!DEMO_ACCOUNTS.some((a) => a.sub === sub)) throw new Error(`${at}: no demo account "${sub}"`);
    const tick = (value: string | undefined, column: string) => {
      if (value !== '✓' && value !== '—') throw new Error(`${at}: "${value}" in column ${column} (write ✓ or —)`);
      return value === '✓';
    };
    const reads = Object.fromEntries(NOTIFICATIONS.map((n, i) => [n, tick(cells[i + 2], n)])) as Record<Notification, boolean>;
    const last = cells[NOTIFICATIONS.length + 2]!;
    const acknowledges = last === '—' ? [] : last.split('·').map((n) => n.trim()) as Notification[];
    for (const n of acknowledges) if (!NOTIFICATIONS.includes(n)) throw new Error(`${at}: no notification "${n}"`);
    return { accounts, send: tick(cells[1], 'send'), reads, acknowledges, line };
  });
}

const MATRIX = parse(readFileSync(new URL('./permission-matrix.md', import.meta.url), 'utf8'));

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const ids = {} as Record<Notification, string>;

// Twins would need more than the lookup's surname, date of birth and postcode: each has their own birthday.
const birthdays: Record<string, HouseholdChild['dob']> = { Ria: ['3', '3', '2016'], Hal: ['4', '6', '2012'], Fen: ['1', '1', '2024'] };
const pupil = (forename: string): HouseholdChild => ({ forename, surname: 'Matrixson', dob: birthdays[forename]!, postcode: 'NB2 7QT' });

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 20, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  await addOtherForce(db().sql);
  await addChild(db().sql, pupil('Ria'), DEMO_SCHOOLS[0]!.id);
  await addChild(db().sql, pupil('Hal'), DEMO_SCHOOLS[6]!.id);
  await addChild(db().sql, pupil('Fen'), null);
  const ours = await accessAs(app, 'police-ppu');
  await ours.sendEncompass(checkedAnswers(randomUUID(), [pupil('Ria'), pupil('Hal'), pupil('Fen')]));
  const theirs = await accessAs(app, OTHER_FORCE_OFFICER);
  await theirs.sendEncompass(checkedAnswers(randomUUID(), [pupil('Ria')]));
  const rows = await db().sql<{ id: string; school_id: string | null; force: string }[]>`
    select n.id, n.school_id, o.force_code as force from encompass_notifications n join organisations o on o.id = n.force_id`;
  ids.riverside = rows.find((r) => r.force === '99' && r.school_id === DEMO_SCHOOLS[0]!.id)!.id;
  ids.high = rows.find((r) => r.force === '99' && r.school_id === DEMO_SCHOOLS[6]!.id)!.id;
  ids['front door'] = rows.find((r) => r.force === '99' && r.school_id === null)!.id;
  ids['other force'] = rows.find((r) => r.force === '98')!.id;
});

describe('the notification matrix', () => {
  it('covers every role that could be asked', () => {
    const named = new Set(MATRIX.flatMap((r) => r.accounts));
    expect(named.size).toBeGreaterThan(10);
  });

  for (const row of MATRIX) {
    for (const sub of row.accounts) {
      it(`${sub} (line ${row.line})`, async () => {
        const access = await accessAs(app, sub);
        const listed = (await access.visibleEncompassNotifications({ limit: 50, offset: 0 })).notifications.map((n) => n.id);
        const acknowledges: Notification[] = [];
        for (const name of NOTIFICATIONS) {
          const one = await access.visibleEncompassNotification(ids[name]);
          expect(Boolean(one), `${sub} opens ${name}`).toBe(row.reads[name]);
          expect(listed.includes(ids[name]), `${sub} lists ${name}`).toBe(row.reads[name]);
          if (one) {
            expect(one.children?.length, `${sub} reads the children of ${name}`).toBe(1);
            if (access.mayAcknowledgeEncompass(one)) acknowledges.push(name);
          }
        }
        expect(acknowledges).toEqual(row.acknowledges);
        const page = await (await as(sub)).get('/encompass/new');
        expect(page.status, `${sub} GET /encompass/new`).toBe(row.send ? 200 : 404);
        expect(access.can('create', 'EncompassNotification')).toBe(row.send);
      });
    }
  }
});
