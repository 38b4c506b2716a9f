// The front door (MASH): triage partners' concerns within one working day (DESIGN.md §4).
//   GET  /front-door               the queue (htmx filters; the results alone for htmx)
//   GET  /front-door/:id           one concern, the children it may be about, the decision form;
//                                  ?search-name=…&search-dob-day=…&search-identifier=… finds any child by hand
//   POST /front-door/:id/decision  match, decide, feed back: one transaction (src/access/); refused
//                                  (409) when someone else assigned or decided it after the page was made
//   POST /front-door/:id/assign    take the concern, or give it to a colleague (the policy's `decide Concern`)
// The queue is the policy's `read FrontDoorQueue`; each concern is read through the access
// module (`read Concern`) and decided only where the policy allows `decide` on it. Anyone else
// gets the page an unknown address gets (404).
import { Hono, type Context } from 'hono';
import { NotPermitted, whatChanged, type ReleasedConcern } from '../access/index.ts';
import { isConcernCategory } from '../concerns/categories.ts';
import { changeNoteBanner } from '../concerns/presenter.ts';
import type { Sql } from '../db/connect.ts';
import { portalForms, type FormCatalogue } from '../forms/load.ts';
import { noteToShow } from '../forms/notes.ts';
import { currentVersion } from '../forms/versions.ts';
import type { Logger } from '../log.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import type { Views } from '../web/views.ts';
import { checkDecision, readDecisionAnswers, readSeenVersion, type DecisionAnswers, type DecisionErrors } from './decision-form.ts';
import { presentFrontDoorConcern, presentQueue } from './presenter.ts';
import { readSearch } from './search-form.ts';
import { partnerAgencies, rolesOf, statusFilters, type PartnerAgency, type StatusFilter } from './queue-filters.ts';

const PAGE_SIZE = 25;

export function frontDoorRoutes(views: Views, log: Logger, forms: FormCatalogue = portalForms(), sql?: Sql) {
  const routes = new Hono<AppEnv>();
  routes.use('/front-door', noStore, permit('read', 'FrontDoorQueue'));
  routes.use('/front-door/*', noStore, permit('read', 'FrontDoorQueue'));

  routes.get('/front-door', async (c) => {
    // Bad or hostile query values fall back to defaults: never an error page for a filter.
    const statusParam = c.req.query('status') ?? '';
    const status = statusFilters.includes(statusParam as StatusFilter) ? (statusParam as StatusFilter) : 'open';
    const agencyParam = c.req.query('agency') ?? '';
    const agency = (partnerAgencies as readonly string[]).includes(agencyParam) ? (agencyParam as PartnerAgency) : null;
    const categoryParam = c.req.query('category') ?? '';
    const category = isConcernCategory(categoryParam) ? categoryParam : null;
    const pageParam = Number.parseInt(c.req.query('page') ?? '1', 10);
    const page = Number.isFinite(pageParam) && pageParam >= 1 && pageParam <= 100_000 ? pageParam : 1;

    const { concerns: rows, total } = await c.var.access!.visibleConcerns({
      status, submittedByRoles: agency ? rolesOf(agency) : null, category, order: 'queue', page, pageSize: PAGE_SIZE,
    });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const data = presentQueue({ concerns: rows, total, page, pages, status, agency, category, now: new Date() });
    if (c.req.header('HX-Request') && c.req.header('HX-Target') === 'front-door-results') return views.render(c, 'front-door/_results', data);
    return views.render(c, 'front-door/queue', data);
  });

  async function showConcern(c: Context<AppEnv>, concern: ReleasedConcern, answers: DecisionAnswers, errors: DecisionErrors, status: 200 | 400 | 409, staleMessage: string | null = null) {
    const access = c.var.access!;
    const open = concern.status === 'received' && access.mayDecide(concern);
    const suggestions = concern.status === 'received' ? await access.suggestedChildren(concern, 'show') : [];
    // A search by hand (GET only: the decision form does not carry it) and, when a decision is
    // shown again, the child chosen from an earlier search, re-checked by the access module.
    const search = readSearch((name) => (c.req.method === 'GET' ? c.req.query(name) : undefined));
    const found = open && search.query ? await access.searchChildren(concern, search.query) : [];
    const offered = new Set([...suggestions, ...found].map((s) => s.child.id));
    const chosen = open && answers.match && answers.match !== 'unmatched' && !offered.has(answers.match)
      ? await access.matchableChild(concern, answers.match, 'show') : undefined;
    const matchedChild = concern.childId && concern.status === 'decided' ? await matchedChildName(c, concern.childId) : null;
    // Beside the decision: the matched child as the front door may read it (a look, so logged),
    // and the earlier concerns about them it may read.
    const contextChild = open && concern.childId ? await access.visibleChild(concern.childId) : undefined;
    const earlierConcerns = contextChild ? await access.otherConcernsAbout(concern) : [];
    // "Pass to the allocated social worker" only where a child it may be matched to is open and allocated.
    const candidates = [...new Set([concern.childId, ...suggestions.map((s) => s.child.id), ...(chosen ? [chosen.child.id] : []), ...found.map((s) => s.child.id)])]
      .filter((id): id is string => Boolean(id));
    let passOffered = false;
    if (open) for (const id of candidates) if (!passOffered && (await access.hasAllocatedWorker(id))) passOffered = true;
    // A new version of the decision form: what changed, once, the first time this worker decides on it.
    const decisionForm = currentVersion(forms, 'decision');
    const note = open && sql ? await noteToShow(sql, c.var.actor!.userId, decisionForm) : undefined;
    return views.render(c, 'front-door/concern', {
      changeNote: note ? changeNoteBanner(note) : null,
      ...presentFrontDoorConcern({
        forms,
        concern, suggestions, found: chosen ? [chosen, ...found] : found, search: open ? { ...search, ran: Boolean(search.query) } : null,
        matchedChild, answers, errors, recorded: c.req.query('recorded') === '1', now: new Date(),
        contextChild, earlierConcerns, passOffered, staleMessage,
        staff: open ? await access.assignableStaff() : [],
        next: await access.nextOpenConcern(concern),
      }),
    }, status);
  }

  async function matchedChildName(c: Context<AppEnv>, childId: string): Promise<{ id: string; name: string } | null> {
    const child = await c.var.access!.childLabel(childId);
    return child?.name ? { id: child.id, name: child.name } : { id: childId, name: 'A child whose record you cannot see' };
  }

  async function concernFrom(c: Context<AppEnv>): Promise<ReleasedConcern | undefined> {
    const id = c.req.param('id') ?? '';
    return isUuid(id) ? c.var.access!.visibleConcern({ id }) : undefined;
  }

  routes.get('/front-door/:id', async (c) => {
    const concern = await concernFrom(c);
    if (!concern) return c.notFound();
    const suggestions = concern.status === 'received' ? await c.var.access!.suggestedChildren(concern, 'check') : [];
    // The partner's own child, when the front door may see it, is chosen to begin with.
    const match = concern.childId && suggestions.some((s) => s.child.id === concern.childId) ? concern.childId : '';
    return showConcern(c, concern, { match, decision: '', reason: '', feedback: '' }, {}, 200);
  });

  routes.post('/front-door/:id/decision', async (c) => {
    const access = c.var.access!;
    const concern = await concernFrom(c);
    if (!concern || !access.mayDecide(concern)) return c.notFound();
    const body = await c.req.parseBody();
    const answers = readDecisionAnswers(body);
    const seenVersion = readSeenVersion(body);

    // Decided already. By someone else since this page was made: refused, saying so. A double
    // click or a retry of one's own decision (or a form that carries no version): the decision that stands.
    if (concern.status === 'decided') {
      const stale = whatChanged({
        version: concern.version ?? 0, decision: concern.decision ?? null, decidedByUserId: concern.decidedByUserId ?? null,
        decidedByName: concern.decidedByName ?? null, assignedToName: concern.assignedToName ?? null,
      }, { seenVersion, decision: answers.decision as never }, access.actor.userId);
      if (stale) return showConcern(c, concern, answers, {}, 409, stale);
      return c.redirect(`/front-door/${concern.id}?recorded=1`, 303);
    }

    // The children it may be matched to: its suggestions, and a child found by a search when the
    // access module confirms the actor may read it (never the form's word for it).
    const suggestions = await access.suggestedChildren(concern, 'check');
    const matchable = suggestions.map((s) => s.child.id);
    if (answers.match && answers.match !== 'unmatched' && !matchable.includes(answers.match)
      && (await access.matchableChild(concern, answers.match, 'check'))) matchable.push(answers.match);
    const checked = checkDecision(answers, matchable, currentVersion(forms, 'decision'));
    if (!checked.ok) return showConcern(c, concern, answers, checked.errors, 400);
    if (checked.decision.decision === 'passed_to_allocated_worker') {
      const child = checked.decision.childId ?? concern.childId;
      if (!child || !(await access.hasAllocatedWorker(child))) {
        return showConcern(c, concern, answers, { decision: 'Pass it to the allocated social worker only for a child who is open and has one: choose another decision' }, 400);
      }
    }

    let result;
    try {
      result = await access.decideConcern(concern, { ...checked.decision, seenVersion });
    } catch (error) {
      if (error instanceof NotPermitted) return c.notFound();
      throw error;
    }
    if (!result) return c.notFound();
    if (result.stale) {
      // Nothing was written: the page again, as it stands now, with what changed at the top.
      const now = await concernFrom(c);
      if (!now) return c.notFound();
      log.info('decision refused: concern changed since the page', { requestId: c.get('requestId'), reference: result.reference });
      return showConcern(c, now, { ...answers, match: answers.match }, {}, 409, result.stale);
    }
    if (!result.recorded) log.info('concern already decided', { requestId: c.get('requestId'), reference: result.reference });
    return c.redirect(`/front-door/${concern.id}?recorded=1`, 303);
  });

  routes.post('/front-door/:id/assign', async (c) => {
    const access = c.var.access!;
    const concern = await concernFrom(c);
    if (!concern || !access.mayDecide(concern)) return c.notFound();
    const body = await c.req.parseBody();
    const assignee = typeof body.assignee === 'string' ? body.assignee.trim() : '';
    if (assignee !== '' && !isUuid(assignee)) return c.notFound();
    try {
      await access.assignConcern(concern, assignee || null);
    } catch (error) {
      if (error instanceof NotPermitted) return c.notFound();
      throw error;
    }
    return c.redirect(`/front-door/${concern.id}`, 303);
  });

  return routes;
}
