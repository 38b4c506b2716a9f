// The server as a process: start-up checks and graceful shutdown.
import { afterEach, expect, it } from 'vitest';
import { connect } from '../src/db/connect.ts';
import { useTestDatabase } from './support/database.ts';
import { spawnServer, type ServerProcess } from './support/process.ts';

const db = useTestDatabase();
let server: ServerProcess | undefined;
afterEach(() => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  server = undefined;
});

it('refuses to start on a bad setting, naming the variable', async () => {
  server = await spawnServer({ DATABASE_URL: db().url, PORT: 'eighty' });
  expect(await server.exited).toBe(1);
  expect(server.output.join('\n')).toMatch(/PORT/);
});

it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', async () => {
  server = await spawnServer({ DATABASE_URL: db().url });
  await server.waitUntilReady();

  // Hold a lock on the table /readyz reads, so that a request to it stays in flight.
  const locker = connect(db().url, { max: 1 });
  let release!: () => void;
  const locked = new Promise<void>((resolveLocked) => {
    void locker.begin(async (tx) => {
      await tx`lock table schema_migrations in access exclusive mode`;
      resolveLocked();
      await new Promise<void>((resolve) => (release = resolve));
    });
  });
  await locked;
  try {
    const inFlight = fetch(`${server.baseUrl}/readyz`);
    // Wait until the server's query is really waiting on our lock.
    let waitingOnLock = false;
    for (let i = 0; i < 100 && !waitingOnLock; i++) {
      const [waiting] = await db().sql`
        select count(*)::int as n from pg_stat_activity
        where wait_event_type = 'Lock' and query like '%schema_migrations%' and datname = current_database()`;
      waitingOnLock = waiting!.n > 0;
      if (!waitingOnLock) await new Promise((r) => setTimeout(r, 20));
    }
    expect(waitingOnLock).toBe(true);

    server.child.kill('SIGTERM');
    await server.waitForOutput(/"msg":"shutting down"/);
    // No new connections once shutting down...
    await expect(fetch(`${server.baseUrl}/healthz`)).rejects.toThrow();
    // ...but the process waits for the request in flight.
    expect(server.child.exitCode).toBeNull();

    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
    expect(await server.exited).toBe(0);
    expect(server.output.join('\n')).toContain('"msg":"stopped"');
  } finally {
    release?.();
    await locker.end({ timeout: 5 });
  }
});
