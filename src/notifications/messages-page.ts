// Information governance's "Messages" page (issue 18 point 3):
//   GET  /governance/messages               every e-mail the portal has queued, newest first: its
//                                            kind, the recipient's domain (never the whole address),
//                                            status (queued, sent, delivered, failed with reason)
//                                            and attempts; filtered by status
//   POST /governance/messages/:id/retry     puts a failed message back in the queue (logged)
// Both are policy rules (`read Messages`, `update Messages`), granted to information governance.
import { Hono } from 'hono';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { permit } from '../middleware/permit/index.ts';
import { normaliseText } from '../validation/text.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import type { Views } from '../web/views.ts';
import { isMessageStatus, listMessages, messageCounts, retryByHand } from './message-status.ts';
import { MESSAGES_PAGE_SIZE, presentMessagesPage } from './messages-presenter.ts';

export function messagesRoutes(sql: Sql, views: Views, log: Logger) {
  const routes = new Hono<AppEnv>();
  routes.use('/governance/messages', noStore);
  routes.use('/governance/messages/*', noStore);

  routes.get('/governance/messages', permit('read', 'Messages'), async (c) => {
    const status = normaliseText(c.req.query('status')).trim();
    const before = normaliseText(c.req.query('before')).trim();
    const retried = normaliseText(c.req.query('retried')).trim();
    const filter = isMessageStatus(status) ? status : undefined;
    const [rows, counts] = await Promise.all([
      listMessages(sql, { status: filter, before: /^\d{1,18}$/.test(before) ? before : undefined, limit: MESSAGES_PAGE_SIZE }),
      messageCounts(sql),
    ]);
    return views.render(c, 'governance/messages', presentMessagesPage(rows, counts, filter, /^\d{1,18}$/.test(retried) ? retried : undefined));
  });

  routes.post('/governance/messages/:id/retry', permit('update', 'Messages'), async (c) => {
    const id = c.req.param('id');
    // A message that is not there, or has not failed, answers as a missing page.
    if (!(await retryByHand(sql, id))) return c.notFound();
    log.info('message retried by hand', { requestId: c.get('requestId'), outboxId: id, userId: c.var.actor!.userId });
    return c.redirect(`/governance/messages?retried=${id}`, 303);
  });

  return routes;
}
