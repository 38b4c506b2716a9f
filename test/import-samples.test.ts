// docs/import-samples/ is what a council's data team copies from: it must be what the portal's
// writers make today (so a format change cannot leave the documentation behind), and every
// sample must import cleanly, in the order docs/imports.md gives, into a database holding only
// the council's directory and organisations.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paths } from '../src/paths.ts';
import { inputFileFromPath, runImport } from '../src/imports/run.ts';
import type { ImportSource } from '../src/imports/records.ts';
import { SAMPLE_CHILDREN, SAMPLE_DATE, writeSamples } from '../src/imports/samples/write-samples.ts';
import { insertDirectory } from '../src/seed/insert.ts';
import { generateDemoData } from '../src/seed/generate.ts';
import { useTestDatabase } from './support/database.ts';

const SAMPLES = path.join(paths.root, 'docs', 'import-samples');
const db = useTestDatabase();
const scratch = mkdtemp(path.join(os.tmpdir(), 'portal-samples-'));
afterAll(async () => rm(await scratch, { recursive: true, force: true }));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('the import samples in docs/', () => {
  it('are exactly what the writers make now (npm run import:samples writes them again)', async () => {
    const fresh = await scratch;
    await writeSamples(fresh);
    const names = await filesUnder(fresh);
    expect(await filesUnder(SAMPLES)).toEqual(names);
    for (const name of names) {
      expect(await readFile(path.join(SAMPLES, name), 'utf8'), name).toBe(await readFile(path.join(fresh, name), 'utf8'));
    }
  });

  it('each imports with nothing rejected or held, in the documented order', async () => {
    const { sql } = db();
    const demo = generateDemoData({ children: SAMPLE_CHILDREN, referenceDate: SAMPLE_DATE });
    await insertDirectory(sql, demo);
    const order: ImportSource[] = ['ssd', 'flags', 'school-roll', 'gp-registration', 'cin-census', 'ssda903'];
    for (const source of order) {
      const names = await readdir(path.join(SAMPLES, source));
      const summary = await runImport(sql, {
        source, system: 'LCS', trigger: 'cli', startedBy: { userId: null, name: 'samples test' },
        files: await Promise.all(names.map((n) => inputFileFromPath(path.join(SAMPLES, source, n)))),
      });
      expect({ source, status: summary.status, rejected: summary.counts.rejected, held: summary.counts.held })
        .toEqual({ source, status: 'succeeded', rejected: 0, held: 0 });
      expect(summary.counts.read, source).toBeGreaterThan(0);
    }
  });
});
