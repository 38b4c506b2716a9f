// The import runner's own duties, on a real database: one import at a time, counts that add up,
// checksums kept and contents not, the same files twice change nothing, a failure half-way
// leaves the previous state and says where it stopped, a run whose process died is marked
// interrupted; and the queries over runs and reports (runs.ts).
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import * as merge from '../src/imports/merge/index.ts';
import type { ImportRecord, InputFile, SourceParser } from '../src/imports/records.ts';
import { SafeMessageError } from '../src/log.ts';
import { BATCH_SIZE, EMPTY_SNAPSHOT, runImport, startImport, type ImportRequest } from '../src/imports/run.ts';
import { dismissHeld, findRun, heldIssues, lastSuccessfulImport, listRuns, resolveHeld, runIssues, runIssuesCsv } from '../src/imports/runs.ts';
import { useTestDatabase } from './support/database.ts';
import { createFixtureTable, fixtureCsv, fixtureMerge, fixtureParser, insertCouncil, type FixtureParserOptions } from './support/import-fixtures.ts';
import { spawnImportCli } from './support/import-cli.ts';
import { waitFor } from './support/verify-cli.ts';

const database = useTestDatabase();
let councilId: string;

beforeAll(async () => {
  const { sql } = database();
  councilId = await insertCouncil(sql);
  await createFixtureTable(sql);
});

function textFile(name: string, text: string, withSize = true): InputFile {
  return { name, size: withSize ? Buffer.byteLength(text) : undefined, open: () => Readable.from([Buffer.from(text)]) };
}

function request(files: InputFile[], options: { system?: string; name?: string; gate?: FixtureParserOptions } & Partial<ImportRequest> = {}): ImportRequest {
  return {
    source: 'school-roll', files, system: options.system ?? 'LCS', localAuthorityId: councilId,
    startedBy: { userId: null, name: options.name ?? 'cli:tester' },
    parser: fixtureParser('school-roll', options.gate ?? {}), merge: fixtureMerge, today: '2026-12-02',
    trigger: options.trigger ?? 'cli',
  };
}

async function table(system: string) {
  return database().sql<{ id: string; name: string; dob: string; ended_on: string | null }[]>`
    select id, name, dob::text, ended_on::text from import_fixture_children where system = ${system} order by id`;
}

describe('counts, checksums and the report', () => {
  const rows = [
    'A1,Amelia,2015-03-07',      // line 2  inserted
    'A2,Oliver,07/03/2016',      // line 3  inserted
    ',Nobody,2015-01-01',        // line 4  rejected by the parser: missing-id
    'A4,Isla,31/02/2016',        // line 5  rejected by the parser: date-unparseable
    'A5,HELD,2014-05-05',        // line 6  held by the parser
    'A6,Jack,2013-01-01,spare',  // line 7  inserted, with a warning
    'A7,REJECT,2012-02-02',      // line 8  rejected by the merge
  ];
  const text = fixtureCsv(rows);

  it('adds up: read = inserted + updated + unchanged + rejected + held, warnings apart', async () => {
    const summary = await runImport(database().sql, request([textFile('people.csv', text)], { system: 'COUNTS' }));
    expect(summary.status).toBe('succeeded');
    expect(summary.counts).toEqual({ read: 7, inserted: 3, updated: 0, unchanged: 0, ended: 0, rejected: 3, held: 1, warnings: 1 });
    const c = summary.counts;
    expect(c.read).toBe(c.inserted + c.updated + c.unchanged + c.rejected + c.held);
    expect((await table('COUNTS')).map((row) => row.id)).toEqual(['A1', 'A2', 'A6']);

    const run = (await findRun(database().sql, summary.runId))!;
    expect(run).toMatchObject({ status: 'succeeded', source: 'school-roll', system: 'COUNTS', trigger: 'cli', startedByName: 'cli:tester', counts: c, stoppedAt: null, message: null });
    expect(run.finishedAt).toBeInstanceOf(Date);

    const report = await runIssues(database().sql, summary.runId);
    expect(report.total).toBe(5);
    expect(report.issues.map((issue) => [issue.line, issue.rule, issue.outcome])).toEqual([
      [4, 'missing-id', 'rejected'],
      [5, 'date-unparseable', 'rejected'],
      [6, 'ambiguous-child', 'held'],
      [7, 'extra-column', 'warning'],
      [8, 'merge-reject', 'rejected'],
    ]);
    // The parser masked the date it flagged: the report never shows it whole.
    expect(report.issues[1]).toMatchObject({ file: 'people.csv', caseSystemId: 'A4', field: 'dob', value: '2016-**-**' });
    expect((await runIssues(database().sql, summary.runId, { page: 2, perPage: 2 })).issues.map((issue) => issue.seq)).toEqual([3, 4]);
  });

  it('keeps the files’ names, sizes and SHA-256, and nothing of their contents', async () => {
    const second = 'B1,Freya,2017-04-04\n';
    const summary = await runImport(database().sql, request([textFile('people.csv', text), textFile('more.csv', `id,name,dob\n${second}`, false)], { system: 'SUMS' }));
    const run = (await findRun(database().sql, summary.runId))!;
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(run.files).toEqual([
      { name: 'people.csv', bytes: Buffer.byteLength(text), sha256: sha(text) },
      { name: 'more.csv', bytes: Buffer.byteLength(`id,name,dob\n${second}`), sha256: sha(`id,name,dob\n${second}`) },
    ]);
    // One file's size was not known beforehand: no total, but every byte was counted.
    expect(run.bytesTotal).toBeNull();
    expect(run.bytesRead).toBe(Buffer.byteLength(text) + Buffer.byteLength(`id,name,dob\n${second}`));
    const stored = await database().sql<{ text: string }[]>`
      select row_to_json(r)::text as text from import_runs r where id = ${summary.runId}
      union all select row_to_json(i)::text from import_issues i where run_id = ${summary.runId} and outcome <> 'held'`;
    for (const { text: row } of stored) for (const name of ['Amelia', 'Oliver', 'Nobody', 'Isla', 'Jack', 'Freya', '31/02/2016']) expect(row).not.toContain(name);
  });

  it('writes the report as CSV with its columns, and lists runs and the last successful import', async () => {
    const { runs, total } = await listRuns(database().sql, { localAuthorityId: councilId });
    expect(total).toBe(runs.length);
    const counted = runs.find((run) => run.system === 'COUNTS')!;
    let csv = '';
    for await (const chunk of runIssuesCsv(database().sql, counted.id, 2)) csv += chunk;
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('\uFEFF"Source","File","Line","Path","Child id","Rule","DfE rule","Field","Value","Message","Outcome"');
    expect(lines[2]).toBe('"school-roll","people.csv","5","","A4","date-unparseable","","dob","2016-**-**","The date of birth is not a date.","rejected"');
    expect(lines.filter((line) => line !== '')).toHaveLength(6);
    const last = await lastSuccessfulImport(database().sql, councilId);
    expect(last).toEqual([{ source: 'school-roll', finishedAt: expect.any(Date) }]);
    expect(last[0]!.finishedAt.getTime()).toBe(Math.max(...runs.filter((run) => run.status === 'succeeded').map((run) => run.finishedAt!.getTime())));
  });

  it('resolves a held record through the merge, or dismisses it', async () => {
    const sql = database().sql;
    const summary = await runImport(sql, request([textFile('people.csv', fixtureCsv(['H1,HELD,2014-05-05', 'H2,HELD,2014-06-06']))], { system: 'HELD' }));
    const held = await heldIssues(sql, { runId: summary.runId });
    expect(held.map((issue) => [issue.caseSystemId, issue.record.kind])).toEqual([['H1', 'child'], ['H2', 'child']]);
    // Without a child chosen the fixture merge still cannot load it: it stays held.
    expect(await resolveHeld(sql, { runId: summary.runId, seq: held[0]!.seq }, { userId: null }, fixtureMerge)).toEqual({ status: 'still-held', outcome: 'held' });
    const [child] = await sql<{ id: string }[]>`insert into children (local_authority_id, forename, surname, date_of_birth, gender) values (${councilId}, 'A', 'B', '2014-05-05', 'female') returning id`;
    expect(await resolveHeld(sql, { runId: summary.runId, seq: held[0]!.seq }, { userId: null, childId: child!.id }, fixtureMerge)).toEqual({ status: 'loaded', outcome: 'inserted' });
    expect(await table('HELD')).toEqual([{ id: 'H1', name: 'RESOLVED', dob: '2014-05-05', ended_on: null }]);
    expect(await dismissHeld(sql, { runId: summary.runId, seq: held[1]!.seq }, null)).toBe(true);
    expect(await heldIssues(sql, { runId: summary.runId })).toEqual([]);
    expect((await runIssues(sql, summary.runId)).issues.map((issue) => issue.resolution)).toEqual(['loaded', 'dismissed']);
    // Resolved once: a second try finds nothing to resolve.
    expect(await resolveHeld(sql, { runId: summary.runId, seq: held[0]!.seq }, { userId: null, childId: child!.id }, fixtureMerge)).toEqual({ status: 'not-found' });
  });
});

describe('idempotence and snapshots', () => {
  it('imports the same files twice: the second run leaves everything unchanged and ends nothing', async () => {
    const text = fixtureCsv(['C1,Ava,2015-01-01', 'C2,Leo,2016-02-02', 'C3,Mia,2017-03-03']);
    const first = await runImport(database().sql, request([textFile('people.csv', text)], { system: 'TWICE' }));
    expect(first.counts).toMatchObject({ read: 3, inserted: 3 });
    const before = await table('TWICE');
    const second = await runImport(database().sql, request([textFile('people.csv', text)], { system: 'TWICE' }));
    expect(second.counts).toEqual({ read: 3, inserted: 0, updated: 0, unchanged: 3, ended: 0, rejected: 0, held: 0, warnings: 0 });
    expect(await table('TWICE')).toEqual(before);
    // A child gone from the snapshot is ended, not deleted.
    const third = await runImport(database().sql, request([textFile('people.csv', fixtureCsv(['C1,Ava,2015-01-01', 'C3,Mia,2017-03-03']))], { system: 'TWICE' }));
    expect(third.counts).toMatchObject({ read: 2, unchanged: 2, ended: 1 });
    expect((await table('TWICE')).find((row) => row.id === 'C2')!.ended_on).toBe('2026-12-02');
  });
});

describe('an empty snapshot', () => {
  it('fails rather than end every current record', async () => {
    const sql = database().sql;
    await runImport(sql, request([textFile('people.csv', fixtureCsv(['M1,Ava,2015-01-01']))], { system: 'EMPTY' }));
    const failed = await runImport(sql, request([textFile('people.csv', fixtureCsv([]))], { system: 'EMPTY' }));
    expect(failed).toMatchObject({ status: 'failed', message: EMPTY_SNAPSHOT, stoppedAt: 'people.csv' });
    expect(await table('EMPTY')).toEqual([{ id: 'M1', name: 'Ava', dob: '2015-01-01', ended_on: null }]);
  });
});

describe('a failure half-way', () => {
  it('leaves the previous state, records where it stopped, and says why without personal data', async () => {
    const sql = database().sql;
    const count = BATCH_SIZE * 2 + 200;
    const rows = (version: string) => Array.from({ length: count }, (_, i) => `F${i},Name${version}${i},2015-01-01`);
    const first = await runImport(sql, request([textFile('people.csv', fixtureCsv(rows('a')))], { system: 'FAIL' }));
    expect(first.counts.inserted).toBe(count);
    const before = await table('FAIL');

    // Every name changes, and the record on line 1102 (in the third batch, after two batches
    // were merged) breaks a constraint of the table: a real database error.
    const changed = rows('b');
    changed[1100] = 'F1100,BOOM,2015-01-01';
    const failed = await runImport(sql, request([textFile('people.csv', fixtureCsv(changed.concat('G1,Extra,2015-01-01')))], { system: 'FAIL' }));
    expect(failed.status).toBe('failed');
    expect(await table('FAIL')).toEqual(before);
    expect(failed.stoppedAt).toBe(`people.csv:${BATCH_SIZE * 2 + 2} to people.csv:${count + 2}`);
    expect(failed.message).toBe('The database refused a write (error 23514, constraint import_fixture_children_name_check, table import_fixture_children).');
    const run = (await findRun(sql, failed.runId))!;
    expect(run).toMatchObject({ status: 'failed', stoppedAt: failed.stoppedAt, message: failed.message });
    expect(run.counts.read).toBe(count + 1);
    expect(run.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The report's lines went with the data: a failed run loaded nothing and holds nothing.
    expect((await runIssues(sql, failed.runId)).total).toBe(0);
    expect(await lastSuccessfulImport(sql, councilId)).toEqual([{ source: 'school-roll', finishedAt: expect.any(Date) }]);
  });

  it('says where the parser had got to when the failure is in reading', async () => {
    const broken: InputFile = {
      name: 'people.csv',
      open: () => Readable.from((async function* () {
        yield Buffer.from(fixtureCsv(['P1,Ava,2015-01-01', 'P2,Leo,2016-02-02']));
        throw Object.assign(new Error('read failed for /secret/Ava'), { code: 'EIO' });
      })()),
    };
    const failed = await runImport(database().sql, request([broken], { system: 'READFAIL' }));
    expect(failed).toMatchObject({ status: 'failed', stoppedAt: 'people.csv:3', message: 'The import stopped on an error (Error, EIO).' });
    expect(await table('READFAIL')).toEqual([]);
  });
});

describe('one import at a time', () => {
  it('refuses a second import while one runs, naming who started it and when, then lets the next one run', async () => {
    const sql = database().sql;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atLine3 = new Promise<void>((resolve) => (reached = resolve));
    const text = fixtureCsv(['L1,Ava,2015-01-01', 'L2,Leo,2016-02-02']);
    const started = await startImport(sql, request([textFile('people.csv', text)], {
      system: 'LOCK', name: 'Dana Officer', trigger: 'upload',
      gate: { beforeLine: async (_file, line) => { if (line === 3) { reached(); await gate; } } },
    }));
    await atLine3;
    expect((await findRun(sql, started.runId))!.status).toBe('running');

    // Another process (its own pool) is refused too: the lock is the database's, not this process's.
    const other = connect(database().url, { max: 2 });
    try {
      const refused = await runImport(other, request([textFile('people.csv', text)], { system: 'LOCK', name: 'cli:someone' }));
      expect(refused.status).toBe('refused');
      expect(refused.refusedBecause).toBe('another-import');
      expect(refused.message).toMatch(/^Another import is running \(school-roll, started by Dana Officer at \d\d:\d\d on \d{1,2} \w+ \d{4}\)\. Try again when it has finished\.$/);
      expect((await findRun(sql, refused.runId))!).toMatchObject({ status: 'refused', startedByName: 'cli:someone', files: [{ name: 'people.csv' }] });
      // Resolving a held record waits for the import too.
      expect(await resolveHeld(other, { runId: started.runId, seq: 1 }, { userId: null }, fixtureMerge)).toEqual({ status: 'busy' });
    } finally {
      await other.end({ timeout: 5 });
    }
    release();
    expect((await started.done).status).toBe('succeeded');
    expect((await runImport(sql, request([textFile('people.csv', text)], { system: 'LOCK' }))).status).toBe('succeeded');
  });

  it('refuses files that are not the source’s, recording the refusal', async () => {
    const summary = await runImport(database().sql, request([textFile('people.txt', 'x')], { system: 'FILES' }));
    expect(summary).toMatchObject({ status: 'refused', refusedBecause: 'files', message: '"people.txt" is not a CSV file.' });
    expect((await findRun(database().sql, summary.runId))!.status).toBe('refused');
  });

  it('marks a run whose process died as interrupted, and imports after it', async () => {
    const sql = database().sql;
    const dir = await mkdtemp(path.join(tmpdir(), 'import-run-'));
    const file = path.join(dir, 'people.csv');
    await writeFile(file, fixtureCsv(['K1,Ava,2015-01-01', 'HANG,Never,2015-01-01']));
    const { child, result } = spawnImportCli(database().url, ['school-roll', file]);
    let runId: string | undefined;
    await waitFor(async () => {
      [{ id: runId } = { id: undefined }] = await sql<{ id: string }[]>`select id from import_runs where system = 'FIXTURE' and status = 'running'`;
      return runId !== undefined;
    }, 30_000);
    expect((await findRun(sql, runId!))!.status).toBe('running');
    child.kill('SIGKILL');
    await result;
    // The database noticed the connection go (and the lock with it): shown interrupted at once …
    await waitFor(async () => (await findRun(sql, runId!))!.status === 'interrupted', 10_000);
    // … and recorded so by the next import, which runs.
    const next = await runImport(sql, request([textFile('people.csv', fixtureCsv(['K1,Ava,2015-01-01']))], { system: 'FIXTURE' }));
    expect(next.status).toBe('succeeded');
    const [stored] = await sql<{ status: string; message: string }[]>`select status, message from import_runs where id = ${runId!}`;
    expect(stored).toEqual({ status: 'interrupted', message: 'The import stopped without finishing (its process ended or lost the database). Nothing from it was loaded.' });
    // What the killed run had read was never loaded: K1 came from the next one.
    expect((await table('FIXTURE')).map((row) => row.id)).toEqual(['K1']);
  });
});

/**
 * The runner with the real merge (src/imports/merge/): a CSV-ish source of children and their
 * child-in-need episodes, `id,forename,surname,dob,gender,cin_start`, one child and one
 * involvement per line.
 */
const episodesParser: SourceParser = {
  source: 'ssd',
  snapshotOf: ['involvement'],
  checkFiles: () => ({ ok: true }),
  async *parse(files) {
    for (const file of files) {
      let line = 0;
      for await (const text of createInterface({ input: file.open() as NodeJS.ReadableStream, crlfDelay: Infinity })) {
        line += 1;
        if (line === 1 || text === '') continue;
        const [id = '', forename, surname, dob, gender, start = ''] = text.split(',');
        const where = { file: file.name, line };
        yield { kind: 'child', where, caseSystemId: id, forename, surname, dateOfBirth: dob, gender: gender as 'female' | 'male' } satisfies ImportRecord;
        yield { kind: 'involvement', where, caseSystemId: id, involvementKind: 'child_in_need', episodeId: `E${id}`, startDate: start } satisfies ImportRecord;
      }
    }
  },
};

describe('with the real merge', () => {
  const lines = (n: number, skip?: number) => ['id,forename,surname,dob,gender,cin_start',
    ...Array.from({ length: n }, (_, i) => i).filter((i) => i !== skip).map((i) => `R${i},Child${i},Real${i},2015-01-01,${i % 2 ? 'male' : 'female'},2025-06-01`)].join('\n') + '\n';
  const real = (text: string, overrides: Partial<ImportRequest> = {}): ImportRequest => ({
    source: 'ssd', files: [textFile('ssd_person.csv', text)], system: 'REAL', localAuthorityId: councilId,
    startedBy: { userId: null, name: 'cli:tester' }, trigger: 'cli', parser: episodesParser, today: '2026-12-02', ...overrides,
  });
  const state = async () => database().sql`
    select c.forename, c.surname, i.kind, i.start_date::text, i.end_date::text
    from child_sources s join children c on c.id = s.child_id left join involvements i on i.child_id = c.id
    where s.system = 'REAL' order by c.forename, i.start_date`;

  it('loads, then changes nothing the second time, then ends what the snapshot no longer lists', async () => {
    const first = await runImport(database().sql, real(lines(600)));
    expect(first).toMatchObject({ status: 'succeeded', counts: { read: 1200, inserted: 1200, rejected: 0, held: 0, ended: 0 } });
    const before = await state();
    expect(before).toHaveLength(600);
    const second = await runImport(database().sql, real(lines(600)));
    expect(second.counts).toEqual({ read: 1200, inserted: 0, updated: 0, unchanged: 1200, ended: 0, rejected: 0, held: 0, warnings: 0 });
    expect(await state()).toEqual(before);
    const third = await runImport(database().sql, real(lines(600, 7)));
    expect(third.counts).toMatchObject({ read: 1198, unchanged: 1198, ended: 1 });
  });

  it('rolls back what the real merge wrote when the run fails after it', async () => {
    const before = await state();
    let batches = 0;
    const failing = {
      ...merge,
      async mergeBatch(...args: Parameters<typeof merge.mergeBatch>) {
        batches += 1;
        if (batches === 3) throw new SafeMessageError('Injected failure after two merged batches.');
        return merge.mergeBatch(...args);
      },
    };
    const failed = await runImport(database().sql, real(lines(700).replace(/Child/g, 'Renamed'), { merge: failing }));
    expect(failed).toMatchObject({ status: 'failed', message: 'Injected failure after two merged batches.', stoppedAt: 'ssd_person.csv:502 to ssd_person.csv:701' });
    expect(await state()).toEqual(before);
  });
});
