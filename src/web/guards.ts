// Small pieces every capability's routes share.
import type { MiddlewareHandler } from 'hono';

/** Pages with a child's or a concern's details: never stored by the browser or a proxy. */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Record ids in addresses and forms are UUIDs; anything else is treated as not found. */
export const isUuid = (value: string): boolean => UUID.test(value);
