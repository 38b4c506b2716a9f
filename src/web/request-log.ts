// One log line per request, without personal data: the route's pattern (/children/:id, not
// the id), never the query string (it can hold a search for a name), the status and the time.
// The client is logged by its network only (198.51.100.0/24, 2001:db8:abcd::/48), worked out
// behind the council's proxy as TRUST_PROXY allows (src/web/client-address.ts): enough to see
// which organisation's network a flood of requests comes from, not which person.
import type { MiddlewareHandler } from 'hono';
import type {} from '../middleware/client-address/index.ts';
import type { Logger } from '../log.ts';
import { clientNetwork } from './client-address.ts';

export function requestLog(log: Logger): MiddlewareHandler {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    const address = c.get('clientAddress');
    log.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      client: address ? clientNetwork(address) : 'unknown',
    });
  };
}
