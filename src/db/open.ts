// Where the database is: DATABASE_URL when set, else the embedded default under DATA_DIR.
// Shared by the server and the command-line tools so they always agree.
import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import { startEmbedded } from './embedded.ts';

export interface OpenedDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
  /** Called as shutdown begins: the embedded server is not started again if it stops now. */
  holdRestarts(): void;
}

export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, log: Logger): Promise<OpenedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {}, holdRestarts: () => {} };
  const { url, stop, holdRestarts } = await startEmbedded(config.DATA_DIR, log);
  return { url, embedded: true, stop, holdRestarts };
}
