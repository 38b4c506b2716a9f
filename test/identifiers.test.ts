// NHS number and UPN checks, in TypeScript (src/identifiers/) and in the database
// (migrations/001_identifier_checks.sql). Users see the TypeScript messages; the database is
// the last line of defence. Both must give the same answer for every input, so each case runs
// through both, and a few thousand generated ones are compared in bulk.
import { describe, expect, it } from 'vitest';
import { checkNhsNumber, isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from '../src/identifiers/nhs-number.ts';
import { checkUpn, isValidUpn, normaliseUpn, upnCheckLetter } from '../src/identifiers/upn.ts';
import { NORTHBRIDGE_COUNCIL } from '../src/seed/demo-organisations.ts';
import { Random } from '../src/seed/random.ts';
import { useTestDatabase } from './support/database.ts';

// 943 476 5919 is the NHS's own example. For the stem 943476503 the check digit works out as 10,
// so no NHS number starts with those nine digits: all ten endings must be refused.
const NO_VALID_ENDING = '943476503';

const NHS_CASES: Array<[input: string, problem: string | null]> = [
  ['9434765919', null],
  ['943 476 5919', null],
  ['943-476-5919', null],
  ['9990000018', null], // the 999 range the demo data uses
  ['9434765918', 'wrong_check_digit'],
  ['9434765910', 'wrong_check_digit'],
  ['943476591', 'wrong_length'],
  ['94347659190', 'wrong_length'],
  ['94347A5919', 'not_digits'],
  ['943476591O', 'not_digits'], // a letter O for a zero
  ['', 'empty'],
  ...Array.from({ length: 10 }, (_, d): [string, string] => [NO_VALID_ENDING + d, 'wrong_check_digit']),
];

// Worked by hand: digits 9,9,0,2,1,2,3,2,6,0,0,1 at positions 2..13 weigh 190; 190 mod 23 = 6,
// the seventh letter of ABCDEFGHJKLMNPQRTUVWXYZ: G. In a temporary UPN the final A is worth 0,
// giving 177 mod 23 = 16: T.
const UPN_CASES: Array<[input: string, problem: string | null]> = [
  ['G990212326001', null],
  ['T99021232600A', null], // temporary: last character a letter
  ['g990212326001', null], // lower case is normalised
  ['t99021232600a', null],
  ['G990 2123 26001', null],
  ['H990212326001', 'wrong_check_letter'],
  ['G990212326002', 'wrong_check_letter'],
  ['G99021232600', 'wrong_length'],
  ['G9902123260011', 'wrong_length'],
  ['I990212326001', 'wrong_characters'], // I, O and S are never used: too like 1, 0 and 5
  ['O990212326001', 'wrong_characters'],
  ['S990212326001', 'wrong_characters'],
  ['G99021232600I', 'wrong_characters'],
  ['G99021232600O', 'wrong_characters'],
  ['G99021232600S', 'wrong_characters'],
  ['G9902123A6001', 'wrong_characters'],
  ['', 'empty'],
];

describe('NHS numbers in TypeScript', () => {
  it.each(NHS_CASES)('%j → %s', (input, problem) => {
    const result = checkNhsNumber(input);
    expect(result.ok ? null : result.problem).toBe(problem);
    expect(isValidNhsNumber(input)).toBe(problem === null);
  });

  it('has no check digit for a stem whose remainder gives 10', () => {
    expect(nhsCheckDigit(NO_VALID_ENDING)).toBeUndefined();
    expect(nhsCheckDigit('943476591')).toBe(9);
  });

  it('normalises spaces and hyphens only', () => {
    expect(normaliseNhsNumber(' 943 476-5919 ')).toBe('9434765919');
  });
});

describe('UPNs in TypeScript', () => {
  it.each(UPN_CASES)('%j → %s', (input, problem) => {
    const result = checkUpn(input);
    expect(result.ok ? null : result.problem).toBe(problem);
    expect(isValidUpn(input)).toBe(problem === null);
  });

  it('gives the normalised value', () => {
    expect(checkUpn('g990 212326001')).toEqual({ ok: true, value: 'G990212326001' });
  });

  it('works out check letters', () => {
    expect(upnCheckLetter('990212326001')).toBe('G');
    expect(upnCheckLetter('99021232600A')).toBe('T');
    expect(upnCheckLetter('99021232600I')).toBeUndefined();
  });
});

describe('the database functions agree with TypeScript', () => {
  const db = useTestDatabase();

  // The database checks what is stored, which the app has already normalised; so the
  // database's answer for normalise(x) must equal TypeScript's answer for x.
  it.each(NHS_CASES)('is_valid_nhs_number: %j', async (input) => {
    const [row] = await db().sql<{ ok: boolean }[]>`select is_valid_nhs_number(${normaliseNhsNumber(input)}) as ok`;
    expect(row!.ok).toBe(isValidNhsNumber(input));
  });

  it.each(UPN_CASES)('is_valid_upn: %j', async (input) => {
    const [row] = await db().sql<{ ok: boolean }[]>`select is_valid_upn(${normaliseUpn(input)}) as ok`;
    expect(row!.ok).toBe(isValidUpn(input));
  });

  it('refuses un-normalised forms: the app must normalise before storing', async () => {
    const [row] = await db().sql<{ nhs: boolean; upn: boolean }[]>`
      select is_valid_nhs_number('943 476 5919') as nhs, is_valid_upn('g990212326001') as upn`;
    expect(row).toEqual({ nhs: false, upn: false });
  });

  it('agrees on thousands of generated numbers, valid and not', async () => {
    const r = new Random(1);
    const nhs: string[] = [];
    const upns: string[] = [];
    for (let i = 0; i < 3000; i++) {
      // Half with a correct check character (where one exists), half with a random one.
      const stem = String(r.int(0, 999_999_999)).padStart(9, '0');
      nhs.push(stem + (r.chance(0.5) ? (nhsCheckDigit(stem) ?? r.int(0, 9)) : r.int(0, 9)));
      const body = String(r.int(0, 99_999_999_999)).padStart(11, '0') + r.pick([...'0123456789ABCDEFGHJKLMNPQRTUVWXYZIOS']);
      upns.push((r.chance(0.5) ? (upnCheckLetter(body) ?? 'A') : r.pick([...'ABCDEFGHJKLMNPQRTUVWXYZIOS'])) + body);
    }
    const sql = db().sql;
    const nhsRows = await sql<{ ok: boolean }[]>`
      select is_valid_nhs_number(x) as ok from unnest(${sql.array(nhs)}::text[]) with ordinality as t(x, n) order by n`;
    const upnRows = await sql<{ ok: boolean }[]>`
      select is_valid_upn(x) as ok from unnest(${sql.array(upns)}::text[]) with ordinality as t(x, n) order by n`;
    expect(nhsRows.map((row) => row.ok)).toEqual(nhs.map(isValidNhsNumber));
    expect(upnRows.map((row) => row.ok)).toEqual(upns.map(isValidUpn));
    // Both kinds of answer really occurred.
    expect(new Set(nhs.map(isValidNhsNumber))).toEqual(new Set([true, false]));
    expect(new Set(upns.map(isValidUpn))).toEqual(new Set([true, false]));
  });

  describe('check constraints on children', () => {
    const insertChild = async (nhsNumber: string | null, upn: string | null) => {
      const sql = db().sql;
      await sql`
        insert into organisations (id, kind, name, la_code, duty_phone, out_of_hours_phone)
        values (${NORTHBRIDGE_COUNCIL.id}, 'local_authority', ${NORTHBRIDGE_COUNCIL.name}, '990', '0113 496 0000', '0113 496 0999')
        on conflict (id) do nothing`;
      await sql`
        insert into children (local_authority_id, forename, surname, date_of_birth, gender, nhs_number, upn)
        values (${NORTHBRIDGE_COUNCIL.id}, 'Test', 'Child', '2015-04-01', 'female', ${nhsNumber}, ${upn})`;
    };

    it('accept a child with a valid NHS number and UPN', async () => {
      await expect(insertChild('9434765919', 'G990212326001')).resolves.toBeUndefined();
    });

    it('refuse a bad NHS number', async () => {
      await expect(insertChild('9434765918', null)).rejects.toMatchObject({ code: '23514' });
    });

    it('refuse an NHS number written with spaces', async () => {
      await expect(insertChild('943 476 5919', null)).rejects.toMatchObject({ code: '23514' });
    });

    it('refuse a bad UPN', async () => {
      await expect(insertChild(null, 'H990212326001')).rejects.toMatchObject({ code: '23514' });
    });
  });
});
