// Lookups give nothing away that the policy withholds (issue 10, point 7):
// - the emergency department's answer for a child known to social care without a child
//   protection plan or looked-after status is the very same page as for a child not known at all;
// - where a child's address is withheld, the postcode plays no part in matching, so a lookup by
//   name, date of birth and postcode neither confirms nor denies the withheld postcode.
// Byte for byte, through the real app, with the sessions real sign-ins make. The result echoes
// what was typed (and carries it to "Raise a concern"), so pages for different input are
// compared with what was typed replaced by a placeholder: nothing else may differ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupReasons } from '../src/lookup/form.ts';
import { seedDemoData } from '../src/seed/insert.ts';
import { useTestDatabase } from './support/database.ts';
import { demoClients } from './support/demo-session.ts';
import { buildTestApp, type InProcessApp } from './support/in-process-app.ts';

const UNKNOWN_NHS_NUMBER = '9434765919';
const reason = lookupReasons[0];

const db = useTestDatabase();
let app: InProcessApp;
const as = demoClients(() => app);

interface Child { id: string; nhsNumber: string; surname: string; dateOfBirth: string; postcode: string }
let childInNeed: Child;
let withheld: Child;
let notWithheld: Child;

const byKinds = (kinds: string) => db().sql<Child[]>`
  select c.id, c.nhs_number as "nhsNumber", c.surname, c.date_of_birth::text as "dateOfBirth", c.postcode
  from children c
  where not c.sealed and c.nhs_number is not null and c.postcode is not null
    and (select string_agg(distinct i.kind, ',' order by i.kind) from involvements i where i.child_id = c.id and i.end_date is null) = ${kinds}
    and (select count(*) from children d where lower(d.surname) = lower(c.surname) and d.date_of_birth = c.date_of_birth) = 1
  order by c.id limit 2`;

beforeAll(async () => {
  await seedDemoData(db().sql, { children: 120, referenceDate: '2026-11-23' });
  app = await buildTestApp(db().sql);
  const [inNeed] = await byKinds('child_in_need');
  const [onPlan, alsoOnPlan] = await byKinds('child_protection');
  if (!inNeed || !onPlan || !alsoOnPlan) throw new Error('the demo data has no child in need or too few on a plan');
  [childInNeed, withheld, notWithheld] = [inNeed, onPlan, alsoOnPlan];
  await db().sql`update children set address_withheld = (id = ${withheld.id}) where id in (${withheld.id}, ${notWithheld.id})`;
});
afterAll(async () => {
  await app?.close();
});

async function lookUp(sub: string, fields: Record<string, string>): Promise<{ status: number; html: string }> {
  const { status, html } = await (await as(sub)).post('/lookup', { reason, ...fields });
  return { status, html };
}

const spaced = (nhsNumber: string) => nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3');

/**
 * The page with the echoes of these typed values replaced: a hidden field's value, and a cell
 * or heading that is the value alone (an NHS number spaced as people read it).
 */
function typedReplaced(html: string, typed: string[]): string {
  return typed.reduce((page, value) => page
    .replaceAll(`value="${value}"`, 'value="«typed»"')
    .replaceAll(`>${value}<`, '>«typed»<')
    .replaceAll(`>${spaced(value)}<`, '>«typed»<'), html);
}

const byDetails = (child: Pick<Child, 'surname' | 'dateOfBirth'>, postcode: string) => {
  const [year, month, day] = child.dateOfBirth.split('-');
  return { method: 'details', surname: child.surname, 'dob-day': String(Number(day)), 'dob-month': String(Number(month)), 'dob-year': year!, postcode };
};

describe('the emergency department', () => {
  it('gets the same page for a child in need as for a child not known at all, by NHS number', async () => {
    const known = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: childInNeed.nhsNumber });
    const unknown = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: UNKNOWN_NHS_NUMBER });
    expect(unknown.html).toContain('No record found');
    expect(known.status).toBe(unknown.status);
    expect(known.html).toContain(`>${spaced(childInNeed.nhsNumber)}<`);
    expect(typedReplaced(known.html, [childInNeed.nhsNumber])).toBe(typedReplaced(unknown.html, [UNKNOWN_NHS_NUMBER]));
  });

  it('and by name, date of birth and postcode', async () => {
    const known = await lookUp('ed-clinician', byDetails(childInNeed, childInNeed.postcode));
    const unknown = await lookUp('ed-clinician', byDetails({ surname: 'Nobody-at-all', dateOfBirth: childInNeed.dateOfBirth }, childInNeed.postcode));
    expect(typedReplaced(known.html, [childInNeed.surname])).toBe(typedReplaced(unknown.html, ['Nobody-at-all']));
  });

  it('still finds a child on a plan (the check is not vacuous)', async () => {
    const found = await lookUp('ed-clinician', { method: 'nhs', nhsNumber: withheld.nhsNumber });
    expect(found.html).toContain('Record found');
  });
});

describe.each(['police-ppu', 'ed-clinician'])('%s, looking up by name, date of birth and postcode', (sub) => {
  it('gets the same answer for a child whose address is withheld whatever postcode is given', async () => {
    const right = await lookUp(sub, byDetails(withheld, withheld.postcode));
    const wrong = await lookUp(sub, byDetails(withheld, 'ZZ99 9ZZ'));
    const other = await lookUp(sub, byDetails(withheld, notWithheld.postcode));
    expect(right.html).toContain('Record found');
    expect(typedReplaced(wrong.html, ['ZZ99 9ZZ'])).toBe(typedReplaced(right.html, [withheld.postcode]));
    expect(typedReplaced(other.html, [notWithheld.postcode])).toBe(typedReplaced(right.html, [withheld.postcode]));
    // Typed something else, the page holds the withheld postcode nowhere.
    expect(wrong.html).not.toContain(withheld.postcode);
  });

  it('but a child whose address is not withheld is found only with the right postcode', async () => {
    expect((await lookUp(sub, byDetails(notWithheld, notWithheld.postcode))).html).toContain('Record found');
    expect((await lookUp(sub, byDetails(notWithheld, 'ZZ99 9ZZ'))).html).toContain('No record found');
  });
});
