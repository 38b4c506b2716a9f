// One log line per request, without personal data: the route's pattern (/children/:id, not
// the id), never the query string (it can hold a search for a name), the status and the time.
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log.ts';

export function requestLog(log: Logger): MiddlewareHandler {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    log.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
