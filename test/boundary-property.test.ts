// Property-based: arbitrary text, dates and numbers thrown at every form field and query
// parameter of every route in the app's route table (issue 10, points 2 and 7). For each route,
// signed in as a role that may use it, fast-check sends values built from a valid baseline with
// any of the fields replaced by hostile ones (NUL and other control characters, lone surrogates,
// very long text, right-to-left text, emoji, combining marks, %, _ and \, year 0000 and 9999,
// day 00, month 13, negative numbers, non-digits), and checks:
//
//   1. never a 5xx;
//   2. nothing typed is lost on the page that answers: when the answer is the form again (400,
//      or the 200 pages that show the form or carry the answers), every text field's value is
//      in the page as the page must show it.
//
// "As the page must show it" is worked out here, independently of src/validation/text.ts, from
// the rules the portal promises (docs in that file):
//   - what actually arrives: a browser (and URLSearchParams) sends text as UTF-8, so a lone
//     surrogate arrives as U+FFFD; the value is then what the server received;
//   - CR LF and CR become LF; control characters other than tab and newline become U+FFFD (the
//     page shows where they were; it does not echo the characters themselves, which a browser
//     could not show and PostgreSQL could not store); then Unicode NFC;
//   - trimmed, for the query parameters that the route trims (the access log, view as);
//   - HTML-escaped as eta escapes (& < > " ');
// and that string must occur in the page. Fields that are choices (radios, selects, hidden ids)
// are not echoed as typed by design: a select shows the option chosen, not an unknown value.
//
// The table below names every route's fields. A route in the app that the table does not cover
// fails the test, so a new route must say what it reads (or why it is not exercised here).
//
// Bounded: a fixed seed, RUNS runs per route, no shrinking beyond fast-check's default budget.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../src/seed/demo-organisations.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import type { AppClient } from './support/app-client.ts';
import { goodAnswers, raiseConcern } from './support/concerns.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { AppClient as AnonymousClient } from './support/app-client.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';
import { insertNotification } from './support/encompass-fixtures.ts';
import { NORTHBRIDGE_POLICE } from '../src/seed/demo-organisations.ts';

const SEED = 20_261_201;
const RUNS = 40;

// ---------------------------------------------------------------- arbitrary values

const hostileText = fc.constantFrom(
  '\u0000', 'a\u0000b', 'Smi\u0000th', '\u0001\u0002\u001f', '\u007f', '\u0085', '\u009f', 'line\r\nbreak', 'cr\ronly', 'tab\there',
  '\uD800', 'a\uDC00b', '\uDBFF\uDFFF', '😀', '👩‍👩‍👧‍👦', 'e\u0301', '\u0065\u0301\u0327', 'Å', 'ﬃ', 'مرحبا بالعالم', 'שלום', '\u202Eevil\u202C',
  '%', '_', '\\', '%_\\', "O'Brien", '"quoted"', '<b>bold</b>', '&amp;', '   ', '', ' padded ', '\uFFFD', '\uFEFF', '0', '-1', 'null', 'undefined',
);
const longText = fc.tuple(fc.constantFrom('x', '😀', 'e\u0301', '\u0000', 'ab '), fc.integer({ min: 190, max: 5200 })).map(([unit, n]) => unit.repeat(n));
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: hostileText },
  { weight: 1, arbitrary: longText },
  { weight: 1, arbitrary: fc.tuple(hostileText, fc.string({ maxLength: 10 }), hostileText).map((parts) => parts.join('')) },
);
const numberText = fc.oneof(
  fc.integer({ min: -1_000_000, max: 10_000_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('0', '00', '-0', '1e5', '0x10', '1.5', '９', '٣', '99999999999999999999999', 'Infinity', 'NaN', ' 1 ', '+1'),
);
const day = fc.oneof(numberText, fc.constantFrom('00', '0', '1', '01', '29', '30', '31', '32'), text);
const month = fc.oneof(numberText, fc.constantFrom('00', '0', '1', '02', '12', '13'), text);
const year = fc.oneof(
  fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')),
  fc.constantFrom('0000', '0001', '1899', '1989', '1990', '1999', '2000', '2019', '2020', '2026', '2027', '9999', '10000', '-2026', '26', '２０２６'),
  numberText,
  text,
);
const isoDate = fc.oneof(
  fc.tuple(year, fc.constantFrom('01', '02', '12', '13', '00'), fc.constantFrom('01', '28', '29', '31', '00')).map(([y, m, d]) => `${y}-${m}-${d}`),
  fc.constantFrom('0000-01-01', '0001-01-01', '2019-12-31', '2020-01-01', '2026-02-29', '2026-11-30', '9999-12-31', '2026-1-1', '20260101'),
  text,
);
const uuid = fc.uuid().map(String);
const id = fc.oneof(uuid, text, fc.constantFrom('', '00000000-0000-0000-0000-000000000000', 'not-a-uuid'));

// ---------------------------------------------------------------- the route table

type Echo = 'as typed' | 'trimmed' | 'none';
interface Field {
  name: string;
  /** Where it goes: the query string, the form body, or the path (":name" in the pattern). */
  in: 'query' | 'form' | 'path';
  values: fc.Arbitrary<string>;
  /** A value that gets the route past this field, so runs reach deeper; default ''. */
  baseline?: (ctx: Context) => string;
  echo: Echo;
}
interface RouteCase {
  /** A demo account whose role may use the route, or null for the public routes. */
  as: string | null;
  fields: Field[];
  /** Whether a page answered with `status` shows the form with the values typed. */
  echoes?: (status: number, sent: Record<string, string>) => boolean;
  /** When set, the route is not exercised here, and this says why. */
  notExercised?: string;
}
interface Context {
  childIds: string[];
  concernId: () => Promise<string>;
  partnerId: string;
  schoolId: string;
  reference: string;
  /** A police notification to Riverside not yet acknowledged (a new one once a run acknowledged it). */
  encompassId: () => Promise<string>;
}

const q = (name: string, values: fc.Arbitrary<string>, echo: Echo = 'none', baseline?: Field['baseline']): Field => ({ name, in: 'query', values, echo, baseline });
const f = (name: string, values: fc.Arbitrary<string>, echo: Echo = 'none', baseline?: Field['baseline']): Field => ({ name, in: 'form', values, echo, baseline });
const p = (name: string, values: fc.Arbitrary<string>, baseline: Field['baseline']): Field => ({ name, in: 'path', values, echo: 'none', baseline });
const choice = (...options: string[]) => fc.oneof(fc.constantFrom(...options), text);

const concernFields: Field[] = [
  f('idempotencyKey', fc.oneof(uuid, text), 'none', () => crypto.randomUUID()),
  f('childId', fc.oneof(fc.constant(''), id), 'none'),
  ...['childForename', 'childSurname', 'childNhsNumber', 'childUpn', 'childAddress', 'childPostcode'].map((name) => f(name, text, 'as typed', () => (name === 'childForename' ? 'Sam' : ''))),
  f('dob-day', day, 'as typed'), f('dob-month', month, 'as typed'), f('dob-year', year, 'as typed'),
  f('category', choice('neglect', 'physical_abuse', 'sexual_abuse', 'emotional_abuse'), 'none', () => goodAnswers.category),
  f('categories', choice('neglect', 'neglect,self_harm', 'physical_abuse,missing,other', ''), 'none', () => goodAnswers.categories),
  f('mainAsked', choice('yes', ''), 'none'),
  f('whatHappened', text, 'as typed', () => goodAnswers.whatHappened),
  f('when-day', day, 'as typed', () => goodAnswers['when-day']), f('when-month', month, 'as typed', () => goodAnswers['when-month']), f('when-year', year, 'as typed', () => goodAnswers['when-year']),
  f('childWords', text, 'as typed'),
  f('immediateRisk', choice('yes', 'no'), 'none', () => 'no'),
  f('actionsTaken', text, 'as typed'),
  f('parentsAware', choice('yes', 'no'), 'none', () => 'yes'),
  f('parentsNotAwareReason', text, 'as typed'),
  f('referrerPhone', fc.oneof(text, fc.constantFrom('01632 960 001', '+44 (0)1632 960001')), 'as typed', () => goodAnswers.referrerPhone),
  f('referrerEmail', fc.oneof(text, fc.constantFrom('a@b.example', 'ü@例え.テスト')), 'as typed', () => goodAnswers.referrerEmail),
];
/** The concern form shows the child's boxes only when the concern is not about a known child. */
const concernEchoes = (status: number, sent: Record<string, string>) => status === 400 || status === 200;
const childBoxes = new Set(['childForename', 'childSurname', 'childNhsNumber', 'childUpn', 'childAddress', 'childPostcode', 'dob-day', 'dob-month', 'dob-year']);

/** A police notification (Operation Encompass): the incident, one child, the contact. */
const encompassFields: Field[] = [
  f('idempotencyKey', fc.oneof(uuid, text), 'none', () => crypto.randomUUID()),
  f('policeReference', text, 'as typed', () => 'NB-20261201-0412'),
  f('incident-day', day, 'as typed', () => '1'), f('incident-month', month, 'as typed', () => '12'), f('incident-year', year, 'as typed', () => '2026'),
  f('incidentTime', fc.oneof(text, fc.constantFrom('21:40', '24:00', '9.05')), 'as typed', () => '21:40'),
  f('account', text, 'as typed', () => 'Officers attended a domestic argument.'),
  f('childCount', fc.oneof(numberText, text), 'none', () => '1'),
  ...['forename', 'surname', 'nhsNumber', 'upn', 'address', 'postcode', 'words'].map((name) =>
    f(`child-1-${name}`, text, 'as typed', () => ({ forename: 'Sam', surname: 'Nobody', postcode: 'NB9 9ZZ' } as Record<string, string>)[name] ?? '')),
  f('child-1-dob-day', day, 'as typed', () => '1'), f('child-1-dob-month', month, 'as typed', () => '2'), f('child-1-dob-year', year, 'as typed', () => '2015'),
  f('child-1-present', choice('yes', 'no'), 'none', () => 'yes'), f('child-1-spokenTo', choice('yes', 'no'), 'none', () => 'yes'),
  f('contactName', text, 'as typed', () => 'DC Sam Reid'), f('contactPhone', fc.oneof(text, fc.constantFrom('01632 960 777')), 'as typed', () => '01632 960 777'),
  f('contactEmail', text, 'as typed'),
];

/** The access log's search (and its CSV export): a child by name, NHS number or id; who; when (date inputs). */
const accessLogSearchFields: Field[] = [
  q('child', fc.oneof(id, text, fc.constantFrom('943 476 5919', '9434765918', '1234567890', 'Smith')), 'trimmed'),
  q('dob-day', day, 'trimmed'), q('dob-month', month, 'trimmed'), q('dob-year', year, 'trimmed'), q('pick', id),
  q('person', text, 'trimmed'), q('user', id), q('organisation', id), q('role', choice('education.dsl', 'council.front_door')),
  q('action', choice('view_summary', 'lookup', 'view_list', 'submit_concern', 'decide_concern')),
  q('from-day', day, 'trimmed'), q('from-month', month, 'trimmed'), q('from-year', year, 'trimmed'),
  q('to-day', day, 'trimmed'), q('to-month', month, 'trimmed'), q('to-year', year, 'trimmed'),
  // A day from a link, as YYYY-MM-DD: shown in the boxes only when it is a real date.
  q('from', isoDate), q('to', isoDate), q('before', numberText),
];

const routeTable: Record<string, RouteCase> = {
  // Public, before sign-in.
  'GET /': { as: null, fields: [] },
  'GET /sign-in': { as: null, fields: [q('return_to', fc.oneof(text, fc.constantFrom('/children', '//evil.example', '/\\evil', '/%00')))] },
  'GET /sign-in/:provider': { as: null, fields: [], notExercised: 'starts an OpenID Connect sign-in against a live identity provider, which the in-process app does not run (its return_to is stored: see the report)' },
  'GET /auth/callback': { as: null, fields: [], notExercised: 'needs a sign-in attempt started at a live identity provider (test/auth.test.ts covers its refusals)' },
  'GET /signed-out': { as: null, fields: [] },
  'GET /timed-out': { as: null, fields: [q('return_to', fc.oneof(text, fc.constantFrom('/children', '//evil.example', '/\\evil', '/%00')))] },
  'GET /healthz': { as: null, fields: [] },
  'GET /readyz': { as: null, fields: [] },
  'GET /metrics': { as: null, fields: [] },
  'GET /assets/portal.css': { as: null, fields: [] },
  'GET /assets/portal.js': { as: null, fields: [] },
  'GET /assets/favicon.svg': { as: null, fields: [] },
  'GET /assets/govuk-frontend.min.js': { as: null, fields: [] },
  'GET /assets/htmx.min.js': { as: null, fields: [] },
  'GET /assets/images/*': { as: null, fields: [p('*', text, () => 'favicon.ico')] },

  // Signed in.
  'GET /choose-role': { as: 'gp-two-practices', fields: [] },
  'POST /choose-role': { as: 'gp-two-practices', fields: [f('assignment', fc.oneof(numberText, text), 'none', () => '0')] },
  'POST /sign-out': { as: 'dsl-riverside', fields: [], notExercised: 'reads nothing, and would end the session the other runs use' },
  'POST /session/keep-alive': { as: 'dsl-riverside', fields: [] },
  'GET /children': {
    as: 'dsl-riverside',
    fields: [q('name', text, 'as typed'), q('status', choice('child_in_need', 'child_protection', 'looked_after')), q('page', numberText),
      q('sort', choice('name', 'nextReviewDate')), q('order', choice('ascending', 'descending'))],
    echoes: (status) => status === 200,
  },
  'GET /children/:id': {
    as: 'dsl-riverside',
    fields: [p('id', id, (ctx) => ctx.childIds[0]!), q('agency', choice('council', 'education', 'health', 'police')), q('viewed', numberText), q('views', choice('all'))],
  },
  'GET /lookup': { as: 'ed-clinician', fields: [] },
  'POST /lookup': {
    as: 'ed-clinician',
    fields: [
      f('method', choice('nhs', 'details'), 'none', () => 'details'),
      f('nhsNumber', fc.oneof(text, fc.constantFrom('943 476 5919', '9434765918')), 'as typed'),
      f('surname', text, 'as typed', () => 'Smith'),
      f('dob-day', day, 'as typed', () => '1'), f('dob-month', month, 'as typed', () => '2'), f('dob-year', year, 'as typed', () => '2015'),
      f('postcode', fc.oneof(text, fc.constantFrom('NB1 1AA', 'nb11aa')), 'as typed', () => 'NB1 1AA'),
      f('reason', choice('Missing child enquiry', 'Child admitted to hospital'), 'none', () => 'Missing child enquiry'),
      f('incidentReference', fc.oneof(text, fc.constantFrom('ED/2026/0042', 'x'.repeat(40), 'x'.repeat(41))), 'as typed'),
    ],
    // The result carries what was typed on to "Raise a concern" (views/lookup/result.eta).
    echoes: (status) => status === 400 || status === 200,
  },
  'GET /governance/access-log': {
    as: 'info-governance',
    fields: accessLogSearchFields,
    echoes: (status) => status === 200 || status === 400,
  },
  // The same search as CSV; a search that cannot run (a mistake, children to choose from) is the page.
  'GET /governance/access-log.csv': {
    as: 'info-governance',
    fields: accessLogSearchFields,
    echoes: (status) => status === 400,
  },
  'GET /governance/view-as': {
    as: 'info-governance',
    fields: [q('role', choice('education.dsl', 'council.social_worker', 'health.gp'), 'none', () => 'education.dsl'), q('organisation', id, 'none', (ctx) => ctx.schoolId),
      q('worker', id), q('child', id, 'trimmed', (ctx) => ctx.childIds[0]!), q('reason', text, 'trimmed', () => 'Quarterly audit')],
    echoes: (status) => status === 200 || status === 400,
  },
  'GET /governance/unusual-activity': { as: 'info-governance', fields: [] },
  'GET /concerns/new': { as: 'dsl-riverside', fields: [q('child', fc.oneof(fc.constant(''), id), 'none')] },
  'POST /concerns/new': { as: 'dsl-riverside', fields: [q('check', choice('childForename', 'dob', 'when', 'whatHappened', 'referrerPhone')), ...concernFields], echoes: concernEchoes },
  'POST /concerns/check': { as: 'dsl-riverside', fields: concernFields, echoes: concernEchoes },
  'POST /concerns/from-lookup': {
    as: 'police-ppu',
    fields: [
      f('method', choice('nhs', 'details'), 'none', () => 'details'),
      f('nhsNumber', fc.oneof(text, fc.constantFrom('943 476 5919', '9434765918')), 'none'),
      f('surname', text, 'none', () => 'Smith'),
      f('dob-day', day, 'none', () => '1'), f('dob-month', month, 'none', () => '2'), f('dob-year', year, 'none', () => '2015'),
      f('postcode', fc.oneof(text, fc.constantFrom('NB1 1AA', 'nb11aa')), 'none', () => 'NB1 1AA'),
      f('reason', choice('Missing child enquiry'), 'none'),
    ],
  },
  'POST /concerns': { as: 'dsl-riverside', fields: concernFields, echoes: (status) => status === 400 },
  'GET /concerns/:reference': { as: 'dsl-riverside', fields: [p('reference', fc.oneof(text, fc.constantFrom('SPP-2026-000001', 'SPP-0000-000000', 'SPP-2026-99999999999999999999')), (ctx) => ctx.reference),
    q('sent', choice('1'))] },
  'POST /concerns/:reference/follow-ups': {
    as: 'dsl-riverside',
    fields: [p('reference', fc.oneof(text, fc.constantFrom('SPP-2026-000001', 'SPP-0000-000000')), (ctx) => ctx.reference),
      f('followUp', text, 'as typed', () => 'Her brother said their father came back last night.'), f('idempotencyKey', id, 'none', () => randomUUID())],
    echoes: (status) => status === 400,
  },
  'GET /encompass': { as: 'police-ppu', fields: [q('page', numberText)] },
  'GET /encompass/new': { as: 'police-ppu', fields: [] },
  'POST /encompass/new': { as: 'police-ppu', fields: [...encompassFields, f('addChild', choice('yes'), 'none')], echoes: (status) => status === 200 },
  'POST /encompass/check': { as: 'police-ppu', fields: encompassFields, echoes: (status) => status === 200 || status === 400 },
  'POST /encompass': { as: 'police-ppu', fields: encompassFields, echoes: (status) => status === 400 },
  'GET /encompass/sent/:reference': { as: 'police-ppu', fields: [p('reference', fc.oneof(text, fc.constantFrom('OE-2026-000001', 'OE-0000-000000', 'OE-2026-99999999999999999999')), () => 'OE-2026-000001'),
    q('changed', choice('1'))] },
  'POST /alerts/:id/read': { as: 'sw-priya-desai', fields: [p('id', fc.oneof(text, numberText, fc.constantFrom('1', '0', '99999999999999999999')), () => '1')] },
  'GET /submissions': { as: 'dsl-riverside', fields: [q('status', choice('sent', 'being_considered', 'decided')), q('sentBy', choice('me', 'organisation')), q('page', numberText)] },
  'GET /front-door': {
    as: 'front-door',
    fields: [q('status', choice('open', 'decided', 'all')), q('agency', choice('education', 'health', 'police')), q('category', choice('neglect')), q('page', numberText)],
  },
  'GET /front-door/:id': {
    as: 'front-door',
    fields: [p('id', id, () => ''), q('recorded', fc.oneof(numberText, text)),
      // The search by hand for the concern's child: shown again in its boxes on the page.
      q('search-name', text, 'as typed', () => 'Sam Smith'), q('search-dob-day', day, 'as typed'), q('search-dob-month', month, 'as typed'),
      q('search-dob-year', year, 'as typed'), q('search-identifier', text, 'as typed')],
    echoes: (status) => status === 200,
  },
  'POST /front-door/:id/decision': {
    as: 'front-door',
    fields: [
      p('id', id, () => ''),
      f('match', choice('unmatched', ''), 'none', () => 'unmatched'),
      f('decision', choice('no_further_action', 'advice_given', 'early_help', 'passed_to_allocated_worker', 'section_17', 'section_47'), 'none', () => 'advice_given'),
      f('reason', text, 'as typed', () => 'Advice given to the school.'),
      f('feedback', text, 'as typed', () => 'Thank you: advice given.'),
      // The concern's version as the page showed it: never shown back as sent (the page shows the current one).
      f('seenVersion', fc.oneof(numberText, text), 'none'),
    ],
    echoes: (status) => status === 400,
  },
  'POST /front-door/:id/assign': {
    as: 'front-door',
    fields: [p('id', id, () => ''), f('assignee', fc.oneof(fc.constant(''), id), 'none')],
  },
  'GET /training': {
    as: 'info-governance',
    fields: [q('recorded', id), q('organisation', fc.oneof(id, fc.constant(''))), q('status', choice('current', 'renewal_due', 'not_recorded'))],
  },
  'GET /training/:id': { as: 'info-governance', fields: [p('id', id, (ctx) => ctx.partnerId)] },
  'POST /training/:id': {
    as: 'info-governance',
    fields: [p('id', id, (ctx) => ctx.partnerId), f('completed-day', day, 'as typed', () => '14'), f('completed-month', month, 'as typed', () => '9'), f('completed-year', year, 'as typed', () => '2026')],
    echoes: (status) => status === 400,
  },
  'GET /dev/sent-messages': { as: 'front-door', fields: [] },
  'GET /governance/messages': {
    as: 'info-governance',
    fields: [q('status', choice('queued', 'sent', 'delivered', 'failed')), q('before', numberText), q('retried', numberText)],
  },
  'POST /governance/messages/:id/retry': { as: 'info-governance', fields: [p('id', fc.oneof(text, numberText, fc.constantFrom('1', '0', '99999999999999999999')), () => '1')] },
  'GET /imports': { as: 'data-officer', fields: [q('page', numberText)] },
  'GET /imports/new': { as: 'data-officer', fields: [q('source', choice('ssd', 'flags', 'cin-census'))] },
  // The form without its files (url-encoded, as this test sends): the form again, the source kept
  // (a choice, not echoed as typed). Multipart uploads are tested in import-pages.test.ts.
  'POST /imports': { as: 'data-officer', fields: [f('source', choice('ssd', 'school-roll'), 'none', () => 'ssd')] },
  'GET /imports/held': { as: 'data-officer', fields: [q('resolved', choice('loaded', 'dismissed'))] },
  'GET /imports/held/:run/:seq': { as: 'data-officer', fields: [p('run', id, () => randomUUID()), p('seq', fc.oneof(numberText, text), () => '1')] },
  'POST /imports/held/:run/:seq': {
    as: 'data-officer',
    fields: [p('run', id, () => randomUUID()), p('seq', fc.oneof(numberText, text), () => '1'), f('choice', fc.oneof(choice('dismiss', 'retry'), id.map((v) => `child:${v}`)))],
  },
  'GET /imports/:id': { as: 'data-officer', fields: [p('id', id, () => randomUUID()), q('page', numberText)] },
  'GET /imports/:id/progress': { as: 'data-officer', fields: [p('id', id, () => randomUUID())] },
  'GET /imports/:id/report.csv': { as: 'data-officer', fields: [p('id', id, () => randomUUID())] },
  'GET /encompass/inbox': { as: 'dsl-riverside', fields: [] },
  'GET /encompass/inbox/:id': { as: 'dsl-riverside', fields: [p('id', id, () => ''), q('acknowledged', fc.oneof(numberText, text))] },
  'POST /encompass/inbox/:id/acknowledge': {
    as: 'dsl-riverside',
    fields: [p('id', id, () => ''), f('action', choice('key_adult_informed', 'support_in_place', 'no_action', 'other', ''), 'none', () => 'other'), f('detail', text, 'as typed', () => 'Key adult told before registration.')],
    echoes: (status) => status === 400,
  },
  'GET /encompass/figures': { as: 'info-governance', fields: [] },
  'GET /encompass/figures.csv': { as: 'police-ppu', fields: [] },
  'GET /figures': { as: 'tm-helen-whitaker', fields: [q('from-day', day), q('from-month', month), q('from-year', year), q('to-day', day), q('to-month', month), q('to-year', year), q('view', choice('shared', 'internal'))] },
  'GET /figures/:file': { as: 'info-governance', fields: [p('file', choice('referral-sources', 'repeats.csv', 'partner-looks', 'audit-grades.csv'), () => 'referral-sources'), ...[q('from-day', day), q('from-month', month), q('from-year', year), q('to-day', day), q('to-month', month), q('to-year', year), q('view', choice('shared', 'internal'))]] },
  'GET /forms': { as: 'dsl-riverside', fields: [] },
  'GET /forms/:form': { as: 'dsl-riverside', fields: [p('form', choice('concern', 'decision', 'encompass'), () => 'concern')] },
  'GET /documents': { as: 'front-door', fields: [] },
  'GET /documents/folders/unmatched': { as: 'front-door', fields: [] },
  'GET /documents/folders/:childId': { as: 'front-door', fields: [p('childId', id, (ctx) => ctx.childIds[0]!)] },
  'GET /documents/folders/:childId/export': { as: 'front-door', fields: [p('childId', id, (ctx) => ctx.childIds[0]!)] },
  'GET /documents/:id/download': { as: 'front-door', fields: [p('id', id, () => crypto.randomUUID())] },
  'GET /case-audits': { as: 'quality-lead', fields: [] },
  'GET /case-audits/samples/new': { as: 'quality-lead', fields: [] },
  'POST /case-audits/samples': {
    as: 'quality-lead',
    fields: [f('month', fc.oneof(isoDate, choice(`${new Date().toISOString().slice(0, 7)}-01`)), 'none', () => `${new Date().toISOString().slice(0, 7)}-01`),
      f('agency', choice('education', 'health', 'police', '')), f('outcome', choice('advice_given', 'early_help', '')), f('immediateRisk', choice('any', 'yes', 'no'), 'none', () => 'any'),
      f('size', fc.oneof(numberText, text), 'none', () => '3'), f('seed', fc.oneof(numberText, text), 'none')],
  },
  'GET /case-audits/samples/:id': { as: 'quality-lead', fields: [p('id', id, () => randomUUID())] },
  'GET /case-audits/samples/:id/concerns/:concernId': { as: 'quality-lead', fields: [p('id', id, () => randomUUID()), p('concernId', id, () => randomUUID()), q('saved', numberText)] },
  'POST /case-audits/samples/:id/concerns/:concernId': {
    as: 'quality-lead',
    fields: [p('id', id, () => randomUUID()), p('concernId', id, () => randomUUID()), f('version', fc.oneof(numberText, text), 'none', () => '0'), f('intent', choice('draft', 'check'), 'none'),
      f('grade-timeliness', choice('exceeds_good', 'meets_good')), f('evaluation-timeliness', text), f('action-1-what', text), f('action-1-who', id),
      f('action-1-due-day', day), f('action-1-due-month', month), f('action-1-due-year', year)],
  },
  'GET /case-audits/samples/:id/concerns/:concernId/check': { as: 'quality-lead', fields: [p('id', id, () => randomUUID()), p('concernId', id, () => randomUUID())] },
  'POST /case-audits/samples/:id/concerns/:concernId/complete': {
    as: 'quality-lead', fields: [p('id', id, () => randomUUID()), p('concernId', id, () => randomUUID()), f('version', fc.oneof(numberText, text), 'none')],
  },
  'GET /case-audits/actions/:id': { as: 'sw-priya-desai', fields: [p('id', id, () => randomUUID())] },
  'POST /case-audits/actions/:id': { as: 'sw-priya-desai', fields: [p('id', id, () => randomUUID()), f('note', text)] },
  'GET /case-audits/:id': { as: 'info-governance', fields: [p('id', id, () => randomUUID()), q('version', numberText), q('completed', choice('1'))] },
};

// ---------------------------------------------------------------- how a value must come back

/** What arrives when a browser sends the value: UTF-8, so a lone surrogate becomes U+FFFD. */
const sentAsUtf8 = (value: string) => Buffer.from(value, 'utf8').toString('utf8');
const eta = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as Record<string, string>;
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => eta[c]!);
/** The value as the page must show it (see the top of this file). */
function shownAs(value: string, echo: Echo): string {
  const shown = sentAsUtf8(value)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '\uFFFD')
    .normalize('NFC');
  return escapeHtml(echo === 'trimmed' ? shown.trim() : shown);
}

// ---------------------------------------------------------------- the app

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);
const ctx: Context = { childIds: [], concernId: async () => '', partnerId: '', schoolId: '', reference: '', encompassId: async () => '' };

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 40, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  const children = await (await as('dsl-riverside')).get('/children');
  ctx.childIds = [...new Set([...children.html.matchAll(/href="\/children\/([0-9a-f-]{36})"/g)].map((m) => m[1]!))];
  await as('new-deputy-dsl-northbridge-high');
  ctx.partnerId = (await db().sql`select id from users where subject = 'new-deputy-dsl-northbridge-high'`)[0]!.id as string;
  ctx.schoolId = (await db().sql`select id from organisations where urn = ${DEMO_SCHOOLS[0]!.urn}`)[0]!.id as string;
  // A concern waiting for a decision; a new one once a run has decided it.
  let current: string | null = null;
  ctx.concernId = async () => {
    if (current) {
      const [row] = await db().sql`select status from concerns where id = ${current}`;
      if (row?.status === 'received') return current;
    }
    const reference = await raiseConcern(await as('dsl-riverside'), app, { childForename: 'Sam', childSurname: 'Smith' });
    current = (await db().sql`select id from concerns where reference = ${reference}`)[0]!.id as string;
    return current;
  };
  await ctx.concernId();
  ctx.reference = (await db().sql`select reference from concerns limit 1`)[0]!.reference as string;
  // A police notification to Riverside; a new one once a run has acknowledged it.
  let notification: string | null = null;
  ctx.encompassId = async () => {
    if (notification) {
      const [row] = await db().sql`select acknowledged_at from encompass_notifications where id = ${notification}`;
      if (!row?.acknowledged_at) return notification;
    }
    const userId = (await db().sql`select id from users where subject = 'new-deputy-dsl-northbridge-high'`)[0]!.id as string;
    notification = (await insertNotification(db().sql, { schoolId: ctx.schoolId, forceId: NORTHBRIDGE_POLICE.id, sentByUserId: userId, sentAt: new Date(), dueAt: new Date(Date.now() + 86_400_000) })).id;
    return notification;
  };
}, 60_000);
afterAll(() => app?.close());

/** Per route: how often each status came back, and how many values were compared on a page. */
const seen = new Map<string, { statuses: Record<number, number>; compared: number }>();
afterAll(() => {
  const lines = [...seen].map(([route, s]) => `${route}: ${Object.entries(s.statuses).map(([k, v]) => `${k}×${v}`).join(' ')}${s.compared ? `, ${s.compared} values compared` : ''}`);
  console.info(`boundary property test (seed ${SEED}, ${RUNS} runs per route):\n  ${lines.join('\n  ')}`);
});

async function send(route: string, routeCase: RouteCase, values: Record<string, string | undefined>) {
  const [method, pattern] = route.split(' ') as ['GET' | 'POST', string];
  const chosen: Record<string, string> = {};
  for (const field of routeCase.fields) {
    let value = values[field.name];
    if (value === undefined) {
      value = field.baseline ? field.baseline(ctx) : '';
      if (field.in === 'path' && value === '' && pattern.startsWith('/front-door/:id')) value = await ctx.concernId();
      if (field.in === 'path' && value === '' && pattern.startsWith('/encompass/inbox/:id')) value = await ctx.encompassId();
    }
    chosen[field.name] = value;
  }
  let path = pattern;
  for (const field of routeCase.fields.filter((x) => x.in === 'path')) {
    path = path.replace(field.name === '*' ? '*' : `:${field.name}`, encodeURIComponent(sentAsUtf8(chosen[field.name]!)));
  }
  const url = new URL(path, app.baseUrl);
  for (const field of routeCase.fields.filter((x) => x.in === 'query')) url.searchParams.set(field.name, chosen[field.name]!);
  const client: AppClient = routeCase.as ? await as(routeCase.as) : new AnonymousClient(app);
  const target = `${url.pathname}${url.search}`;
  const form = Object.fromEntries(routeCase.fields.filter((x) => x.in === 'form').map((x) => [x.name, chosen[x.name]!]));
  const page = method === 'GET' ? await client.get(target) : await client.post(target, form);
  return { page, chosen };
}

describe('every form field and query parameter, with arbitrary input', () => {
  it('the table covers every route in the app', () => {
    const routes = [...new Set(app.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
    expect(routes.filter((route) => !(route in routeTable)), 'routes missing from the table in this file').toEqual([]);
    expect(Object.keys(routeTable).filter((route) => !routes.includes(route)), 'routes in the table that the app no longer has').toEqual([]);
  });

  for (const [route, routeCase] of Object.entries(routeTable)) {
    const run = routeCase.notExercised ? it.skip : it;
    run(`${route}: never a 5xx, and nothing typed is lost${routeCase.notExercised ? ` (not exercised: ${routeCase.notExercised})` : ''}`, async () => {
      // Each field: its baseline (undefined) or a hostile value.
      // A route with many fields gets fewer hostile ones per run (about three), so some runs get
      // past every check and store what they sent.
      const keep = Math.max(1, Math.round(routeCase.fields.length / 3));
      const values = fc.record(Object.fromEntries(routeCase.fields.map((field) => [field.name, fc.oneof({ weight: keep, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: field.values })])));
      await fc.assert(
        fc.asyncProperty(values, async (generated) => {
          const { page, chosen } = await send(route, routeCase, generated as Record<string, string | undefined>);
          const stats = seen.get(route) ?? { statuses: {}, compared: 0 };
          seen.set(route, stats);
          stats.statuses[page.status] = (stats.statuses[page.status] ?? 0) + 1;
          if (page.status >= 500) throw new Error(`${route} answered ${page.status} to ${JSON.stringify(chosen)}`);
          if (!routeCase.echoes?.(page.status, chosen)) return;
          for (const field of routeCase.fields) {
            if (field.echo === 'none') continue;
            if (route.includes('/concerns') && chosen.childId && childBoxes.has(field.name)) continue;
            const expected = shownAs(chosen[field.name]!, field.echo);
            stats.compared++;
            if (!page.html.includes(expected)) {
              throw new Error(`${route} (${page.status}) lost ${field.name}: sent ${JSON.stringify(chosen[field.name]!.slice(0, 80))}, expected ${JSON.stringify(expected.slice(0, 80))} in the page`);
            }
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: false },
      );
      // Not vacuous: a route that echoes what it is sent had pages to compare.
      if (routeCase.fields.some((field) => field.echo !== 'none')) expect(seen.get(route)?.compared, `${route}: no page was compared`).toBeGreaterThan(0);
    }, 120_000);
  }
});

