// The monthly case-file audit of how partners' concerns were handled (issue 17, point 1).
//   GET  /case-audits                          samples drawn, audits one may read, actions one must do
//   GET  /case-audits/samples/new              the sample form (month, agency, outcome, immediate risk, size, seed)
//   POST /case-audits/samples                  draw and record it
//   GET  /case-audits/samples/:id              the sample's concerns and their audits
//   GET  /case-audits/samples/:id/concerns/:c  the concern and the audit form
//   POST /case-audits/samples/:id/concerns/:c  save a draft (a new version), or continue to check
//   GET  …/check, POST …/complete              check answers (Change links), then complete
//   GET  /case-audits/:id                      an audit (its versions with ?version=N); each look recorded
//   GET  /case-audits/actions/:id, POST        an agreed action; the person responsible marks it done
// Every permission is the policy's (`create`/`read`/`update CaseAudit`, `read`/`update
// CaseAuditAction`, `audit Concern`), asked through the access gateway; anything else is the 404
// page an unknown address gets.
import { Hono, type Context } from 'hono';
import { StaleAudit, type Access, type AuditAnswers } from '../access/index.ts';
import type { Logger } from '../log.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import type { Views } from '../web/views.ts';
import { todayInEngland } from '../validation/dates.ts';
import { characterCount, normaliseText } from '../validation/text.ts';
import { checkAuditForm, checkSampleForm, readAuditForm, readSampleForm, ACTION_LIMIT } from './form.ts';
import { errorList } from '../web/error-list.ts';
import { auditFieldOrder } from './form.ts';
import {
  auditFormHref, auditHref, presentAction, presentAudit, presentAuditForm, presentCheck, presentIndex, presentSample, presentSampleForm, sampleHref,
} from './presenter.ts';

const emptyAnswers = (): AuditAnswers => ({ grades: {}, evaluations: {}, actions: [] });
/** The version a form carries: a whole number the database's integer can hold, else -1 (which matches no audit: a stale form). */
const versionOf = (value: unknown): number => {
  const text = normaliseText(value).trim();
  return /^[0-9]{1,9}$/.test(text) ? Number(text) : -1;
};

export function caseAuditRoutes(views: Views, log: Logger, clock: () => Date = () => new Date()) {
  const routes = new Hono<AppEnv>();
  const access = (c: Context<AppEnv>): Access => c.var.access!;
  // The list is for those who may read an audit or an action agreed in one; the rest per page below.
  routes.use('/case-audits', noStore, async function caseAuditReaders(c, next) {
    const a = c.var.access;
    if (!a || !(a.can('read', 'CaseAudit') || a.can('read', 'CaseAuditAction'))) return c.notFound();
    await next();
  });
  routes.use('/case-audits/*', noStore);
  routes.use('/case-audits/samples', permit('create', 'CaseAudit'));
  routes.use('/case-audits/samples/*', permit('create', 'CaseAudit'));

  routes.get('/case-audits', async (c) => {
    const gateway = access(c);
    const [samples, audits, actions] = await Promise.all([
      gateway.caseAuditSamples(),
      gateway.can('read', 'CaseAudit') ? gateway.visibleCaseAudits() : Promise.resolve([]),
      gateway.myCaseAuditActions(),
    ]);
    return views.render(c, 'case-audits/index', presentIndex({ samples, audits, actions, mayDraw: gateway.can('create', 'CaseAudit'), mayReadAudits: gateway.can('read', 'CaseAudit'), today: todayInEngland(clock()) }));
  });

  routes.get('/case-audits/samples/new', (c) => views.render(c, 'case-audits/new-sample', presentSampleForm(readSampleForm({}), {}, clock())));

  routes.post('/case-audits/samples', async (c) => {
    const input = readSampleForm(await c.req.parseBody());
    const checked = checkSampleForm(input, clock());
    if (!checked.request) return views.render(c, 'case-audits/new-sample', presentSampleForm(input, checked.errors, clock()), 400);
    const id = await access(c).drawCaseAuditSample(checked.request);
    log.info('case audit sample drawn', { requestId: c.get('requestId'), sampleId: id });
    return c.redirect(sampleHref(id), 303);
  });

  routes.get('/case-audits/samples/:id', async (c) => {
    const found = await access(c).caseAuditSample(c.req.param('id'));
    if (!found) return c.notFound();
    return views.render(c, 'case-audits/sample', presentSample(found.sample, found.members));
  });

  async function auditable(c: Context<AppEnv>) {
    return access(c).auditableConcern(c.req.param('id') ?? '', c.req.param('concernId') ?? '');
  }
  const staffOf = (c: Context<AppEnv>) => access(c).auditAssignees();

  routes.get('/case-audits/samples/:id/concerns/:concernId', async (c) => {
    const found = await auditable(c);
    if (!found) return c.notFound();
    if (!found.mayEdit) return found.audit ? c.redirect(auditHref(found.audit.id), 303) : c.notFound();
    const saved = Number(c.req.query('saved'));
    const banner = Number.isInteger(saved) && saved > 0 && saved === found.audit?.version ? { type: 'success' as const, text: `Draft saved (version ${saved})` } : null;
    return views.render(c, 'case-audits/audit-form', presentAuditForm({
      sampleId: found.sample.id, concern: found.concern, answers: found.latest?.answers ?? emptyAnswers(), errors: {}, version: found.audit?.version ?? 0, staff: await staffOf(c), banner,
    }));
  });

  routes.post('/case-audits/samples/:id/concerns/:concernId', async (c) => {
    const found = await auditable(c);
    if (!found) return c.notFound();
    if (!found.mayEdit) return found.audit ? c.redirect(auditHref(found.audit.id), 303) : c.notFound();
    const body = await c.req.parseBody();
    const answers = readAuditForm(body);
    const expectedVersion = versionOf(body.version);
    const toCheck = normaliseText(body.intent) === 'check';
    const staff = await staffOf(c);
    const checked = checkAuditForm(answers, toCheck, new Set(staff.map((s) => s.id)), clock());
    const form = (errors: Record<string, string>, banner: { type: 'important'; text: string } | null, status: 400 | 409) => views.render(c, 'case-audits/audit-form', presentAuditForm({
      sampleId: found.sample.id, concern: found.concern, answers, errors, version: Math.max(expectedVersion, 0), staff, banner,
    }), status);
    if (Object.keys(checked.errors).length) return form(checked.errors, null, 400);
    try {
      const saved = await access(c).saveCaseAudit(found.sample.id, found.concern.id, { expectedVersion, answers, complete: false });
      log.info('case audit saved', { requestId: c.get('requestId'), auditId: saved.id, version: saved.version });
      const href = auditFormHref(found.sample.id, found.concern.id);
      return c.redirect(toCheck ? `${href}/check` : `${href}?saved=${saved.version}`, 303);
    } catch (error) {
      if (!(error instanceof StaleAudit)) throw error;
      return form({}, { type: 'important', text: 'This audit was saved somewhere else after you opened it. Your answers below have not been saved: open the audit again to see the latest version.' }, 409);
    }
  });

  routes.get('/case-audits/samples/:id/concerns/:concernId/check', async (c) => {
    const found = await auditable(c);
    if (!found || !found.mayEdit || !found.audit || !found.latest) return found?.audit ? c.redirect(auditHref(found.audit.id), 303) : c.notFound();
    return views.render(c, 'case-audits/check', presentCheck({ sampleId: found.sample.id, concern: found.concern, version: found.audit.version, answers: found.latest.answers, staff: await staffOf(c) }));
  });

  routes.post('/case-audits/samples/:id/concerns/:concernId/complete', async (c) => {
    const found = await auditable(c);
    if (!found || !found.mayEdit || !found.audit || !found.latest) return found?.audit ? c.redirect(auditHref(found.audit.id), 303) : c.notFound();
    const body = await c.req.parseBody();
    const staff = await staffOf(c);
    const answers = found.latest.answers;
    const checked = checkAuditForm(answers, true, new Set(staff.map((s) => s.id)), clock());
    const href = auditFormHref(found.sample.id, found.concern.id);
    if (Object.keys(checked.errors).length) {
      const list = errorList(checked.errors, auditFieldOrder(answers.actions.length)).map((e) => ({ ...e, href: `${href}${e.href}` }));
      return views.render(c, 'case-audits/check', presentCheck({ sampleId: found.sample.id, concern: found.concern, version: found.audit.version, answers, staff, errorList: list }), 400);
    }
    try {
      const saved = await access(c).saveCaseAudit(found.sample.id, found.concern.id, { expectedVersion: versionOf(body.version), answers, complete: true, actions: checked.actions });
      log.info('case audit completed', { requestId: c.get('requestId'), auditId: saved.id, version: saved.version });
      return c.redirect(`${auditHref(saved.id)}?completed=1`, 303);
    } catch (error) {
      if (!(error instanceof StaleAudit)) throw error;
      return c.redirect(`${href}/check`, 303);
    }
  });

  routes.get('/case-audits/actions/:id', async (c) => {
    const action = await access(c).visibleCaseAuditAction(c.req.param('id'));
    if (!action) return c.notFound();
    return views.render(c, 'case-audits/action', presentAction(action, { note: '', reference: action.reference, today: todayInEngland(clock()) }));
  });

  routes.post('/case-audits/actions/:id', async (c) => {
    const gateway = access(c);
    const action = await gateway.visibleCaseAuditAction(c.req.param('id'));
    if (!action || !action.mayComplete) return action ? c.redirect(`/case-audits/actions/${action.id}`, 303) : c.notFound();
    const note = normaliseText((await c.req.parseBody()).note).trim();
    const error = !note ? 'Enter a note of what was done' : characterCount(note) > ACTION_LIMIT ? `The note must be ${ACTION_LIMIT} characters or fewer` : undefined;
    if (error) return views.render(c, 'case-audits/action', presentAction(action, { note, error, reference: action.reference, today: todayInEngland(clock()) }), 400);
    if (!(await gateway.completeCaseAuditAction(action.id, note))) return c.notFound();
    log.info('case audit action done', { requestId: c.get('requestId'), actionId: action.id });
    return c.redirect(`/case-audits/actions/${action.id}`, 303);
  });

  routes.get('/case-audits/:id', async (c) => {
    const gateway = access(c);
    const found = await gateway.visibleCaseAudit(c.req.param('id'));
    if (!found) return c.notFound();
    const wanted = Number(c.req.query('version'));
    const staff = new Map((await gateway.auditAssignees()).map((s) => [s.id, s.name]));
    return views.render(c, 'case-audits/audit', presentAudit({
      ...found, shownVersion: Number.isInteger(wanted) && wanted > 0 ? wanted : null, completedNow: c.req.query('completed') === '1', today: todayInEngland(clock()), staff,
    }));
  });

  return routes;
}

