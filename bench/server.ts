// The benchmark's server: `npm start`'s own path (src/supervisor.ts, then WEB_CONCURRENCY cluster
// workers running src/server.ts's runWorker), started by bench/run.ts in a child process, with
// one extra route on every worker:
//   GET /bench/floor?child=<uuid>  one primary-key SELECT, renders nothing (204); registered after
//   the app's own routes, so behind the same session middleware (signed-in users only) as every
//   partner page. The ratio of a page to it is what the page adds.
// The route exists only in this file: `npm start` (src/server.ts as the entry point) never
// registers it, so production has no such route.
import cluster from 'node:cluster';

if (cluster.isPrimary) {
  const { runSupervisor } = await import('../src/supervisor.ts');
  // cluster forks this same file (process.argv[1]) as each worker.
  await runSupervisor();
} else {
  const { runWorker } = await import('../src/server.ts');
  await runWorker({
    routes: (app, sql) => {
      app.get('/bench/floor', async (c) => {
        await sql`select id from children where id = ${c.req.query('child') ?? '00000000-0000-0000-0000-000000000000'}::uuid`;
        return c.body(null, 204);
      });
    },
  });
}
