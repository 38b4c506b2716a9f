// Raising a concern (DESIGN.md §4), in the GOV.UK "question page, check answers,
// confirmation" pattern. Nothing is stored until the partner sends it from the check page;
// the form carries an idempotency key, so a double click or a retry makes one concern.
//   GET  /concerns/new[?child=:id]  the form (about a child the user can see, or unknown); the
//                                   user's draft, if they have one (./drafts.ts)
//   POST /concerns/new              back to the form with the answers (htmx's field check)
//   POST /concerns/from-lookup      a lookup's details as the child's identifiers in the draft
//   POST /concerns/check            check the answers; errors go back to the form
//   POST /concerns                  send: one transaction, then the confirmation
// Every post of the form saves it as the user's draft, so nothing typed is lost to an
// interruption or a time-out (src/middleware/keep-answers/ keeps a post that arrives just after
// one); sending deletes it. Check answers' Change links go back to the form, which the draft fills.
//   GET  /concerns/:ref             the receipt, for the submitting organisation only
//   GET  /submissions               the organisation's concerns, status and feedback
// Who may raise and who may read is the policy's (create Concern, read Submissions); records
// come through the access module.
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { IdempotencyConflict, NotPermitted, type ConcernListQuery, type ReleasedConcern } from '../access/index.ts';
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
import { loadDraft, saveDraft } from './drafts.ts';
import { addedAnswerNames, answerNames, checkConcern, readAnswers, TEXT_LIMIT, type Answers, type ConcernErrors } from './form.ts';
import { portalForms, type FormCatalogue, type FormDefinition } from '../forms/load.ts';
import { noteToShow } from '../forms/notes.ts';
import { currentVersion, questionsOf, versionCarried } from '../forms/versions.ts';
import { readLookupForm } from '../lookup/form.ts';
import {
  phoneNumbers, presentAlreadySent, presentConcernCheck, presentConcernForm, presentReceipt, presentSubmissions, type DraftState, type MatchedChildLabel, type SubmissionFilters,
} from './presenter.ts';
import { decisionDue } from './working-days.ts';

const REFERENCE = /^SPP-\d{4}-\d{6,}$/;
const SUBMISSIONS_PAGE_SIZE = 25;
type Stage = NonNullable<ConcernListQuery['stage']>;
/** The statuses the submissions can be filtered by (a whitelist: anything else is "any status"). */
const STAGES: readonly Stage[] = ['sent', 'being_considered', 'decided'];

/** A page number from the address: a whole number from 1 to 100,000, or the first page. */
function pageNumber(raw: string | undefined): number {
  if (!raw || !/^\d{1,6}$/.test(raw)) return 1;
  const page = Number(raw);
  return page >= 1 && page <= 100_000 ? page : 1;
}

/** Something about the concern itself has been answered (beyond who the child is and how to reach the referrer). */
const concernAnswered = (answers: Answers) =>
  ['categories', 'whatHappened', 'when-day', 'when-month', 'when-year', 'childWords', 'immediateRisk', 'actionsTaken', 'parentsAware', 'parentsNotAwareReason']
    .some((name) => (answers[name] ?? '').trim() !== '');

const blankAnswers = (): Answers => Object.fromEntries(answerNames.map((name) => [name, ''])) as Answers;

export function concernRoutes(sql: Sql, views: Views, log: Logger, immediateRiskHours: number, forms: FormCatalogue = portalForms()) {
  const routes = new Hono<AppEnv>();
  /** The answers to every version's added questions are read (a draft may be on any of them). */
  const extraNames = addedAnswerNames(forms);
  /**
   * The version of the form the answers were given on: the one they carry (a draft finishes on the
   * version it was started on), never one not yet in effect; version 1 for answers from before versions.
   */
  const formOf = (answers: Answers): FormDefinition => {
    const carried = versionCarried(forms, 'concern', answers.formVersion);
    const current = currentVersion(forms, 'concern');
    return carried.version > current.version ? current : carried;
  };

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
  routes.post('/concerns/from-lookup', mayRaise);
  routes.post('/concerns/check', mayRaise);
  routes.post('/concerns', mayRaise);
  routes.get('/submissions', permit('read', 'Submissions'));
  routes.get('/concerns/:reference', permit('read', 'Submissions'));

  /** The groups htmx checks as they are left (views/concerns/new.eta): the questions the form file marks so. */
  const checkedOnLeaving = (form: FormDefinition) => new Set(questionsOf(form).filter((question) => question.check_on_leaving).map((question) => question.name));

  type KnownChild = Awaited<ReturnType<typeof knownChild>>;

  /**
   * The child a concern is matched to, as the access module names it to this actor (only where the
   * policy lets them read that child and its name); undefined otherwise. Not a look at the record.
   */
  async function matchedChild(c: Context<AppEnv>, concern: ReleasedConcern): Promise<MatchedChildLabel> {
    return concern.childId && isUuid(concern.childId) ? c.var.access!.childLabel(concern.childId) : undefined;
  }

  async function showForm(c: Context<AppEnv>, answers: Answers, errors: ConcernErrors = {}, status: 200 | 400 = 200, draft?: DraftState, changeNote?: FormDefinition) {
    const child = answers.childId ? await knownChild(c, answers.childId) : undefined;
    if (answers.childId && !child) return c.notFound();
    return renderForm(c, answers, child, errors, status, draft, changeNote);
  }

  function renderForm(c: Context<AppEnv>, answers: Answers, child: KnownChild, errors: ConcernErrors, status: 200 | 400, draft?: DraftState | 'asking-main', changeNote?: FormDefinition) {
    return views.render(c, 'concerns/new', presentConcernForm(answers, child, errors, draft, formOf(answers), changeNote), status);
  }

  /**
   * The current version's "what's changed" note, the first time this user opens the form on it
   * (marked seen as it is shown). Not while they finish a draft on an older version: they see it
   * when they next start one.
   */
  const changeNoteFor = async (c: Context<AppEnv>, answers: Answers) => {
    const form = formOf(answers);
    return form.version === currentVersion(forms, 'concern').version ? noteToShow(sql, c.var.actor!.userId, form) : undefined;
  };

  /** A new form's answers: a fresh key, the child if raised from their record, the user's e-mail. */
  const newAnswers = (c: Context<AppEnv>, childId = ''): Answers => ({
    ...blankAnswers(), idempotencyKey: randomUUID(), childId, referrerEmail: c.var.actor!.email ?? '', formVersion: String(currentVersion(forms, 'concern').version),
  });

  /** The answers posted, with every ticked kind (the body was parsed once already, by checkCsrf). */
  const postedAnswers = async (c: Context<AppEnv>) => readAnswers(await c.req.parseBody({ all: true }), extraNames);
  /** Keeps the answers as the user's draft (one per user: the latest form posted). */
  const keep = (c: Context<AppEnv>, answers: Answers) => saveDraft(sql, c.var.actor!.userId, answers);

  // The user's draft, if they have one: the form as they left it, saying why. Opened for a child
  // other than the draft's (from a child's record), a new form, saying a draft is waiting.
  routes.get('/concerns/new', async (c) => {
    const child = c.req.query('child') ?? '';
    const draft = await loadDraft(sql, c.var.actor!.userId);
    if (draft && (!child || child === draft.answers.childId)) {
      // A child the user may no longer see (their relationship ended): the draft is kept, about a child not known.
      const answers = draft.answers.childId && !(await knownChild(c, draft.answers.childId)) ? { ...draft.answers, childId: '' } : draft.answers;
      const hadOtherAnswers = draft.notice === 'from_lookup' && concernAnswered(answers);
      return showForm(c, answers, {}, 200, { shown: true, notice: draft.notice, hadOtherAnswers }, await changeNoteFor(c, answers));
    }
    const answers = newAnswers(c, child);
    return showForm(c, answers, {}, 200, { shown: false, waiting: Boolean(draft) }, await changeNoteFor(c, answers));
  });

  // The form again with the answers as typed. With ?check=<group>, it is htmx checking one field
  // as it is left: the page carries that field's message only (htmx takes that field's group
  // from it), and answers 200 so that htmx swaps it in.
  routes.post('/concerns/new', async (c) => {
    const answers = await postedAnswers(c);
    await keep(c, answers);
    const group = c.req.query('check') ?? '';
    if (!checkedOnLeaving(formOf(answers)).has(group)) return showForm(c, answers);
    const checked = checkConcern(answers, { childKnown: Boolean(answers.childId), form: formOf(answers) });
    const message = checked.ok ? undefined : checked.errors[group];
    return showForm(c, answers, message ? { [group]: message } : {});
  });

  /**
   * The posted answers, the child they are about (when raised from a record the user may see)
   * and the checked concern; or, when something is wrong, the page to answer with instead.
   */
  async function readConcern(c: Context<AppEnv>, options: { keep: boolean }) {
    const answers = await postedAnswers(c);
    // Checking keeps the answers as they are; sending keeps them only where they are not sent
    // (errors, a failure): a send deletes the draft of its own form, and must not replace a
    // draft of another form with one it is about to delete.
    if (options.keep) await keep(c, answers);
    const child = answers.childId ? await knownChild(c, answers.childId) : undefined;
    if (answers.childId && !child) return { page: c.notFound() } as const;
    const checked = checkConcern(answers, { childKnown: Boolean(child), form: formOf(answers) });
    if (!checked.ok) {
      if (!options.keep) await keep(c, answers);
      // Several kinds ticked and everything else answered: "Which is the main concern?" is a
      // follow-up question, asked the first time without an error (views/concerns/new.eta marks
      // the form that showed it with mainAsked).
      const body = await c.req.parseBody();
      if (Object.keys(checked.errors).join() === 'category' && body.mainAsked !== 'yes') {
        return { page: await renderForm(c, answers, child, {}, 200, 'asking-main') } as const;
      }
      return { page: await renderForm(c, answers, child, checked.errors, 400) } as const;
    }
    return { answers, child, concern: checked.concern } as const;
  }

  routes.post('/concerns/check', async (c) => {
    const read = await readConcern(c, { keep: true });
    if ('page' in read) return read.page;
    const { answers, child, concern } = read;
    // Immediate risk: before the written record goes, say to phone now, with the numbers.
    const phone = concern.immediateRisk ? phoneNumbers(await theCouncil(sql)) : null;
    return views.render(c, 'concerns/check', presentConcernCheck(answers, child, concern, false, { phone, immediateRiskHours }, formOf(answers)));
  });

  routes.post('/concerns', async (c) => {
    const read = await readConcern(c, { keep: false });
    if ('page' in read) return read.page;
    const { answers, child, concern } = read;
    try {
      const { reference, changed } = await c.var.access!.raiseConcern(concern, decisionDue(new Date(), concern.immediateRisk, immediateRiskHours));
      // The same form sent again with different answers: those changes were not sent. Say so,
      // and offer to add them to the concern rather than dropping them without a word.
      if (changed) return views.render(c, 'concerns/already-sent', presentAlreadySent(reference, { text: '', idempotencyKey: randomUUID() }), 409);
      return c.redirect(`/concerns/${reference}?sent=1`, 303);
    } catch (error) {
      if (error instanceof NotPermitted) return c.notFound();
      if (error instanceof IdempotencyConflict) {
        const fresh = { ...answers, idempotencyKey: randomUUID() };
        await keep(c, fresh);
        return renderForm(c, fresh, child, { form: 'This form was already used. Check your answers and send it again' }, 400);
      }
      // Nothing was written. Let the partner try again with every answer intact.
      log.error('concern not saved', { requestId: c.get('requestId'), ...errorFields(error) });
      await keep(c, answers).catch(() => {}); // best effort: the page below carries every answer as well
      return views.render(c, 'concerns/check', presentConcernCheck(answers, child, concern, true, undefined, formOf(answers)), 503);
    }
  });

  // "Raise a concern" after a lookup (issue 12, point 2): the lookup form's fields, named as in
  // src/lookup/form.ts, become the child's identifiers in the user's draft; the form then shows
  // them. A draft already holding answers keeps them (nothing typed is lost) and the form says
  // to check they are about this child. Not checked here: the form checks them as it does typing.
  routes.post('/concerns/from-lookup', async (c) => {
    const lookup = readLookupForm(await c.req.parseBody());
    const userId = c.var.actor!.userId;
    const draft = await loadDraft(sql, userId);
    const base = draft?.answers ?? newAnswers(c);
    const byNhsNumber = lookup.method !== 'details';
    const byDetails = lookup.method !== 'nhs';
    const answers: Answers = {
      ...base,
      childId: '', childForename: '', childUpn: '', childAddress: '',
      childSurname: byDetails ? lookup.surname : '',
      'dob-day': byDetails ? lookup.day : '',
      'dob-month': byDetails ? lookup.month : '',
      'dob-year': byDetails ? lookup.year : '',
      childPostcode: byDetails ? lookup.postcode : '',
      childNhsNumber: byNhsNumber ? lookup.nhsNumber : '',
    };
    await saveDraft(sql, userId, answers, 'from_lookup');
    return c.redirect('/concerns/new', 303);
  });

  routes.get('/concerns/:reference', async (c) => {
    const reference = c.req.param('reference');
    if (!REFERENCE.test(reference)) return c.notFound();
    const access = c.var.access!;
    const concern = await access.visibleConcern({ reference });
    if (!concern) return c.notFound();
    const note = access.mayAddTo(concern) ? { text: '', idempotencyKey: randomUUID() } : null;
    // ?sent=1 comes only with the redirect right after sending: the confirmation panel, that once.
    return views.render(c, 'concerns/receipt', presentReceipt(concern, {
      note, added: c.req.query('added') === '1', sent: c.req.query('sent') === '1', immediateRiskHours, matched: await matchedChild(c, concern), forms,
    }));
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
      const view = presentReceipt(concern, { note: kept, immediateRiskHours, matched: await matchedChild(c, concern), forms });
      return views.render(c, 'concerns/receipt', { ...view, title: `Error: ${view.title}` }, 400);
    }
    await access.addFollowUp(concern, { text, idempotencyKey: note.idempotencyKey });
    return c.redirect(`/concerns/${reference}?added=1`, 303);
  });

  // The organisation's concerns, newest first, a page at a time; filtered by status and by who
  // sent them. Unknown filter values and page numbers fall back to the defaults: never an error.
  routes.get('/submissions', async (c) => {
    const access = c.var.access!;
    const statusParam = c.req.query('status') ?? '';
    const filters: SubmissionFilters = {
      status: STAGES.find((stage) => stage === statusParam) ?? null,
      sentBy: c.req.query('sentBy') === 'me' ? 'me' : 'organisation',
    };
    const page = pageNumber(c.req.query('page'));
    const { concerns, total } = await access.visibleConcerns({
      status: 'all', submittedByRoles: null, category: null, order: 'newest', page, pageSize: SUBMISSIONS_PAGE_SIZE,
      stage: filters.status, submittedByUserId: filters.sentBy === 'me' ? c.var.actor!.userId : null,
    });
    const pages = Math.max(1, Math.ceil(total / SUBMISSIONS_PAGE_SIZE));
    // The children the concerns are matched to, named as the access module allows: one query for the page.
    const labels = await access.childLabels(concerns.flatMap((concern) => (concern.childId ? [concern.childId] : [])));
    const matched = new Map(concerns.map((concern) => [concern.id, concern.childId ? labels.get(concern.childId) : undefined] as const));
    return views.render(c, 'concerns/submissions', presentSubmissions({ concerns, matched, total, page, pages, filters }, new Date()));
  });

  return routes;
}
