// The test seam (test/support/demo-session.ts) against the real thing: for every demo account,
// a session made by the seam must be the one a real sign-in through the development identity
// provider makes — the same user row, organisation, role and training — or every route test
// built on the seam would be checking the wrong person.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/auth/dev-provider/demo-accounts.ts';
import { paths } from '../src/paths.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { startTestApp, type RunningApp } from './support/app.ts';
import { useTestDatabase } from './support/database.ts';
import { createDemoSession, signedInAs } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { signIn } from './support/sign-in.ts';

const db = useTestDatabase();
let running: RunningApp;
let inProcess: InProcessApp;
beforeAll(async () => {
  await seedDemoData(db().sql, { children: 5 });
  running = await startTestApp(db().sql);
  // Trusting the running app's providers, so a seam session and a real one name the same user.
  inProcess = await buildTestApp(db().sql, { sharedSettingsWith: running });
});
afterAll(async () => {
  await inProcess?.close();
  await running?.close();
});

const userRow = async (subject: string) =>
  db().sql`select issuer, subject, name, email, role_assignments, training_completed_on::text as training
           from users where subject = ${subject}`;
const newestSession = async (subject: string) =>
  (await db().sql`select s.provider_id, s.organisation_id, s.role from sessions s join users u on u.id = s.user_id
                  where u.subject = ${subject} order by s.created_at desc limit 1`)[0];
/** Who the page header says is signed in. */
const whoIsSignedIn = (html: string) =>
  Object.fromEntries(['user-name', 'user-organisation', 'user-role'].map((id) => [id, new RegExp(`data-testid="${id}">([^<]*)<`).exec(html)?.[1]]));

describe('a demo session', () => {
  const allowed = DEMO_ACCOUNTS.filter((a) => !a.label.startsWith('Refused'));

  it.each(allowed.map((a) => a.sub))('for %s is the one a real sign-in makes', async (sub) => {
    const real = await signIn(running, sub);
    const afterRealSignIn = await userRow(sub);
    const realSession = await newestSession(sub);
    expect(afterRealSignIn).toHaveLength(1);
    // Forgotten again (sessions go with the user), so the seam has to write every column itself:
    // a later sign-in keeps some of what an earlier one wrote, which would hide a difference.
    await db().sql`delete from users where subject = ${sub}`;

    const { session } = await createDemoSession(inProcess, sub);
    // The same user row (same issuer and subject, claims read the same way) and session.
    expect(await userRow(sub)).toEqual(afterRealSignIn);
    expect(await newestSession(sub)).toEqual(realSession);
    expect(session.trainingCompletedOn).toBe(afterRealSignIn[0]!.training);

    // And the pages say the same person, organisation and role (or both ask for a role).
    const seam = await signedInAs(inProcess, sub);
    expect(seam.landing).toBe(real.url.pathname);
    const seen = await seam.follow(seam.landing);
    expect(seen.url.pathname).toBe(real.url.pathname);
    const html = await seen.response.text();
    expect(whoIsSignedIn(html)).toEqual(whoIsSignedIn(real.html));
    expect(hiddenField(html, 'csrf_token')).toBe(seam.csrfToken);
  });

  it.each(DEMO_ACCOUNTS.filter((a) => a.label.startsWith('Refused')).map((a) => a.sub))('is refused for %s, as sign-in is', async (sub) => {
    const real = await signIn(running, sub);
    expect(real.response.status).toBe(403);
    await expect(createDemoSession(inProcess, sub)).rejects.toThrow(/is refused at sign-in/);
  });
});

describe('the in-process app', () => {
  it('answers without a port, and refuses to send a request anywhere else', async () => {
    const client = await signedInAs(inProcess, 'dsl-riverside');
    expect((await client.get('/children')).status).toBe(200);
    await expect(client.request(`${running.baseUrl}/children`)).rejects.toThrow(/no in-process app/);
  });

  it('checks CSRF as over HTTP: the session’s token passes, another is refused', async () => {
    const client = await signedInAs(inProcess, 'gp-two-practices');
    const wrong = await client.post('/choose-role', { csrf_token: 'not-the-token', assignment: '0' });
    expect(wrong.status).toBe(403);
    const right = await client.post('/choose-role', { assignment: '0' });
    expect(right.status).toBe(303);
    expect((await client.get('/')).html).toContain('data-testid="user-role">GP<');
  });
});

it('nothing in src imports the test support', () => {
  const src = path.join(paths.root, 'src');
  // Tests kept beside their code (src/**/*.test.ts, as hono keeps its middleware tests) are
  // tests, not the server: they may use the test database helpers.
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  expect(files.length).toBeGreaterThan(0);
  const importers = files.filter((f) => /from ['"][^'"]*test\/support/.test(readFileSync(path.join(src, f), 'utf8')));
  expect(importers).toEqual([]);
});
