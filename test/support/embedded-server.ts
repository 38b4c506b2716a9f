// For tests that start the embedded PostgreSQL in a DATA_DIR of their own: the server's process
// id (from its postmaster.pid), whether a process is alive, and the clean-up that kills a server
// a failed test left running.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const postmasterPid = async (dataDir: string) =>
  Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills the server still running in `dataDir`, if any (a test that failed midway). */
export async function killLeftoverServer(dataDir: string): Promise<void> {
  const pid = await postmasterPid(dataDir).catch(() => 0);
  if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
}
