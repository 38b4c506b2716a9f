// `npm run bench:import`: how long imports take at a county's size (issue 13 point 7), not part
// of `npm test`. On a fresh database (DATABASE_URL's server, or an embedded PostgreSQL) holding
// only the council's directory and organisations, it imports, through the real command line
// (`npm run import`, one child process per import, so each peak memory is its own):
//   1. an SSD extract of BENCH_IMPORT_CHILDREN (default 100,000) demo children with their
//      episodes, allocations and addresses; 2. the same files again (nothing changes);
//   3. the extract with 1 % of children changed (a new surname; a child protection plan's
//      category); then the same three for a CIN census file of the same children.
// and prints, for each: wall time, records read and records/s, the counts, and the child
// process's peak resident memory (the kernel's high-water mark, VmHWM, read while it runs).
// The floor beside them, measured in the same run: the demo seed's bulk insert of the same
// children's case record into another fresh database (multi-row INSERTs, no parsing, no
// matching, no report), the fastest the rows could go in.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../src/db/connect.ts';
import { migrate } from '../src/db/migrate.ts';
import type { ImportSource } from '../src/imports/records.ts';
import { writeCinCensus } from '../src/imports/sources/cin-census/index.ts';
import { writeSsdExtract } from '../src/imports/sources/ssd/index.ts';
import { paths } from '../src/paths.ts';
import { generateDemoData, type DemoData } from '../src/seed/generate.ts';
import { insertDirectory, seedDemoData } from '../src/seed/insert.ts';
import { createBenchDatabase } from './database.ts';

const CHILDREN = Number(process.env.BENCH_IMPORT_CHILDREN ?? 100_000);
const CATEGORIES = ['NEG', 'PHY', 'SAB', 'EMO', 'MUL'] as const;

/**
 * The demo with 1 % of children changed: every hundredth child has a new surname (which only the
 * SSD carries), and the child protection plans of every hundredth child from the fiftieth on
 * move to another category (which both carry).
 */
function changedOnePercent(demo: DemoData): DemoData {
  const position = new Map(demo.children.map((c, i) => [c.id, i]));
  const children = demo.children.map((c, i) => (i % 100 === 0 ? { ...c, surname: `${c.surname}-Changed` } : c));
  const involvements = demo.involvements.map((inv) => inv.kind === 'child_protection' && position.get(inv.child_id)! % 100 === 50
    ? { ...inv, cp_category: CATEGORIES[(CATEGORIES.indexOf(inv.cp_category!) + 1) % CATEGORIES.length]! }
    : inv);
  return { ...demo, children, involvements };
}

interface Measured { seconds: number; maxRssMb: number }

/** Peak RSS of a finished child: read from /proc while it runs (VmHWM), as Node gives no child rusage. */
async function runMeasured(url: string, source: ImportSource, files: string[]): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/imports/cli.ts', source, ...files, '--system', 'LCS'], {
    cwd: paths.root, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Its progress lines are not wanted here; kept to explain a failure.
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => { errors = (errors + chunk.toString()).slice(-4000); });
  let hwmKb = 0;
  const { readFile } = await import('node:fs/promises');
  const sample = setInterval(() => {
    readFile(`/proc/${child.pid}/status`, 'utf8').then((text) => {
      const m = /VmHWM:\s+(\d+) kB/.exec(text);
      if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
    }).catch(() => {});
  }, 100);
  const code = await new Promise<number | null>((resolve, reject) => { child.on('error', reject); child.on('exit', resolve); });
  clearInterval(sample);
  if (code !== 0) throw new Error(`npm run import ${source} exited ${code}:\n${errors}`);
  return { seconds: (performance.now() - started) / 1000, maxRssMb: Math.round(hwmKb / 1024) };
}

const filesIn = async (dir: string) => (await readdir(dir)).map((f) => path.join(dir, f));
const sizeMb = async (files: string[]) => (await Promise.all(files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0) / 1e6;

const database = await createBenchDatabase(process.env.DATABASE_URL);
const work = await mkdtemp(path.join(os.tmpdir(), 'portal-import-bench-'));
const sql = connect(database.url);
try {
  await migrate(sql);
  const demo = generateDemoData({ children: CHILDREN });
  await insertDirectory(sql, demo);
  const changed = changedOnePercent(demo);
  const dirs = Object.fromEntries(['ssd', 'ssd-changed', 'cin', 'cin-changed'].map((d) => [d, path.join(work, d)]));
  for (const d of Object.values(dirs)) await mkdir(d);
  let t = performance.now();
  await writeSsdExtract(demo, dirs.ssd!);
  await writeSsdExtract(changed, dirs['ssd-changed']!);
  await writeCinCensus(demo, dirs.cin!);
  await writeCinCensus(changed, dirs['cin-changed']!);
  process.stdout.write(`Wrote the files for ${CHILDREN.toLocaleString('en-GB')} children in ${((performance.now() - t) / 1000).toFixed(1)} s (${database.description})\n\n`);

  // The floor: the same case record bulk-inserted by the seed.
  const floorDatabase = await createBenchDatabase(process.env.DATABASE_URL);
  const floorSql = connect(floorDatabase.url);
  try {
    await migrate(floorSql);
    const seeded = await seedDemoData(floorSql, { children: CHILDREN });
    const rows = Object.values(seeded.counts).reduce((sum, n) => sum + n, 0);
    process.stdout.write(`Floor: the seed's bulk insert of the same demo case record (${rows.toLocaleString('en-GB')} rows: children, involvements, allocations, relationships, chronology, organisations): ${(seeded.ms / 1000).toFixed(1)} s (${Math.round(rows / (seeded.ms / 1000)).toLocaleString('en-GB')} rows/s)\n\n`);
  } finally {
    await floorSql.end({ timeout: 5 });
    await floorDatabase.drop();
  }

  const phases: Array<[string, ImportSource, string]> = [
    ['SSD extract, first import', 'ssd', 'ssd'],
    ['SSD extract again, unchanged', 'ssd', 'ssd'],
    ['SSD extract, 1 % of children changed', 'ssd', 'ssd-changed'],
    ['CIN census, first import', 'cin-census', 'cin'],
    ['CIN census again, unchanged', 'cin-census', 'cin'],
    ['CIN census, 1 % changed', 'cin-census', 'cin-changed'],
  ];
  process.stdout.write('| import | files | time | records read | records/s | inserted | updated | unchanged | ended | rejected | held | peak RSS |\n');
  process.stdout.write('|---|---|---|---|---|---|---|---|---|---|---|---|\n');
  for (const [label, source, dir] of phases) {
    const files = await filesIn(dirs[dir]!);
    t = performance.now();
    const measured = await runMeasured(database.url, source, files);
    const [run] = await sql<{ read: number; inserted: number; updated: number; unchanged: number; ended: number; rejected: number; held: number; status: string }[]>`
      select status, read, inserted, updated, unchanged, ended, rejected, held from import_runs order by started_at desc limit 1`;
    if (!run || run.status !== 'succeeded') throw new Error(`${label}: ${run?.status ?? 'no run recorded'}`);
    process.stdout.write(`| ${label} | ${(await sizeMb(files)).toFixed(1)} MB | ${measured.seconds.toFixed(1)} s | ${run.read.toLocaleString('en-GB')} | ${Math.round(run.read / measured.seconds).toLocaleString('en-GB')} | ${run.inserted} | ${run.updated} | ${run.unchanged} | ${run.ended} | ${run.rejected} | ${run.held} | ${measured.maxRssMb} MB |\n`);
  }
} finally {
  await sql.end({ timeout: 5 });
  await database.drop();
  await rm(work, { recursive: true, force: true });
}
