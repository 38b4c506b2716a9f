// Works out the client's address once per request (src/web/client-address.ts: the socket's
// address, or X-Forwarded-For as far as TRUST_PROXY allows) and puts it on the context as
// `clientAddress`, for the sign-in rate limit and the request log. Nothing else should read the
// socket or X-Forwarded-For itself.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { clientAddress as resolveClientAddress, type TrustProxy } from '../../web/client-address.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The client's address (canonical IPv4 or IPv6), or 'unknown' without a socket. */
    clientAddress: string;
  }
}

/** The socket's remote address; undefined for a request handed to the app in process. */
function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

export function clientAddress(trust: TrustProxy): MiddlewareHandler {
  return async function setClientAddress(c, next) {
    const forwardedFor = trust.kind === 'none' ? undefined : c.req.header('X-Forwarded-For');
    c.set('clientAddress', resolveClientAddress(socketAddress(c), forwardedFor, trust));
    await next();
  };
}
