// Health endpoints for load balancers and orchestrators. /healthz: the process answers.
// /readyz: the database answers and has our schema; 503 otherwise, so traffic goes elsewhere.
import { Hono } from 'hono';
import type { Sql } from '../db/connect.ts';
import { schemaAnswers } from '../db/migrate.ts';
import type { AppEnv } from '../web/env.ts';

const READY_TIMEOUT_MS = 2_000;

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref());
}

export function healthRoutes(sql: Sql) {
  const routes = new Hono<AppEnv>();

  routes.get('/healthz', (c) => c.json({ status: 'ok' }));

  routes.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await Promise.race([schemaAnswers(sql), timeout(READY_TIMEOUT_MS)]);
      return c.json({ status: 'ready' });
    } catch {
      return c.json({ status: 'unavailable', reason: 'database not reachable' }, 503);
    }
  });

  return routes;
}
