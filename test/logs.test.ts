// Logs carry no personal data: values that reach PostgreSQL and make it fail (its messages
// repeat them) never appear in the log; errors are logged by code and object names.
import { beforeAll, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { errorFields, stackFrames } from '../src/log.ts';
import { useTestDatabase } from './support/database.ts';
import { buildTestApp } from './support/in-process-app.ts';
import { signedInAs } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';

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

it('requests whose values reach PostgreSQL and fail there log none of them', async () => {
  const app = await buildTestApp(db().sql);
  try {
    const marker = 'Quintessa';
    const dsl = await signedInAs(app, 'dsl-riverside');
    const ed = await signedInAs(app, 'ed-clinician');
    const statuses: number[] = [];
    // A NUL byte cannot go into PostgreSQL text: the statement fails with the value in hand.
    for (const path of [`/children?name=${marker}%00one`, `/children?name=%00${marker}`]) {
      const response = await dsl.request(`${app.baseUrl}${path}`);
      await response.text();
      statuses.push(response.status);
    }
    const form = await ed.request(`${app.baseUrl}/lookup`);
    const token = hiddenField(await form.text(), 'csrf_token')!;
    const lookup = await ed.request(`${app.baseUrl}/lookup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin' },
      body: new URLSearchParams({ csrf_token: token, method: 'name', surname: `${marker}\u0000`, dobDay: '1', dobMonth: '2', dobYear: '2015', postcode: 'NB1 1AA', nhsNumber: '', reason: `${marker} reason \u0000 ${marker}` }).toString(),
    });
    await lookup.text();
    statuses.push(lookup.status);
    const whole = app.logLines.join('\n');
    // Whatever each request answered, nothing it sent is in the log…
    expect(whole).not.toContain(marker);
    expect(whole).not.toContain('\\u0000');
    // …and at least one reached PostgreSQL and was logged by its code (22021: invalid byte sequence).
    const errors = app.logLines.filter((line) => /"level":"(error|warn)"/.test(line));
    expect(statuses.slice(0, 2)).toEqual([500, 500]);
    expect(errors.join('\n')).toMatch(/"code":"22021"/);
    expect(errors.join('\n')).toMatch(/"stack":"    at /);
    for (const line of errors) expect(Object.keys(JSON.parse(line))).not.toContain('message');
  } finally {
    await app.close();
  }
});
