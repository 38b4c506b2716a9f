// The samples of every format the portal imports (docs/imports.md, docs/import-samples/), made
// from demo data by the same writers the round-trip test uses, so a sample is always a file the
// portal accepts. Fixed seed and date: the same files on every machine, checked into docs/ and
// checked against a fresh write by test/import-samples.test.ts.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ImportSource } from '../records.ts';
import { writeCinCensus } from '../sources/cin-census/index.ts';
import { writeFlags } from '../sources/flags.ts';
import { writeGpRegistrations } from '../sources/gp-registration.ts';
import { writeSchoolRoll } from '../sources/school-roll.ts';
import { writeSsdExtract } from '../sources/ssd/index.ts';
import { writeSsda903 } from '../sources/ssda903/index.ts';
import { generateDemoData, type DemoData } from '../../seed/generate.ts';

/** Enough children for every kind of record to appear (a plan, a child looked after, a flag, a move of school). */
export const SAMPLE_CHILDREN = 40;
export const SAMPLE_DATE = '2026-12-01';

const writers: Record<ImportSource, (demo: DemoData, dir: string) => Promise<string[]>> = {
  ssd: writeSsdExtract,
  'cin-census': writeCinCensus,
  ssda903: writeSsda903,
  'school-roll': writeSchoolRoll,
  'gp-registration': writeGpRegistrations,
  flags: writeFlags,
};

/** Writes one folder per source under `dir` (emptied first); returns the files written, by source. */
export async function writeSamples(dir: string): Promise<Record<ImportSource, string[]>> {
  const demo = generateDemoData({ children: SAMPLE_CHILDREN, referenceDate: SAMPLE_DATE });
  const written = {} as Record<ImportSource, string[]>;
  for (const [source, write] of Object.entries(writers) as [ImportSource, (typeof writers)[ImportSource]][]) {
    const folder = path.join(dir, source);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    written[source] = await write(demo, folder);
  }
  return written;
}
