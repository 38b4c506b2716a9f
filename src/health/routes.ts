// Health endpoints for load balancers and orchestrators, and metrics for monitoring.
// /healthz: the process answers. /readyz: the database answers and has our schema; 503
// otherwise, so traffic goes elsewhere. /metrics: the Prometheus text format (./metrics.ts),
// for the monitoring system only.
import { Hono } from 'hono';
import type { Sql } from '../db/connect.ts';
import { schemaAnswers } from '../db/migrate.ts';
import type { AppEnv } from '../web/env.ts';
import { collectMetrics, METRICS_CONTENT_TYPE, metricsAllowed, type MetricsOptions } from './metrics.ts';

const READY_TIMEOUT_MS = 2_000;

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref());
}

export interface HealthOptions extends MetricsOptions {
  /** In production /metrics is served only with a METRICS_TOKEN. */
  production?: boolean;
}

export function healthRoutes(sql: Sql, { production = false, token, witnessFile }: HealthOptions = {}) {
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

  routes.get('/metrics', async (c) => {
    if (!metricsAllowed(c, { token, production })) return c.notFound();
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', METRICS_CONTENT_TYPE);
    return c.body(await collectMetrics(sql, { witnessFile }));
  });

  return routes;
}
