// Runs once before all test files. Tests use a real PostgreSQL: the one in DATABASE_URL when
// set (CI: the machine's server), else a private embedded server for this run. Each test file
// then creates its own database on it (test/support/database.ts) and drops it afterwards.
// It also says plainly when browser journeys were skipped.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { withDatabase } from '../../src/db/connect.ts';
import { createLogger } from '../../src/log.ts';
import { browserJourneysSkippedMessage } from './chromium.ts';

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'portal-test-pg-'));
    embedded = await startEmbedded(dataDir, createLogger('warn'));
    adminUrl = withDatabase(embedded.url, 'postgres');
  }
  project.provide('adminDatabaseUrl', adminUrl);
}

export async function teardown(): Promise<void> {
  // Said at the end, next to the summary, where it is seen.
  const skipped = browserJourneysSkippedMessage();
  if (skipped) console.warn(`\n${skipped}\n`);
  await embedded?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
