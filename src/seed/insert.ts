// Loads generated demo data into the case-record tables, replacing whatever was there. One
// transaction, so a failed or interrupted seed leaves the previous data intact rather than half
// a city. Rows go in as multi-row inserts: one round trip per batch instead of per row.
import type { Sql } from '../db/connect.ts';
import { generateDemoData, type DemoData, type GenerateOptions } from './generate.ts';

export type SeedOptions = GenerateOptions;

export interface SeedResult {
  /** Rows inserted, by table. */
  counts: Record<string, number>;
  ms: number;
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

// The wire protocol counts a statement's parameters in 16 bits (at most 65,535); stay clear.
const MAX_PARAMETERS = 60_000;

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
  const data = generateDemoData(options);
  const counts: Record<string, number> = {};

  await sql.begin(async (tx) => {
    // Demo data replaces demo data. CASCADE also empties tables that point at these (anything
    // recorded against the old children would otherwise block the truncate or dangle).
    await tx.unsafe(`truncate ${TABLES.join(', ')} cascade`);
    for (const table of TABLES) {
      const rows = data[table];
      counts[table] = rows.length;
      if (rows.length === 0) continue;
      const batchSize = Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length);
      // Sent without waiting for each reply: postgres.js pipelines them on the transaction's
      // connection, and the server still runs them in order.
      const inserts = [];
      for (let at = 0; at < rows.length; at += batchSize) {
        const batch = rows.slice(at, at + batchSize);
        inserts.push(tx`insert into ${tx(table)} ${tx(batch)}`);
      }
      await Promise.all(inserts);
    }
  });

  return { counts, ms: Math.round(performance.now() - started) };
}
