// Small pieces every capability's routes share.
import type { MiddlewareHandler } from 'hono';

/** Pages with a child's or a concern's details: never stored by the browser or a proxy. */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};
