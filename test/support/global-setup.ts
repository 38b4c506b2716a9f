// Runs once before all test files. Tests use a real PostgreSQL: the one in DATABASE_URL when
// set (CI: the machine's server), else a private embedded server for this run. Each test file
// then creates its own database on it (test/support/database.ts) and drops it afterwards.
// It also works out, once, the development provider entries the in-process test apps trust
// (test/support/in-process-app.ts), and says plainly when browser journeys will be skipped.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { ProviderConfig } from '../../src/auth/providers-config.ts';
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
  project.provide('developmentProviders', await developmentProviderEntries());
}

/**
 * The four provider entries the development sign-in trusts, exactly as startDevelopmentIdentity
 * builds them (src/auth/dev-provider/setup.ts keeps their claim mappings to itself, so they are
 * not copied here). Getting them means starting that provider; it is closed straight away, as
 * in-process apps never sign in through it: its issuer URL is only a name to them.
 */
async function developmentProviderEntries(): Promise<ProviderConfig[]> {
  const { startDevelopmentIdentity } = await import('../../src/auth/dev-provider/setup.ts');
  const identity = await startDevelopmentIdentity({ port: 0, host: '127.0.0.1', publicUrl: 'http://127.0.0.1', log: createLogger('warn') });
  await identity.close();
  return identity.providers;
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
    developmentProviders: ProviderConfig[];
  }
}
