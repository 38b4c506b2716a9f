// The officer's side of police notifications (Operation Encompass, issue 14), in the GOV.UK
// "question page, check answers, confirmation" pattern. Nothing is stored until the officer sends
// from the check page; the form carries an idempotency key, so a double click or a retry makes one
// incident. Every answer travels in the form (hidden fields on the check page), so none is lost.
//   GET  /encompass[?page=n]           the force's notifications, each destination's outcome, 50 destinations a page
//   GET  /encompass/new                the form
//   POST /encompass/new                the form again with the answers ("Add another child", "Change")
//   POST /encompass/check              check the answers and say where each child will go
//   POST /encompass                    send: one transaction, then the confirmation
//   GET  /encompass/sent/:reference    the confirmation panel and where it went
// The questions, their words and checks are the current version of forms/encompass (docs/forms.md);
// the answers carry the version they were given on, and the send records it. The first time an
// officer opens the form on a new version, its "what's changed" note is shown (src/forms/notes.ts).
// Who may send and read is the policy's (create / read EncompassNotification); records and the
// routing lookups come through the access module.
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { IdempotencyConflict } from '../access/index.ts';
import { hit, type RateLimit } from '../auth/rate-limit.ts';
import { presentTooManyLookups } from '../lookup/presenter.ts';
import type { Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import { contactFor, theCouncil } from '../organisations/council.ts';
import { presentTrainingRenewal } from '../training/presenter.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import { numberedPagination } from '../web/numbered-pagination.ts';
import type { Views } from '../web/views.ts';
import { portalForms, type FormCatalogue, type FormDefinition } from '../forms/load.ts';
import { noteToShow } from '../forms/notes.ts';
import { currentVersion, versionCarried } from '../forms/versions.ts';
import { addedAnswerNames, blankAnswers, blankChild, checkAnswers, MAX_CHILDREN, readAnswers as readPosted, type EncompassAnswers, type EncompassErrors } from './form.ts';
import { presentEncompassCheck, presentEncompassForm, presentIncidents } from './presenter.ts';
import type { SharedItem, SharedItemsByForce } from './shared-items.ts';

const REFERENCE = /^OE-\d{4}-\d{6,}$/;
const PAGE_SIZE = 50;

export function encompassRoutes(sql: Sql, views: Views, log: Logger, sharedItemsByForce: SharedItemsByForce, rateLimit: RateLimit, forms: FormCatalogue = portalForms()) {
  const routes = new Hono<AppEnv>();
  /** The answers to every version's added questions are read (a form may be on any of them). */
  const extraNames = addedAnswerNames(forms);
  const readAnswers = (body: Record<string, unknown>, items: readonly SharedItem[]) => readPosted(body, items, extraNames);
  /** The version the answers were given on (a form opened before a new version finishes on its own), never one not yet in effect. */
  const formOf = (answers: EncompassAnswers): FormDefinition => {
    const carried = versionCarried(forms, 'encompass', answers.fields.formVersion);
    const current = currentVersion(forms, 'encompass');
    return carried.version > current.version ? current : carried;
  };
  routes.use('/encompass', noStore);
  routes.use('/encompass/*', noStore);

  // The force's pages: where the policy speaks of sending notifications at all (a new starter
  // sees their force's list, and is told why they cannot send yet); anyone else, not found.
  const forTheForce: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!c.var.access?.concerns('create', 'EncompassNotification')) return c.notFound();
    await next();
  };
  const maySend: MiddlewareHandler<AppEnv> = async (c, next) => {
    const access = c.var.access!;
    if (access.can('create', 'EncompassNotification')) return next();
    const refusal = access.refusal('create', 'EncompassNotification');
    if (!refusal) return c.notFound();
    return views.render(c, 'encompass/not-trained', {
      title: 'You cannot send notifications yet', reason: refusal.reason,
      renewal: presentTrainingRenewal(access.actor), contact: contactFor(await theCouncil(sql)),
    }, 403);
  };
  routes.get('/encompass', forTheForce);
  routes.get('/encompass/sent/:reference', forTheForce);
  routes.on(['GET', 'POST'], '/encompass/new', maySend);
  routes.post('/encompass/check', maySend);
  routes.post('/encompass', maySend);

  /** The items the officer's force shares by local agreement (ENCOMPASS_SHARED_ITEMS). */
  async function itemsFor(c: Context<AppEnv>): Promise<{ items: readonly SharedItem[]; forceName: string } | undefined> {
    const force = await c.var.access!.encompassForce();
    return force && { items: sharedItemsByForce.get(force.forceCode) ?? [], forceName: force.name };
  }

  function form(c: Context<AppEnv>, answers: EncompassAnswers, items: readonly SharedItem[], forceName: string, errors: EncompassErrors = {}, status: 200 | 400 = 200, changeNote?: FormDefinition) {
    return views.render(c, 'encompass/new', presentEncompassForm(answers, items, errors, forceName, formOf(answers), changeNote), status);
  }

  routes.get('/encompass', async (c) => {
    const raw = c.req.query('page') ?? '';
    const page = /^\d{1,6}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1;
    const { notifications, total } = await c.var.access!.visibleEncompassNotifications({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return views.render(c, 'encompass/list', {
      title: 'Domestic abuse notifications', incidents: presentIncidents(notifications, new Date()),
      maySend: c.var.access!.can('create', 'EncompassNotification'),
      pagination: numberedPagination(page, Math.max(1, Math.ceil(total / PAGE_SIZE)), (p) => `/encompass?page=${p}`, 'Pages of notifications'),
    });
  });

  routes.get('/encompass/new', async (c) => {
    const force = await itemsFor(c);
    if (!force) return c.notFound();
    const actor = c.var.access!.actor;
    const version = currentVersion(forms, 'encompass');
    // The current version's "what's changed" note, the first time this officer opens the form on it.
    const note = await noteToShow(sql, c.var.actor!.userId, version);
    return form(c, blankAnswers(randomUUID(), { name: actor.name, email: actor.email }, version.version), force.items, force.forceName, {}, 200, note);
  });

  // "Add another child" and "Change your answers" post the answers back to the form.
  routes.post('/encompass/new', async (c) => {
    const force = await itemsFor(c);
    if (!force) return c.notFound();
    const body = await c.req.parseBody();
    const answers = readAnswers(body, force.items);
    if (body.addChild !== undefined && answers.children.length < MAX_CHILDREN) answers.children.push(blankChild());
    return form(c, answers, force.items, force.forceName);
  });

  routes.post('/encompass/check', async (c) => {
    const force = await itemsFor(c);
    if (!force) return c.notFound();
    const answers = readAnswers(await c.req.parseBody(), force.items);
    const checked = checkAnswers(answers, formOf(answers));
    if (!checked.ok) return form(c, answers, force.items, force.forceName, checked.errors, 400);
    // Each child routed is a lookup, counted against the same hourly limit as /lookup: the check
    // page says where a child is on roll, so it must not become an unlimited way to ask that.
    const access = c.var.access!;
    for (const _child of checked.value.children) {
      const allowed = await hit(sql, `lookup:${access.actor.userId}`, rateLimit);
      if (!allowed.allowed) {
        await access.refuseLookup(`Refused: more than ${rateLimit.limit} lookups in an hour (Operation Encompass)`);
        return views.render(c, 'lookup/too-many', presentTooManyLookups(allowed.retryAfterSeconds), 429);
      }
    }
    const routed = await access.routeEncompassChildren(checked.value);
    return views.render(c, 'encompass/check', presentEncompassCheck(checked.value, routed, answers, force.items, formOf(answers)));
  });

  routes.post('/encompass', async (c) => {
    const force = await itemsFor(c);
    if (!force) return c.notFound();
    const answers = readAnswers(await c.req.parseBody(), force.items);
    const checked = checkAnswers(answers, formOf(answers));
    if (!checked.ok) return form(c, answers, force.items, force.forceName, checked.errors, 400);
    try {
      const sent = await c.var.access!.sendEncompass(checked.value);
      return c.redirect(`/encompass/sent/${sent.reference}${sent.changed ? '?changed=1' : ''}`, 303);
    } catch (error) {
      if (error instanceof IdempotencyConflict) return c.notFound();
      log.error('police notification not sent', errorFields(error));
      return views.render(c, 'encompass/check', { ...presentEncompassCheck(checked.value, [], answers, force.items, formOf(answers)), failed: true }, 500);
    }
  });

  routes.get('/encompass/sent/:reference', async (c) => {
    const reference = c.req.param('reference');
    if (!REFERENCE.test(reference)) return c.notFound();
    const { notifications } = await c.var.access!.visibleEncompassNotifications({ limit: 100, offset: 0, incidentReference: reference });
    const [incident] = presentIncidents(notifications, new Date());
    if (!incident) return c.notFound();
    return views.render(c, 'encompass/sent', { title: 'Notification sent', incident, changed: c.req.query('changed') === '1' });
  });

  return routes;
}
