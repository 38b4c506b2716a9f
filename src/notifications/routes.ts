// Development only: the messages the portal would have e-mailed, so a developer (or a demo)
// can see notifications flow without a mail server. Not registered in production; even in
// development, only roles the policy allows (`read SentMessages`) may open it.
import { Hono } from 'hono';
import { permit } from '../middleware/permit/index.ts';
import type { Sql } from '../db/connect.ts';
import type { AppEnv } from '../web/env.ts';
import { formatDateTime } from '../web/format.ts';
import type { Views } from '../web/views.ts';
import { sentMessages } from './worker.ts';

export function sentMessagesRoutes(sql: Sql, views: Views) {
  const routes = new Hono<AppEnv>();
  routes.get('/dev/sent-messages', permit('read', 'SentMessages'), async (c) => {
    c.header('Cache-Control', 'no-store');
    const messages = (await sentMessages(sql, 100)).map((m) => ({ ...m, sentAt: formatDateTime(m.sentAt) }));
    return views.render(c, 'notifications/sent-messages', { title: 'Sent messages (development)', messages });
  });
  return routes;
}
