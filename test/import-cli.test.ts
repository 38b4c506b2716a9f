// `npm run import` as a real child process: its exit codes, the counts and the report it prints,
// the CSV it writes with --report, and its progress on a stderr that is not a terminal. The
// fixture source and merge (test/support/import-fixtures.ts) stand in for the registry's.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProgressDisplay, progressLine } from '../src/imports/progress.ts';
import { useTestDatabase } from './support/database.ts';
import { runImportCli } from './support/import-cli.ts';
import { createFixtureTable, fixtureCsv, insertCouncil } from './support/import-fixtures.ts';

const database = useTestDatabase();
let dir: string;

beforeAll(async () => {
  await insertCouncil(database().sql);
  await createFixtureTable(database().sql);
  dir = await mkdtemp(path.join(tmpdir(), 'import-cli-'));
});

async function file(name: string, rows: string[]): Promise<string> {
  const where = path.join(dir, name);
  await writeFile(where, fixtureCsv(rows));
  return where;
}

describe('npm run import', () => {
  it('imports, prints the counts and every report line, writes the CSV report, exits 0', async () => {
    const people = await file('people.csv', ['A1,Amelia,2015-03-07', ',Nobody,2015-01-01', 'A3,Isla,31/02/2016', 'A4,HELD,2014-05-05', 'A5,Jack,2013-01-01,spare']);
    const report = path.join(dir, 'report.csv');
    const { code, stdout, stderr } = await runImportCli(database().url, ['school-roll', people, '--report', report]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Import succeeded \(run [0-9a-f-]{36}\)\.\n/);
    expect(stdout).toContain('  read      5\n  inserted  2\n  updated   0\n  unchanged 0\n  rejected  2\n  held      1\n  ended     0\n  warnings  1\n');
    expect(stdout).toContain('  REJECTED  people.csv:3  -  missing-id  -  id=  The child has no id.\n');
    expect(stdout).toContain('  REJECTED  people.csv:4  A3  date-unparseable  -  dob=2016-**-**  The date of birth is not a date.\n');
    expect(stdout).toContain('  HELD  people.csv:5  A4  ambiguous-child  -  id=A4  The child matches two records.\n');
    expect(stdout).toContain('  WARNING  people.csv:6  A5  extra-column  -  extra=  A fourth column was ignored.\n');
    expect(stdout).not.toContain('Isla');
    expect(stdout).toContain(`Report written to ${report}.`);
    const csv = await readFile(report, 'utf8');
    expect(csv.split('\r\n')).toHaveLength(6);
    expect(csv).toContain('"school-roll","people.csv","4","","A3","date-unparseable","","dob","2016-**-**","The date of birth is not a date.","rejected"');
    // Not a terminal: plain progress lines, no carriage returns.
    expect(stderr).toContain('[########################] 100 %');
    expect(stderr).not.toContain('\r');
    // The run says who: the operating-system user, as cli:<name>.
    const [run] = await database().sql<{ trigger: string; started_by_name: string; system: string }[]>`
      select trigger, started_by_name, system from import_runs order by started_at desc limit 1`;
    expect(run).toMatchObject({ trigger: 'cli', system: 'FIXTURE' });
    expect(run!.started_by_name).toMatch(/^cli:\S+$/);
  });

  it('takes the case system from --system', async () => {
    const people = await file('system.csv', ['S1,Ava,2015-01-01']);
    const { code } = await runImportCli(database().url, ['school-roll', people, '--system', 'Mosaic']);
    expect(code).toBe(0);
    expect(await database().sql`select id from import_fixture_children where system = 'Mosaic'`).toHaveLength(1);
  });

  it('exits 1 when the import fails, saying where it stopped and that nothing was loaded', async () => {
    const people = await file('boom.csv', ['B1,Ava,2015-01-01', 'B2,BOOM,2015-01-01']);
    const { code, stdout } = await runImportCli(database().url, ['school-roll', people]);
    expect(code).toBe(1);
    expect(stdout).toContain('Import FAILED (run ');
    expect(stdout).toContain(', stopped at boom.csv:2 to boom.csv:3: The database refused a write (error 23514, constraint import_fixture_children_name_check, table import_fixture_children).');
    expect(stdout).toContain('Nothing from this import was loaded');
    expect(await database().sql`select id from import_fixture_children where id in ('B1', 'B2')`).toEqual([]);
  });

  it('exits 1 when the files are refused', async () => {
    const text = path.join(dir, 'people.txt');
    await writeFile(text, 'x');
    const { code, stdout } = await runImportCli(database().url, ['school-roll', text]);
    expect(code).toBe(1);
    expect(stdout).toContain('Import refused (run ');
    expect(stdout).toContain('"people.txt" is not a CSV file.');
  });

  it('exits 2 on wrong usage, with the usage', async () => {
    const people = await file('usage.csv', ['U1,Ava,2015-01-01']);
    for (const [args, message] of [
      [[], 'Say which source the files are.'],
      [['schools', people], '"schools" is not a source'],
      [['school-roll'], 'Name at least one file to import.'],
      [['school-roll', path.join(dir, 'missing.csv')], 'no such file'],
      [['school-roll', people, '--colour'], "Unknown option '--colour'"],
    ] as const) {
      const { code, stderr } = await runImportCli(database().url, [...args]);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain(message);
    }
    const help = await runImportCli(database().url, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run import -- <source> <file>…');
  });

  it('says when this portal cannot read a source yet', async () => {
    const people = await file('ssd.csv', ['X1,Ava,2015-01-01']);
    const { code, stderr } = await runImportCli(database().url, ['flags', people]);
    expect(code).toBe(2);
    expect(stderr).toBe('This version of the portal cannot read "flags" files yet.\n');
  });

  it('is the program npm run import runs', async () => {
    const { code, stdout } = await runImportCli(database().url, ['--help'], { program: 'src/imports/cli.ts' });
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: npm run import -- <source> <file>…');
    expect(JSON.parse(await readFile('package.json', 'utf8')).scripts.import).toBe('node --import tsx src/imports/cli.ts');
  });
});

describe('progress', () => {
  it('draws a bar in place on a terminal, and a line per tenth elsewhere', () => {
    expect(progressLine({ bytesRead: 512 * 1024, bytesTotal: 2 * 1024 * 1024, records: 1234 })).toBe('[######------------------]  25 %  512.0 KB of 2.0 MB, 1,234 records');
    expect(progressLine({ bytesRead: 2048, bytesTotal: null, records: 1 })).toBe('2.0 KB read, 1 record');

    const written: string[] = [];
    const plain = createProgressDisplay({ write: (text: string) => written.push(text), isTTY: false });
    for (let bytes = 0; bytes <= 1000; bytes += 5) plain.update({ bytesRead: bytes, bytesTotal: 1000, records: bytes });
    plain.done();
    expect(written.map((line) => line.slice(27, 32))).toEqual(['  0 %', ' 10 %', ' 20 %', ' 30 %', ' 40 %', ' 50 %', ' 60 %', ' 70 %', ' 80 %', ' 90 %', '100 %', '100 %']);

    const drawn: string[] = [];
    const bar = createProgressDisplay({ write: (text: string) => drawn.push(text), isTTY: true, columns: 100 });
    bar.update({ bytesRead: 10, bytesTotal: 100, records: 3 });
    bar.done();
    expect(drawn).toEqual(['\r[##----------------------]  10 %  10 B of 100 B, 3 records\x1b[K', '\r[##----------------------]  10 %  10 B of 100 B, 3 records\x1b[K', '\n']);
  });
});
