// A school's (and the front door's) side of police notifications (issue 14, point 3):
//   GET  /encompass/inbox                     the notifications the actor's school (or the front
//                                             door) must acknowledge, those waiting first; for the
//                                             front door also schools' notifications escalated to it
//   GET  /encompass/inbox/:id                 one notification: only the parts the policy releases
//                                             and the police contact; opening it is recorded
//   POST /encompass/inbox/:id/acknowledge     what the school will do: one transaction, idempotent
// Open to whoever the policy lets `acknowledge EncompassNotification` (a school's DSLs and
// deputies; the front door); one notification answers 404 unless the access module releases it.
import { Hono, type Context } from 'hono';
import type { ReleasedEncompass } from '../access/index.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';
import { portalForms, type FormCatalogue } from '../forms/load.ts';
import { checkAcknowledgement, readAcknowledgeAnswers, type AcknowledgeAnswers, type AcknowledgeErrors } from './acknowledge-form.ts';
import { presentAcknowledgeForm, presentInboxItem, presentNotification } from './inbox-presenter.ts';

/** The most notifications the inbox lists in each part (a school has a few a month). */
export const INBOX_LIMIT = 100;

type Ctx = Context<AppEnv>;

export function encompassInboxRoutes(views: Views, clock: () => Date = () => new Date(), forms: FormCatalogue = portalForms()) {
  const routes = new Hono<AppEnv>();
  routes.use('/encompass/inbox', permit('acknowledge', 'EncompassNotification'));
  routes.use('/encompass/inbox/*', permit('acknowledge', 'EncompassNotification'));

  routes.get('/encompass/inbox', async (c) => {
    const access = c.var.access!;
    const now = clock();
    const [waiting, recent] = await Promise.all([
      access.visibleEncompassNotifications({ limit: INBOX_LIMIT, offset: 0, unacknowledged: true }),
      access.visibleEncompassNotifications({ limit: INBOX_LIMIT, offset: 0 }),
    ]);
    // Its own (those it may acknowledge) first; for the front door, schools' notifications
    // escalated to it after (it may read them, not acknowledge them for the school).
    const own = (n: ReleasedEncompass) => access.mayAcknowledgeEncompass(n);
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'encompass/inbox', {
      title: 'Police notifications',
      waiting: waiting.notifications.filter(own).map((n) => presentInboxItem(n, now)),
      escalated: waiting.notifications.filter((n) => !own(n) && n.escalatedToFrontDoorAt).map((n) => presentInboxItem(n, now)),
      acknowledged: recent.notifications.filter((n) => own(n) && n.acknowledgedAt).slice(0, 20).map((n) => presentInboxItem(n, now)),
      more: waiting.total > INBOX_LIMIT,
    });
  });

  async function page(c: Ctx, n: ReleasedEncompass, form: { answers: AcknowledgeAnswers; errors: AcknowledgeErrors }, status: 200 | 400 = 200) {
    const access = c.var.access!;
    c.header('Cache-Control', 'no-store');
    return views.render(c, 'encompass/notification', {
      title: status === 400 ? `Error: Police notification ${n.reference}` : `Police notification ${n.reference}`,
      notification: presentNotification(n, clock(), forms),
      mayAcknowledge: access.mayAcknowledgeEncompass(n) && !n.acknowledgedAt,
      justAcknowledged: c.req.query('acknowledged') === '1' && Boolean(n.acknowledgedAt),
      form: presentAcknowledgeForm(form.answers, form.errors),
    }, status);
  }

  routes.get('/encompass/inbox/:id', async (c) => {
    const access = c.var.access!;
    const id = c.req.param('id');
    const n = await access.visibleEncompassNotification(id);
    if (!n) return c.notFound();
    // Proof of receipt: recorded for the notification's recipients only (the access module checks).
    await access.recordEncompassOpened(id);
    return page(c, n, { answers: { action: '', detail: '' }, errors: {} });
  });

  routes.post('/encompass/inbox/:id/acknowledge', async (c) => {
    const access = c.var.access!;
    const id = c.req.param('id');
    const n = await access.visibleEncompassNotification(id);
    if (!n || !access.mayAcknowledgeEncompass(n)) return c.notFound();
    const answers = readAcknowledgeAnswers(await c.req.parseBody());
    // Already acknowledged (a retry, a double click, another lead first): the one that stands.
    if (n.acknowledgedAt) return c.redirect(`/encompass/inbox/${n.id}`, 303);
    const checked = checkAcknowledgement(answers);
    if (!checked.ok) return page(c, n, { answers, errors: checked.errors }, 400);
    const done = await access.acknowledgeEncompass(n.id, checked.acknowledgement);
    if (!done) return c.notFound();
    return c.redirect(`/encompass/inbox/${n.id}${done.outcome === 'acknowledged' ? '?acknowledged=1' : ''}`, 303);
  });
  return routes;
}
