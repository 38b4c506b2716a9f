// The public start page: what the portal is, who it is for, and the way in.
import { Hono } from 'hono';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';

export function startRoutes(views: Views) {
  const routes = new Hono<AppEnv>();
  routes.get('/', (c) => views.render(c, 'start/index'));
  return routes;
}
