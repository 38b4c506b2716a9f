// Raising a concern (DESIGN.md §4), in the GOV.UK "question page, check answers,
// confirmation" pattern. Nothing is stored until the partner sends it from the check page;
// the form carries an idempotency key, so a double click or a retry makes one concern.
//   GET  /concerns/new[?child=:id]  the form (about a child the user can see, or unknown)
//   POST /concerns/new              back to the form with the answers (from "Change")
//   POST /concerns/check            check the answers; errors go back to the form
//   POST /concerns                  send: one transaction, then the confirmation
//   GET  /concerns/:ref             the receipt, for the submitting organisation only
//   GET  /submissions               the organisation's concerns, status and feedback
// Who may raise and who may read is the policy's (create Concern, read Submissions); records
// come through the access module.
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { IdempotencyConflict, NotPermitted } from '../access/index.ts';
import type { Sql } from '../db/connect.ts';
import { errorFields, type Logger } from '../log.ts';
import { permit } from '../middleware/permit/index.ts';
import { contactFor, theCouncil } from '../organisations/council.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import { normaliseText, textProblem } from '../validation/text.ts';
import { presentTrainingRenewal } from '../training/presenter.ts';
import type { Views } from '../web/views.ts';
import { answerNames, checkConcern, readAnswers, TEXT_LIMIT, type Answers, type ConcernErrors } from './form.ts';
import { phoneNumbers, presentAlreadySent, presentConcernCheck, presentConcernForm, presentReceipt, presentSubmissions } from './presenter.ts';
import { decisionDue } from './working-days.ts';

const REFERENCE = /^SPP-\d{4}-\d{6,}$/;

const blankAnswers = (): Answers => Object.fromEntries(answerNames.map((name) => [name, ''])) as Answers;

export function concernRoutes(sql: Sql, views: Views, log: Logger, immediateRiskHours: number) {
  const routes = new Hono<AppEnv>();

  routes.use('/concerns', noStore);
  routes.use('/concerns/*', noStore);
  routes.use('/submissions', noStore);

  /** The child the concern is about, if raised from a summary the user may see: a short label only. */
  async function knownChild(c: Context<AppEnv>, id: string): Promise<{ id: string; label: string } | undefined> {
    if (!isUuid(id)) return undefined; // typed or tampered: no child has it (and PostgreSQL would refuse it as a uuid)
    const child = await c.var.access!.childLabel(id);
    return child && { id: child.id, label: child.name ?? 'the child you were viewing' };
  }

  // Raising a concern is the policy's `create Concern`. Where the policy refuses it with a
  // reason (a new starter whose training is not recorded), the page says why and whom to ask;
  // anyone the policy says nothing about gets "not found".
  const mayRaise: MiddlewareHandler<AppEnv> = async (c, next) => {
    const access = c.var.access!;
    if (access.can('create', 'Concern')) return next();
    const refusal = access.refusal('create', 'Concern');
    if (!refusal) return c.notFound();
    return views.render(c, 'concerns/not-trained', {
      title: 'You cannot raise concerns yet',
      reason: refusal.reason,
      renewal: presentTrainingRenewal(access.actor),
      contact: contactFor(await theCouncil(sql)),
    }, 403);
  };
  routes.on(['GET', 'POST'], '/concerns/new', mayRaise);
  routes.post('/concerns/check', mayRaise);
  routes.post('/concerns', mayRaise);
  routes.get('/submissions', permit('read', 'Submissions'));
  routes.get('/concerns/:reference', permit('read', 'Submissions'));

  /** The groups htmx checks as they are left (views/concerns/new.eta): the text fields and dates. */
  const checkedOnLeaving = new Set(['childForename', 'dob', 'childNhsNumber', 'childUpn', 'childAddress', 'childPostcode', 'whatHappened', 'when',
    'childWords', 'actionsTaken', 'parentsNotAwareReason', 'referrerPhone', 'referrerEmail']);

  type KnownChild = Awaited<ReturnType<typeof knownChild>>;

  async function showForm(c: Context<AppEnv>, answers: Answers, errors: ConcernErrors = {}, status: 200 | 400 = 200) {
    const child = answers.childId ? await knownChild(c, answers.childId) : undefined;
    if (answers.childId && !child) return c.notFound();
    return renderForm(c, answers, child, errors, status);
  }

  function renderForm(c: Context<AppEnv>, answers: Answers, child: KnownChild, errors: ConcernErrors, status: 200 | 400) {
    return views.render(c, 'concerns/new', presentConcernForm(answers, child, errors), status);
  }

  routes.get('/concerns/new', async (c) => {
    const answers = { ...blankAnswers(), idempotencyKey: randomUUID(), childId: c.req.query('child') ?? '' };
    answers.referrerEmail = c.var.actor!.email ?? '';
    return showForm(c, answers);
  });

  // The form again with the answers as typed ("Change your answers"). With ?check=<group>, it is
  // htmx checking one field as it is left: the page carries that field's message only (htmx
  // takes that field's group from it), and answers 200 so that htmx swaps it in.
  routes.post('/concerns/new', async (c) => {
    const answers = readAnswers(await c.req.parseBody());
    const group = c.req.query('check') ?? '';
    if (!checkedOnLeaving.has(group)) return showForm(c, answers);
    const checked = checkConcern(answers, { childKnown: Boolean(answers.childId) });
    const message = checked.ok ? undefined : checked.errors[group];
    return showForm(c, answers, message ? { [group]: message } : {});
  });

  /**
   * The posted answers, the child they are about (when raised from a record the user may see)
   * and the checked concern; or, when something is wrong, the page to answer with instead.
   */
  async function readConcern(c: Context<AppEnv>) {
    const answers = readAnswers(await c.req.parseBody());
    const child = answers.childId ? await knownChild(c, answers.childId) : undefined;
    if (answers.childId && !child) return { page: c.notFound() } as const;
    const checked = checkConcern(answers, { childKnown: Boolean(child) });
    if (!checked.ok) return { page: await renderForm(c, answers, child, checked.errors, 400) } as const;
    return { answers, child, concern: checked.concern } as const;
  }

  routes.post('/concerns/check', async (c) => {
    const read = await readConcern(c);
    if ('page' in read) return read.page;
    const { answers, child, concern } = read;
    // Immediate risk: before the written record goes, say to phone now, with the numbers.
    const phone = concern.immediateRisk ? phoneNumbers(await theCouncil(sql)) : null;
    return views.render(c, 'concerns/check', presentConcernCheck(answers, child, concern, false, { phone, immediateRiskHours }));
  });

  routes.post('/concerns', async (c) => {
    const read = await readConcern(c);
    if ('page' in read) return read.page;
    const { answers, child, concern } = read;
    try {
      const { reference, changed } = await c.var.access!.raiseConcern(concern, decisionDue(new Date(), concern.immediateRisk, immediateRiskHours));
      // The same form sent again with different answers: those changes were not sent. Say so,
      // and offer to add them to the concern rather than dropping them without a word.
      if (changed) return views.render(c, 'concerns/already-sent', presentAlreadySent(reference, { text: '', idempotencyKey: randomUUID() }), 409);
      return c.redirect(`/concerns/${reference}`, 303);
    } catch (error) {
      if (error instanceof NotPermitted) return c.notFound();
      if (error instanceof IdempotencyConflict) return renderForm(c, { ...answers, idempotencyKey: randomUUID() }, child, { form: 'This form was already used. Check your answers and send it again' }, 400);
      // Nothing was written. Let the partner try again with every answer intact.
      log.error('concern not saved', { requestId: c.get('requestId'), ...errorFields(error) });
      return views.render(c, 'concerns/check', presentConcernCheck(answers, child, concern, true), 503);
    }
  });

  routes.get('/concerns/:reference', async (c) => {
    const reference = c.req.param('reference');
    if (!REFERENCE.test(reference)) return c.notFound();
    const access = c.var.access!;
    const concern = await access.visibleConcern({ reference });
    if (!concern) return c.notFound();
    const note = access.mayAddTo(concern) ? { text: '', idempotencyKey: randomUUID() } : null;
    return views.render(c, 'concerns/receipt', presentReceipt(concern, { note, added: c.req.query('added') === '1', immediateRiskHours }));
  });

  // Information added to a concern already sent: by its own organisation (policy: update Concern).
  routes.post('/concerns/:reference/follow-ups', async (c) => {
    const reference = c.req.param('reference');
    if (!REFERENCE.test(reference)) return c.notFound();
    const access = c.var.access!;
    const concern = await access.visibleConcern({ reference });
    if (!concern || !access.mayAddTo(concern)) return c.notFound();
    const body = await c.req.parseBody();
    const note = { text: normaliseText(body.followUp), idempotencyKey: normaliseText(body.idempotencyKey) };
    const text = note.text.trim();
    const error = !text ? 'Enter what you want to add'
      : textProblem('What you add', text, TEXT_LIMIT)
        ?? (!isUuid(note.idempotencyKey) ? 'This form has expired. Copy what you typed, then reload the page and add it again' : undefined);
    if (error) {
      // The receipt, with what was typed kept beside the message, whichever page it came from.
      const kept = { text: note.text, idempotencyKey: isUuid(note.idempotencyKey) ? note.idempotencyKey : randomUUID(), error };
      const view = presentReceipt(concern, { note: kept, immediateRiskHours });
      return views.render(c, 'concerns/receipt', { ...view, title: `Error: ${view.title}` }, 400);
    }
    await access.addFollowUp(concern, { text, idempotencyKey: note.idempotencyKey });
    return c.redirect(`/concerns/${reference}?added=1`, 303);
  });

  routes.get('/submissions', async (c) => {
    const { concerns } = await c.var.access!.visibleConcerns({
      status: 'all', submittedByRoles: null, category: null, order: 'newest', page: 1, pageSize: 200,
    });
    return views.render(c, 'concerns/submissions', presentSubmissions(concerns, new Date()));
  });

  return routes;
}
