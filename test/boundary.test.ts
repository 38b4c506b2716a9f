// Input that cannot be stored is refused at the boundary, on the form, with a message (issue 10,
// points 2 and 7): the normaliser's and the date ranges' rules, then each form by hand (NUL in
// every field, year 0000, dates out of range, % and _ in the children search). The property
// test (boundary-property.test.ts) throws arbitrary input at every route; this file pins down
// the messages and the cases the issue names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/seed/insert.ts';
import { dateRanges, isRealIsoDate, outsideRange, todayInEngland } from '../src/validation/dates.ts';
import { likePrefix } from '../src/validation/like.ts';
import { characterCount, firstCharacters, normaliseText, textProblem } from '../src/validation/text.ts';
import { checkDate } from '../src/web/date-input.ts';
import { goodAnswers, raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { hiddenField } from './support/http-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

describe('the text normaliser (src/validation/text.ts)', () => {
  it('turns CR LF and CR into LF, keeps tab and newline, and makes NFC', () => {
    expect(normaliseText('a\r\nb\rc\td\ne')).toBe('a\nb\nc\td\ne');
    expect(normaliseText('e\u0301')).toBe('é');
    expect(normaliseText('مرحبا 👩‍👩‍👧')).toBe('مرحبا 👩‍👩‍👧');
  });

  it('marks control characters and lone surrogates as U+FFFD, and refuses them with a message that does not echo them', () => {
    for (const raw of ['a\u0000b', 'a\u0001b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\uD800b', 'a\uDC00b']) {
      const text = normaliseText(raw);
      expect(text).toBe('a\uFFFDb');
      const message = textProblem('First name', text, 200)!;
      expect(message).toBe('First name must not contain control characters or unreadable characters (shown as \uFFFD)');
      expect(message).not.toContain('\u0000');
    }
    expect(normaliseText('\uD83D\uDE00')).toBe('😀');
    expect(textProblem('First name', normaliseText('Zoë\tO’Brien\n'), 200)).toBeUndefined();
  });

  it('anything but a string is empty', () => {
    expect(normaliseText(undefined)).toBe('');
    expect(normaliseText(['a', 'b'])).toBe('');
    expect(normaliseText(new File(['x'], 'x.txt'))).toBe('');
  });

  it('counts characters as PostgreSQL does (code points, after NFC, trimmed), not UTF-16 units', () => {
    expect(characterCount('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
    expect(characterCount(normaliseText('e\u0301'))).toBe(1);
    expect(textProblem('What happened', '😀'.repeat(5000), 5000)).toBeUndefined();
    expect(textProblem('What happened', '😀'.repeat(5001), 5000)).toBe('What happened must be 5,000 characters or fewer');
    expect(textProblem('Postcode', `  ${'x'.repeat(10)}  `, 10)).toBeUndefined();
    expect(firstCharacters('a😀b', 2)).toBe('a😀');
    expect(firstCharacters('😀'.repeat(3), 1)).toBe('😀');
  });

  it('escapes LIKE wildcards so search text is matched literally', () => {
    expect(likePrefix('a%b_c\\d')).toBe('a\\%b\\_c\\\\d%');
    expect(likePrefix('')).toBe('%');
  });
});

describe('dates (src/validation/dates.ts, src/web/date-input.ts)', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('has no year 0000 (PostgreSQL has none), but years 0001 to 9999 are real', () => {
    expect(isRealIsoDate('0000-01-01')).toBe(false);
    expect(isRealIsoDate('0001-01-01')).toBe(true);
    expect(isRealIsoDate('9999-12-31')).toBe(true);
    expect(isRealIsoDate('2026-02-29')).toBe(false);
  });

  it('takes today as England’s: just after midnight in summer time is already the next day', () => {
    expect(todayInEngland(new Date('2026-06-14T23:30:00Z'))).toBe('2026-06-15');
    expect(outsideRange('2026-06-15', dateRanges.event, new Date('2026-06-14T23:30:00Z'))).toBeUndefined();
    expect(todayInEngland(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01');
  });

  it('checks each kind of date against its range, with the GOV.UK messages', () => {
    const dob = (d: string, m: string, y: string) => checkDate(d, m, y, 'the child’s date of birth', true, dateRanges.childDateOfBirth, now).error;
    expect(dob('1', '1', '0000')).toBe('The child’s date of birth must be a real date');
    expect(dob('00', '1', '2015')).toBe('The child’s date of birth must be a real date');
    expect(dob('1', '13', '2015')).toBe('The child’s date of birth must be a real date');
    expect(dob('-1', '1', '2015')).toBe('The child’s date of birth must be a real date');
    expect(dob('1', '1', '２０１５')).toBe('The child’s date of birth must be a real date');
    expect(dob('31', '12', '1989')).toBe('The child’s date of birth must be between 1 January 1990 and today');
    expect(dob('1', '1', '0001')).toBe('The child’s date of birth must be between 1 January 1990 and today');
    expect(dob('1', '1', '1990')).toBeUndefined();
    expect(dob('1', '12', '2026')).toBeUndefined();
    expect(dob('2', '12', '2026')).toBe('The child’s date of birth must be today or in the past');
    expect(dob('1', '1', '9999')).toBe('The child’s date of birth must be today or in the past');
    const when = (y: string) => checkDate('1', '1', y, 'when it happened', true, dateRanges.event, now).error;
    expect(when('1999')).toBe('When it happened must be between 1 January 2000 and today');
    expect(when('2000')).toBeUndefined();
    const training = (y: string) => checkDate('1', '1', y, 'the date the training was completed', true, dateRanges.trainingCompleted, now).error;
    expect(training('1999')).toBe('The date the training was completed must be between 1 January 2000 and today');
  });
});

describe('the forms, in the app', () => {
  const db = useTestDatabase();
  let app: InProcessApp;
  const as = demoClients(() => app);
  let concernId: string;

  beforeAll(async () => {
    await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
    app = await buildTestApp(db().sql);
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Sam', childSurname: 'Smith' });
    concernId = (await db().sql`select id from concerns where reference = ${reference}`)[0]!.id as string;
  }, 60_000);
  afterAll(() => app?.close());

  /** The page's text for a field's error message: the GOV.UK error message beside it. */
  const messageBy = (html: string, id: string) => {
    const match = new RegExp(`<p id="${id}-error" class="govuk-error-message">\\s*<span class="govuk-visually-hidden">Error:</span>([^<]*)</p>`).exec(html);
    return match?.[1]?.trim();
  };

  async function concernForm() {
    const client = await as('dsl-riverside');
    const form = await client.get('/concerns/new');
    return { client, base: { idempotencyKey: hiddenField(form.html, 'idempotencyKey')!, childId: '', childForename: 'Sam', childSurname: 'Smith', ...goodAnswers } };
  }

  it('a NUL in any text field of a concern: 400, a message by that field, every other answer kept; on the check step and the send step alike', async () => {
    const { client, base } = await concernForm();
    const labels: Record<string, string> = {
      childForename: 'First name', childSurname: 'Last name', childNhsNumber: 'NHS number', childUpn: 'UPN', childAddress: 'Address', childPostcode: 'Postcode',
      whatHappened: 'What happened', childWords: 'The child’s own words', actionsTaken: 'Actions already taken', parentsNotAwareReason: 'The reason',
      referrerPhone: 'Phone number', referrerEmail: 'Email address',
    };
    for (const [field, label] of Object.entries(labels)) {
      for (const step of ['/concerns/check', '/concerns']) {
        const page = await client.post(step, { ...base, [field]: `before\u0000after` });
        expect(page.status, `${field} at ${step}`).toBe(400);
        expect(messageBy(page.html, field), field).toBe(`${label} must not contain control characters or unreadable characters (shown as \uFFFD)`);
        expect(page.html).toContain('before\uFFFDafter');
        expect(page.html).not.toContain('\u0000');
        expect(page.html).toContain(field === 'childForename' ? 'value="Smith"' : 'value="Sam"');
        expect(page.html).toContain(field === 'whatHappened' ? goodAnswers.referrerPhone : goodAnswers.whatHappened);
      }
    }
    expect((await db().sql`select count(*)::int as n from concerns where what_happened like '%after'`)[0]!.n).toBe(0);
  });

  it('a NUL in a date box, or year 0000, or a date out of range: a message by the date', async () => {
    const { client, base } = await concernForm();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ 'dob-day': '1', 'dob-month': '1', 'dob-year': '0000' }, 'dob', 'The child’s date of birth must be a real date'],
      [{ 'dob-day': '1\u0000', 'dob-month': '1', 'dob-year': '2015' }, 'dob', 'The child’s date of birth must be a real date'],
      [{ 'dob-day': '1', 'dob-month': '1', 'dob-year': '1989' }, 'dob', 'The child’s date of birth must be between 1 January 1990 and today'],
      [{ 'dob-day': '1', 'dob-month': '1', 'dob-year': '9999' }, 'dob', 'The child’s date of birth must be today or in the past'],
      [{ 'when-year': '0000' }, 'when', 'When it happened must be a real date'],
      [{ 'when-year': '1999' }, 'when', 'When it happened must be between 1 January 2000 and today'],
    ];
    for (const [fields, id, message] of cases) {
      for (const step of ['/concerns/check', '/concerns']) {
        const page = await client.post(step, { ...base, ...fields });
        expect(page.status, JSON.stringify(fields)).toBe(400);
        expect(messageBy(page.html, id)).toBe(message);
      }
    }
  });

  it('what the check page accepted can always be sent: emoji, right-to-left text, combining marks and CR LF', async () => {
    const { client, base } = await concernForm();
    const answers = { ...base, childForename: 'Zoe\u0308', childSurname: 'حداد', whatHappened: 'Said “😀👩‍👩‍👧”\r\nthen left.\r\n100% _sure_ \\o/', childWords: 'x'.repeat(4990) + '😀'.repeat(10) };
    const check = await client.post('/concerns/check', answers);
    expect(check.status).toBe(200);
    // Send exactly what the check page carries in its hidden fields, as the browser would.
    const carried = Object.fromEntries([...check.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
      .map(([, name, value]) => [name!, value!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')]));
    const sent = await client.post('/concerns', carried);
    expect(sent.status).toBe(303);
    const [row] = await db().sql`select child_forename, child_surname, what_happened, char_length(child_words) as words from concerns where idempotency_key = ${base.idempotencyKey}`;
    expect(row).toEqual({ child_forename: 'Zoë', child_surname: 'حداد', what_happened: 'Said “😀👩‍👩‍👧”\nthen left.\n100% _sure_ \\o/', words: 5000 });
  });

  it('lookup: a NUL in a field, or year 0000, is a message by the field', async () => {
    const client = await as('ed-clinician');
    const base = { method: 'details', surname: 'Smith', 'dob-day': '1', 'dob-month': '2', 'dob-year': '2015', postcode: 'NB1 1AA', reason: 'Missing child enquiry' };
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ surname: 'Sm\u0000ith' }, 'surname', 'Last name must not contain control characters or unreadable characters (shown as \uFFFD)'],
      [{ postcode: 'NB1\u00001AA' }, 'postcode', 'Postcode must not contain control characters or unreadable characters (shown as \uFFFD)'],
      [{ method: 'nhs', nhsNumber: '943\u0000476 5919' }, 'nhsNumber', 'NHS number must not contain control characters or unreadable characters (shown as \uFFFD)'],
      [{ 'dob-year': '0000' }, 'dob', 'The child’s date of birth must be a real date'],
      [{ 'dob-year': '1985' }, 'dob', 'The child’s date of birth must be between 1 January 1990 and today'],
    ];
    for (const [fields, id, message] of cases) {
      const page = await client.post('/lookup', { ...base, ...fields });
      expect(page.status, JSON.stringify(fields)).toBe(400);
      expect(messageBy(page.html, id)).toBe(message);
      expect(page.html).not.toContain('\u0000');
    }
  });

  it('front door decision: a NUL in the reason or the feedback is a message by it, and the other answer is kept', async () => {
    const client = await as('front-door');
    const base = { match: 'unmatched', decision: 'advice_given', reason: 'Advice given to the school.', feedback: 'Thank you: advice given.' };
    for (const [field, label] of [['reason', 'The reason'], ['feedback', 'Feedback']] as const) {
      const page = await client.post(`/front-door/${concernId}/decision`, { ...base, [field]: 'x\u0000y' });
      expect(page.status).toBe(400);
      expect(messageBy(page.html, field)).toBe(`${label} must not contain control characters or unreadable characters (shown as \uFFFD)`);
      expect(page.html).toContain(field === 'reason' ? base.feedback : base.reason);
    }
    expect((await db().sql`select status from concerns where id = ${concernId}`)[0]!.status).toBe('received');
  });

  it('training: year 0000 and a NUL are messages, not errors', async () => {
    await as('new-deputy-dsl-northbridge-high');
    const id = (await db().sql`select id from users where subject = 'new-deputy-dsl-northbridge-high'`)[0]!.id as string;
    const client = await as('info-governance');
    for (const [year, message] of [['0000', 'must be a real date'], ['20\u000026', 'must be a real date'], ['1999', 'must be between 1 January 2000 and today']]) {
      const page = await client.post(`/training/${id}`, { 'completed-day': '1', 'completed-month': '1', 'completed-year': year! });
      expect(page.status).toBe(400);
      expect(messageBy(page.html, 'completed')).toBe(`The date the training was completed ${message}`);
    }
  });

  it('access log: year 0000, a NUL or a date outside the log’s life is a message by the field', async () => {
    const client = await as('info-governance');
    const cases: Array<[string, string, string]> = [
      ['from=0000-01-01', 'from', 'The start date must be a real date'],
      ['from=2019-12-31', 'from', 'The start date must be between 1 January 2020 and today'],
      ['to=9999-12-31', 'to', 'The end date must be today or in the past'],
      ['from=2026-02-31', 'from', 'The start date must be a real date'],
      ['from=2026-01-01%00', 'from', 'Enter the start date as YYYY-MM-DD'],
      ['child=%00', 'child', 'The child’s name must not contain control characters or unreadable characters (shown as �)'],
      ['from=2026-03-01&to=2026-02-01', 'to', 'The end date must be the same as or after the start date'],
    ];
    for (const [query, id, message] of cases) {
      const page = await client.get(`/governance/access-log?${query}`);
      expect(page.status, query).toBe(400);
      expect(messageBy(page.html, id), query).toBe(message);
    }
    expect((await client.get('/governance/access-log?from=2020-01-01&to=2026-12-01')).status).toBe(200);
  });

  it('children search: a NUL is no error, and %, _ and \\ are matched literally', async () => {
    const client = await as('sw-priya-desai');
    const names = (html: string) => [...html.matchAll(/href="\/children\/[0-9a-f-]{36}">([^<]*)</g)].map((m) => m[1]!);
    const all = names((await client.get('/children')).html);
    expect(all.length).toBeGreaterThan(0);
    for (const wildcard of ['_', '%', '\\', '__', '%25']) {
      const page = await client.get(`/children?name=${encodeURIComponent(wildcard)}`);
      expect(page.status).toBe(200);
      expect(names(page.html), wildcard).toEqual([]);
    }
    const nul = await client.get('/children?name=Sm%00ith');
    expect(nul.status).toBe(200);
    expect(nul.html).toContain('value="Sm\uFFFDith"');
    // A real prefix still finds them.
    const first = all[0]!.split(' ')[0]!;
    expect(names((await client.get(`/children?name=${encodeURIComponent(first.slice(0, 2))}`)).html)).toContain(all[0]);
  });

  it('a child id that is not a UUID raises no concern and is no error: not found', async () => {
    const client = await as('dsl-riverside');
    expect((await client.get('/concerns/new?child=%00')).status).toBe(404);
    expect((await client.get('/concerns/new?child=nope')).status).toBe(404);
  });
});
