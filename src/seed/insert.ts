// Loads generated demo data into the case-record tables, replacing whatever was there. One
// transaction, so a failed or interrupted seed leaves the previous data intact rather than half
// a city. The directory goes in as multi-row inserts; the case record by COPY (src/seed/copy.ts),
// a chunk of children at a time.
import type { Sql } from '../db/connect.ts';
import { copyRows, withSecondaryIndexesRebuilt, type CopyValue } from './copy.ts';
import { generateDemoDataInChunks, type DemoData, type GenerateOptions } from './generate.ts';

export type SeedOptions = GenerateOptions;

export interface SeedResult {
  /** Rows inserted, by table. */
  counts: Record<string, number>;
  ms: number;
  /** Milliseconds spent loading each table, generating the rows ("generating") and building indexes ("indexes"). */
  tableMs: Record<string, number>;
}

// In foreign-key order: parents before children.
const TABLES = [
  'organisations',
  'teams',
  'social_workers',
  'children',
  'involvements',
  'allocations',
  'child_organisation_relationships',
  'chronology_events',
  'information_sharing_agreements',
] as const satisfies readonly (keyof DemoData)[];

// The directory a council sets up before any child is imported, in foreign-key order.
const DIRECTORY_TABLES = ['organisations', 'teams', 'social_workers', 'information_sharing_agreements'] as const satisfies readonly (typeof TABLES)[number][];

/** True when the case-record tables hold data (any organisation), so a first start can skip seeding. */
export async function hasCaseRecordData(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ present: boolean }[]>`select exists (select 1 from organisations) as present`;
  return row?.present === true;
}

/**
 * What a council sets up before its first import: its organisations (itself, schools, practices,
 * health teams, the police force), its directory of teams and social workers, and its
 * information-sharing agreements. No children: those arrive by import (docs/imports.md).
 */
export async function insertDirectory(sql: Sql, data: DemoData): Promise<void> {
  await sql.begin(async (tx) => {
    for (const table of DIRECTORY_TABLES) {
      if (data[table].length) await tx`insert into ${tx(table)} ${tx(data[table] as never)}`;
    }
  });
}

export async function seedDemoData(sql: Sql, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const counts: Record<string, number> = Object.fromEntries(TABLES.map((table) => [table, 0]));
  const tableMs: Record<string, number> = Object.fromEntries(TABLES.map((table) => [table, 0]));

  await sql.begin(async (tx) => {
    // Demo data replaces demo data. CASCADE also empties tables that point at these (anything
    // recorded against the old children would otherwise block the truncate or dangle).
    await tx.unsafe(`truncate ${TABLES.join(', ')} cascade`);
    // A chunk of children at a time, each table by COPY, parents before children (foreign keys
    // are checked row by row as usual). Generating the next chunk costs about as much as loading
    // this one, so memory stays flat at any size.
    let loadedAt = 0;
    await withSecondaryIndexesRebuilt(tx, TABLES, async () => {
      let generatingFrom = performance.now();
      for (const chunk of generateDemoDataInChunks(options)) {
        tableMs.generating = (tableMs.generating ?? 0) + (performance.now() - generatingFrom);
        for (const table of TABLES) {
          const rows = chunk[table] as unknown as Record<string, CopyValue>[];
          if (rows.length === 0) continue;
          const at = performance.now();
          await copyRows(tx, table, Object.keys(rows[0]!), rows);
          counts[table]! += rows.length;
          tableMs[table]! += performance.now() - at;
        }
        generatingFrom = performance.now();
      }
      loadedAt = performance.now();
    });
    tableMs.indexes = performance.now() - loadedAt;
  });

  const ms = Math.round(performance.now() - started);
  return { counts, ms, tableMs: Object.fromEntries(Object.entries(tableMs).map(([table, t]) => [table, Math.round(t)])) };
}
