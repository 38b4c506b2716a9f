// councilContacts() puts the council's numbers on every request's view data, and says whether
// the page shows the contact strip (a partner's). Against a real database; the "database away"
// case with a real connection that has been closed.
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Agency } from '../../auth/roles.ts';
import { connect, type Db } from '../../db/connect.ts';
import { createLogger } from '../../log.ts';
import type { AppEnv } from '../../web/env.ts';
import { councilContacts, type ContactsOptions } from './index.ts';

const db = useTestDatabase();
beforeAll(async () => {
  await db().sql`insert into organisations (kind, name, la_code, duty_phone, out_of_hours_phone)
                 values ('local_authority', 'Northbridge City Council', '990', '0113 496 0000', '+44 (0)113 496 0999')`;
});

function appWith(options: ContactsOptions, agency: Agency | null = null) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('viewData', {});
    c.set('actor', agency ? ({ agency } as Actor) : undefined);
    await next();
  });
  app.use(councilContacts(options));
  app.get('/', (c) => c.json(c.get('viewData')));
  return app;
}
const viewData = async (app: Hono<AppEnv>) => (await (await app.request('/')).json()) as { contacts?: unknown; contactStrip: boolean };

const NUMBERS = {
  council: 'Northbridge City Council',
  frontDoor: { text: '0113 496 0000', href: 'tel:+441134960000' },
  outOfHours: { text: '+44 (0)113 496 0999', href: 'tel:+441134960999' },
};

describe('councilContacts()', () => {
  it('gives every request the council’s numbers, and the strip to partners only', async () => {
    expect(await viewData(appWith({ sql: db().sql }))).toEqual({ contacts: NUMBERS, contactStrip: false });
    for (const agency of ['education', 'health', 'police'] as const) {
      expect((await viewData(appWith({ sql: db().sql }, agency))).contactStrip, agency).toBe(true);
    }
    expect((await viewData(appWith({ sql: db().sql }, 'council'))).contactStrip).toBe(false);
  });

  it('keeps the numbers it read for a while, and reads them again after', async () => {
    const app = appWith({ sql: db().sql, keepForMs: 200 });
    expect((await viewData(app)).contacts).toEqual(NUMBERS);
    await db().sql`update organisations set duty_phone = '01632 960001'`;
    try {
      expect((await viewData(app)).contacts).toEqual(NUMBERS);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await viewData(app)).contacts).toEqual({ ...NUMBERS, frontDoor: { text: '01632 960001', href: 'tel:+441632960001' } });
    } finally {
      await db().sql`update organisations set duty_phone = '0113 496 0000'`;
    }
  });

  it('still shows the last numbers read when the database cannot be reached, and never fails the page', async () => {
    const own: Db = connect(db().url, { max: 1 });
    const logged: string[] = [];
    const app = appWith({ sql: own, keepForMs: 0, log: createLogger('warn', (line) => logged.push(line)) });
    expect((await viewData(app)).contacts).toEqual(NUMBERS);
    await own.end();
    const response = await app.request('/');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { contacts: unknown }).contacts).toEqual(NUMBERS);
    expect(logged.join('\n')).toContain('council contacts not read');
    // Never read at all: no numbers (the pages then say "phone the council"), and still no error.
    const closed: Db = connect(db().url, { max: 1 });
    await closed.end();
    expect(await viewData(appWith({ sql: closed }))).toEqual({ contactStrip: false });
  });
});
