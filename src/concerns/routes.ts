// Raising a concern (DESIGN.md §4), in the GOV.UK "question page, check answers,
// confirmation" pattern. Nothing is stored until the partner sends it from the check page;
// the form carries an idempotency key, so a double click or a retry makes one concern.
//   GET  /concerns/new[?child=:id]  the form (about a child the user can see, or unknown)
//   POST /concerns/new              back to the form with the answers (from "Change")
//   POST /concerns/check            check the answers; errors go back to the form
//   POST /concerns                  send: one transaction, then the confirmation
//   GET  /concerns/:ref             the receipt, for the submitting organisation only
//   GET  /submissions               the organisation's concerns, status and feedback
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { accessor } from '../children/routes.ts';
import { findChild } from '../children/queries.ts';
import { roles } from '../auth/roles.ts';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { permittedChildFields } from '../policy/ability.ts';
import { childrenFilter } from '../policy/sql-filter.ts';
import { subject } from '@casl/ability';
import type { AppEnv } from '../web/env.ts';
import { formatDate, formatDateTime } from '../web/format.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import type { Views } from '../web/views.ts';
import { concernCategories } from './categories.ts';
import { answerNames, checkConcern, readAnswers, type Answers, type ConcernErrors } from './form.ts';
import { IdempotencyConflict, findOwnConcern, organisationSubmissions, submitConcern } from './store.ts';
import { councilContact } from '../auth/users.ts';
import { decisionLabels } from './decisions.ts';
import { decisionDeadline, timeLeft } from './working-days.ts';

const REFERENCE = /^SPP-\d{4}-\d{6,}$/;

const blankAnswers = (): Answers => Object.fromEntries(answerNames.map((name) => [name, ''])) as Answers;

export interface ConcernHooks {
  /** Tests inject a failure here to show that a failed submission leaves nothing behind. */
  beforeCommit?: (tx: Sql) => Promise<void>;
}

export function concernRoutes(sql: Sql, views: Views, log: Logger, publicUrl: string, hooks: ConcernHooks = {}) {
  const routes = new Hono<AppEnv>();

  routes.use('/concerns', noStore);
  routes.use('/concerns/*', noStore);
  routes.use('/submissions', noStore);

  /** The child the concern is about, if raised from a summary the user may see: a short label only. */
  async function knownChild(c: Context<AppEnv>, id: string): Promise<{ id: string; label: string } | undefined> {
    if (!isUuid(id)) return undefined;
    const ability = c.get('ability')!;
    const record = await findChild(sql, id, childrenFilter(sql, ability, 'read'));
    const fields = record ? permittedChildFields(ability, 'read', record) : [];
    if (!record || fields.length === 0) return undefined;
    const name = [fields.includes('forename') ? record.forename : null, fields.includes('surname') ? record.surname : null].filter(Boolean).join(' ');
    return { id: record.id, label: name || 'the child you were viewing' };
  }

  async function notTrained(c: Context<AppEnv>) {
    return views.render(c, 'concerns/not-trained', { title: 'You cannot raise concerns yet', contact: await councilContact(sql) }, 403);
  }

  // Concerns are raised, and submissions read, by partners: the council's own staff get "not
  // found" (the front door has its own pages). A partner whose training is not recorded may read
  // but not raise, and is told why and what to do.
  const partnersOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (roles[c.get('session')!.role!].agency === 'council') return c.notFound();
    await next();
  };
  const trained: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!c.get('ability')!.can('create', 'Concern')) return notTrained(c);
    await next();
  };
  routes.on(['GET', 'POST'], '/concerns/new', partnersOnly, trained);
  routes.post('/concerns/check', partnersOnly, trained);
  routes.post('/concerns', partnersOnly, trained);
  routes.get('/submissions', partnersOnly);
  routes.get('/concerns/:reference', partnersOnly);

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
    return views.render(c, 'concerns/new', {
      title: Object.keys(errors).length ? 'Error: Raise a concern' : 'Raise a concern',
      answers,
      errors,
      child,
      categories: concernCategories,
    }, status);
  }

  routes.get('/concerns/new', async (c) => {
    const answers = { ...blankAnswers(), idempotencyKey: randomUUID(), childId: c.req.query('child') ?? '' };
    answers.referrerEmail = c.get('session')!.email ?? '';
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
    return views.render(c, 'concerns/check', { title: 'Check your answers before sending your concern', answers, child, concern, categories: concernCategories, formatDate });
  });

  routes.post('/concerns', async (c) => {
    const read = await readConcern(c);
    if ('page' in read) return read.page;
    const { answers, child, concern } = read;
    const session = c.get('session')!;
    const who = accessor(c);
    try {
      const { reference } = await submitConcern(sql, concern, {
        userId: session.userId,
        issuer: who.issuer,
        subject: who.subject,
        name: who.userName,
        role: who.role,
        agency: roles[who.role].agency,
        organisationId: who.organisationId!,
        organisationName: who.organisationName ?? '',
        requestId: who.requestId,
      }, { decisionDueAt: decisionDeadline(new Date()), publicUrl, hooks });
      return c.redirect(`/concerns/${reference}`, 303);
    } catch (error) {
      if (error instanceof IdempotencyConflict) return renderForm(c, { ...answers, idempotencyKey: randomUUID() }, child, { form: 'This form was already used. Check your answers and send it again' }, 400);
      // Nothing was written. Let the partner try again with every answer intact.
      log.error('concern not saved', { requestId: c.get('requestId'), error: (error as Error).message });
      return views.render(c, 'concerns/check', {
        title: 'Your concern has not been sent',
        answers,
        child,
        concern,
        categories: concernCategories,
        formatDate,
        failed: true,
      }, 503);
    }
  });

  routes.get('/concerns/:reference', async (c) => {
    const reference = c.req.param('reference');
    const session = c.get('session')!;
    if (!REFERENCE.test(reference) || !session.organisationId) return c.notFound();
    const concern = await findOwnConcern(sql, reference, session.organisationId);
    if (!concern || !c.get('ability')!.can('read', subject('Concern', { organisationId: concern.organisationId }))) return c.notFound();
    return views.render(c, 'concerns/receipt', {
      title: `Concern ${concern.reference}`,
      concern: { ...concern, receivedAt: formatDateTime(concern.receivedAt), decidedAt: concern.decidedAt ? formatDateTime(concern.decidedAt) : null, happenedOn: formatDate(concern.happenedOn), childDateOfBirth: formatDate(concern.childDateOfBirth) },
      categories: concernCategories,
      decisionLabels,
    });
  });

  routes.get('/submissions', async (c) => {
    const session = c.get('session')!;
    const ability = c.get('ability')!;
    if (!session.organisationId || !ability.can('read', subject('Concern', { organisationId: session.organisationId }))) return c.notFound();
    const rows = await organisationSubmissions(sql, session.organisationId);
    const now = new Date();
    return views.render(c, 'concerns/submissions', {
      title: 'Your organisation’s submissions',
      submissions: rows.map((row) => ({
        ...row,
        receivedAt: formatDateTime(row.receivedAt),
        due: row.status === 'received' ? timeLeft(row.decisionDueAt, now).text : null,
      })),
      categories: concernCategories,
      decisionLabels,
    });
  });

  return routes;
}
