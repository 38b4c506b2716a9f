// Logs carry no personal data (issue 10, point 5): values that reach PostgreSQL and make it fail
// (its messages repeat them) never appear in the log; errors are logged by code and object
// names; and a run of bad input logs none of what was sent.
import { beforeAll, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { errorFields, stackFrames } from '../src/log.ts';
import { useTestDatabase } from './support/database.ts';
import { buildTestApp } from './support/in-process-app.ts';
import { signedInAs } from './support/demo-session.ts';
import { randomUUID } from 'node:crypto';
import { goodAnswers } from './support/concerns.ts';

const db = useTestDatabase();
beforeAll(async () => {
  await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
}, 60_000);

it('logs a database error by SQLSTATE and object names, never the values in its message or the query', async () => {
  const secret = 'Zebedee-0000-11-01-personal';
  let caught: unknown;
  try {
    await db().sql`select ${secret}::text::date`;
  } catch (error) {
    caught = error;
  }
  expect((caught as Error).message).toContain(secret); // PostgreSQL repeats it…
  const fields = errorFields(caught);
  expect(fields).toMatchObject({ name: 'PostgresError', code: '22007' });
  const logged = JSON.stringify({ ...fields, stack: stackFrames(caught) });
  expect(logged).not.toContain(secret); // …the log does not
  expect(logged).toContain('at ');

  try {
    await db().sql`select ${secret}::text::int`;
  } catch (error) {
    expect(JSON.stringify({ ...errorFields(error), stack: stackFrames(error) })).not.toContain(secret);
  }
});

it('a bad-input run logs none of the values sent, and answers no 5xx', async () => {
  const app = await buildTestApp(db().sql);
  try {
    const marker = 'Quintessa';
    const dsl = await signedInAs(app, 'dsl-riverside');
    const ed = await signedInAs(app, 'ed-clinician');
    const statuses: number[] = [];
    for (const path of [`/children?name=${marker}%00one`, `/children?name=%00${marker}`, `/children?name=${marker}%25_`]) {
      statuses.push((await dsl.get(path)).status);
    }
    const lookup = await ed.post('/lookup', {
      method: 'details', surname: `${marker}\u0000`, 'dob-day': '1', 'dob-month': '2', 'dob-year': '0000', postcode: 'NB1 1AA', nhsNumber: '', reason: `${marker} reason \u0000 ${marker}`,
    });
    statuses.push(lookup.status);
    expect(statuses.every((status) => status < 500), String(statuses)).toBe(true);
    const whole = app.logLines.join('\n');
    expect(whole).not.toContain(marker);
    expect(whole).not.toContain('\\u0000');
  } finally {
    await app.close();
  }
});

it('a database error inside a request, carrying a value, is logged by its code and never the value', async () => {
  // The boundary refuses what PostgreSQL cannot store, so no form value reaches it to fail there.
  // To show what is logged when PostgreSQL fails with a value in hand, the concern's transaction
  // runs one more statement that fails on a value as a bad date would.
  const marker = 'Quintessa 0000-11-01';
  const app = await buildTestApp(db().sql, { concernHooks: { beforeCommit: async (tx) => void (await tx`select ${marker}::text::date`) } });
  try {
    const dsl = await signedInAs(app, 'dsl-riverside');
    const sent = await dsl.post('/concerns', { idempotencyKey: randomUUID(), childId: '', childSurname: 'Logs', ...goodAnswers });
    expect(sent.status).toBe(503);
    expect(sent.html).toContain('Your concern has not been sent');
    const errors = app.logLines.filter((line) => /"level":"(error|warn)"/.test(line));
    expect(errors.join('\n')).toMatch(/"code":"22007"/);
    for (const line of errors) expect(Object.keys(JSON.parse(line))).not.toContain('message');
    expect(app.logLines.join('\n')).not.toContain('Quintessa');
  } finally {
    await app.close();
  }
});
