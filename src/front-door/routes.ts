// The front door (MASH): triage partners' concerns within one working day (DESIGN.md §4).
//   GET  /front-door               the queue (htmx filters; the results alone for htmx)
//   GET  /front-door/:id           one concern, the children it may be about, the decision form
//   POST /front-door/:id/decision  match, decide, feed back: one transaction (./decide.ts)
// Anyone without `decide` on Concern gets the page an unknown address gets (404).
import { Hono, type Context } from 'hono';
import { recordAccess } from '../audit/access-log.ts';
import { isRole, roles } from '../auth/roles.ts';
import { findChild } from '../children/queries.ts';
import { accessor } from '../children/routes.ts';
import { presentChild } from '../children/summary.ts';
import { concernCategories, isConcernCategory } from '../concerns/categories.ts';
import { TEXT_LIMIT } from '../concerns/form.ts';
import { timeLeft } from '../concerns/working-days.ts';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { permittedChildFields } from '../policy/ability.ts';
import { childrenFilter } from '../policy/sql-filter.ts';
import type { AppEnv } from '../web/env.ts';
import { formatDate, formatDateTime } from '../web/format.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import type { Views } from '../web/views.ts';
import { decideConcern } from './decide.ts';
import { decisionLabels, decisions, isDecision } from '../concerns/decisions.ts';
import {
  findConcern, listQueue, matchCandidates, partnerAgencies, statusFilters,
  type FrontDoorConcern, type PartnerAgency, type StatusFilter,
} from './queries.ts';

const PAGE_SIZE = 25;

const agencyLabels: Record<PartnerAgency, string> = { education: 'Schools', health: 'Health', police: 'Police' };
const statusLabels: Record<StatusFilter, string> = { open: 'Waiting for a decision', decided: 'Decided', all: 'All' };

export interface DecisionAnswers {
  match: string;
  decision: string;
  reason: string;
  feedback: string;
}
export type DecisionErrors = Partial<Record<keyof DecisionAnswers, string>>;

/** A suggested child as the page shows it: only the fields the policy releases. */
interface Suggestion {
  id: string;
  reason: string;
  name: string;
  dateOfBirth: string | null;
  postcode: string | null;
  legalStatus: string | null;
}

export function frontDoorRoutes(sql: Sql, views: Views, log: Logger, publicUrl: string) {
  const routes = new Hono<AppEnv>();
  const canDecide = (c: Context<AppEnv>) => c.get('ability')?.can('decide', 'Concern') === true;

  routes.use('/front-door', noStore);
  routes.use('/front-door/*', noStore);

  routes.get('/front-door', async (c) => {
    if (!canDecide(c)) return c.notFound();
    // Bad or hostile query values fall back to defaults: never an error page for a filter.
    const statusParam = c.req.query('status') ?? '';
    const status = statusFilters.includes(statusParam as StatusFilter) ? (statusParam as StatusFilter) : 'open';
    const agencyParam = c.req.query('agency') ?? '';
    const agency = (partnerAgencies as readonly string[]).includes(agencyParam) ? (agencyParam as PartnerAgency) : null;
    const categoryParam = c.req.query('category') ?? '';
    const category = isConcernCategory(categoryParam) ? categoryParam : null;
    const pageParam = Number.parseInt(c.req.query('page') ?? '1', 10);
    const page = Number.isFinite(pageParam) && pageParam >= 1 && pageParam <= 100_000 ? pageParam : 1;

    const { rows, total } = await listQueue(sql, { status, agency, category, page, pageSize: PAGE_SIZE });
    const now = new Date();
    const concerns = rows.map((row) => ({
      ...row,
      child: [row.childForename, row.childSurname].filter(Boolean).join(' ') || 'Name not given',
      receivedAt: formatDateTime(row.receivedAt),
      from: `${row.organisationName} (${isRole(row.submittedByRole) ? roles[row.submittedByRole].title : row.submittedByRole})`,
      due: row.status === 'received' ? timeLeft(row.decisionDueAt, now) : null,
      decidedAt: row.decidedAt ? formatDateTime(row.decidedAt) : null,
      decisionLabel: row.decision ? decisionLabels[row.decision] : null,
    }));
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const data = {
      title: 'Front door',
      concerns, total, page, pages, status, agency, category,
      statusLabels, agencyLabels, categories: concernCategories,
    };
    if (c.req.header('HX-Request') && c.req.header('HX-Target') === 'front-door-results') return views.render(c, 'front-door/_results', data);
    return views.render(c, 'front-door/queue', data);
  });

  /** The suggested children, reduced to what the policy releases to this user. */
  async function suggestionsFor(c: Context<AppEnv>, concern: FrontDoorConcern): Promise<Suggestion[]> {
    const ability = c.get('ability')!;
    const filter = childrenFilter(sql, ability, 'read');
    const candidates = await matchCandidates(sql, concern, filter);
    const suggestions: Suggestion[] = [];
    for (const candidate of candidates) {
      const record = await findChild(sql, candidate.childId, filter);
      const fields = record ? permittedChildFields(ability, 'read', record) : [];
      if (!record || !fields.includes('forename') || !fields.includes('surname')) continue;
      // The same display values as the child's summary, and only the permitted ones.
      const shown = presentChild(record, fields);
      const text = (field: 'dateOfBirth' | 'postcode' | 'legalStatus') => (field in shown ? (shown[field] as string | null) : null);
      suggestions.push({
        id: record.id,
        reason: candidate.reason,
        name: `${record.forename} ${record.surname}`,
        dateOfBirth: text('dateOfBirth'),
        postcode: text('postcode'),
        legalStatus: text('legalStatus'),
      });
    }
    return suggestions;
  }

  async function showConcern(c: Context<AppEnv>, concern: FrontDoorConcern, answers: DecisionAnswers, errors: DecisionErrors, status: 200 | 400, shown: Suggestion[]) {
    if (shown.length) {
      await recordAccess(sql, {
        ...accessor(c), childId: null, action: 'view_list', fieldsReleased: ['forename', 'surname', 'dateOfBirth', 'postcode', 'legalStatus'],
        reason: `Children suggested for concern ${concern.reference}`,
      });
    }
    const matchedChild = concern.childId && concern.status === 'decided' ? await matchedChildName(c, concern.childId) : null;
    return views.render(c, 'front-door/concern', {
      title: `${Object.keys(errors).length ? 'Error: ' : ''}Concern ${concern.reference}`,
      concern: {
        ...concern,
        receivedAt: formatDateTime(concern.receivedAt),
        happenedOn: formatDate(concern.happenedOn),
        childDateOfBirth: formatDate(concern.childDateOfBirth),
        decidedAt: concern.decidedAt ? formatDateTime(concern.decidedAt) : null,
        decisionLabel: concern.decision ? decisionLabels[concern.decision] : null,
        submittedByTitle: isRole(concern.submittedByRole) ? roles[concern.submittedByRole].title : concern.submittedByRole,
        due: concern.status === 'received' ? timeLeft(concern.decisionDueAt, new Date()) : null,
      },
      matchedChild,
      suggestions: shown,
      answers,
      errors,
      decisions,
      decisionLabels,
      categories: concernCategories,
      recorded: c.req.query('recorded') === '1',
    }, status);
  }

  async function matchedChildName(c: Context<AppEnv>, childId: string): Promise<{ id: string; name: string } | null> {
    const ability = c.get('ability')!;
    const record = await findChild(sql, childId, childrenFilter(sql, ability, 'read'));
    const fields = record ? permittedChildFields(ability, 'read', record) : [];
    if (!record || !fields.includes('forename')) return { id: childId, name: 'A child whose record you cannot see' };
    return { id: record.id, name: `${record.forename} ${record.surname}` };
  }

  async function concernFrom(c: Context<AppEnv>): Promise<FrontDoorConcern | undefined> {
    const id = c.req.param('id') ?? '';
    if (!isUuid(id)) return undefined;
    return findConcern(sql, id);
  }

  routes.get('/front-door/:id', async (c) => {
    if (!canDecide(c)) return c.notFound();
    const concern = await concernFrom(c);
    if (!concern) return c.notFound();
    const suggestions = concern.status === 'received' ? await suggestionsFor(c, concern) : [];
    // The partner's own child, when the front door may see it, is chosen to begin with.
    const match = concern.childId && suggestions.some((s) => s.id === concern.childId) ? concern.childId : '';
    return showConcern(c, concern, { match, decision: '', reason: '', feedback: '' }, {}, 200, suggestions);
  });

  routes.post('/front-door/:id/decision', async (c) => {
    if (!canDecide(c)) return c.notFound();
    const concern = await concernFrom(c);
    if (!concern) return c.notFound();
    const body = await c.req.parseBody();
    const text = (name: string) => {
      const value = body[name];
      return typeof value === 'string' ? value.slice(0, TEXT_LIMIT + 1) : '';
    };
    const answers: DecisionAnswers = { match: text('match'), decision: text('decision'), reason: text('reason'), feedback: text('feedback') };

    // Decided already (a double click, a retry, a colleague): show the decision that stands.
    if (concern.status === 'decided') return c.redirect(`/front-door/${concern.id}?recorded=1`, 303);

    const suggestions = await suggestionsFor(c, concern);
    const errors: DecisionErrors = {};
    const validMatch = answers.match === 'unmatched' || suggestions.some((s) => s.id === answers.match);
    if (!answers.match) errors.match = suggestions.length ? 'Select the child this concern is about, or keep it unmatched' : 'Select keep unmatched';
    else if (!validMatch) errors.match = 'Select one of the children suggested, or keep it unmatched';
    if (!isDecision(answers.decision)) errors.decision = 'Select the decision';
    if (!answers.reason.trim()) errors.reason = 'Enter the reason for the decision';
    else if (answers.reason.length > TEXT_LIMIT) errors.reason = `The reason must be ${TEXT_LIMIT.toLocaleString('en-GB')} characters or fewer`;
    if (!answers.feedback.trim()) errors.feedback = 'Enter feedback for the person who raised the concern';
    else if (answers.feedback.length > TEXT_LIMIT) errors.feedback = `Feedback must be ${TEXT_LIMIT.toLocaleString('en-GB')} characters or fewer`;
    if (Object.keys(errors).length || !isDecision(answers.decision)) return showConcern(c, concern, answers, errors, 400, suggestions);

    const session = c.get('session')!;
    const who = accessor(c);
    const result = await decideConcern(sql, {
      concernId: concern.id,
      decision: answers.decision,
      reason: answers.reason.trim(),
      feedback: answers.feedback.trim(),
      childId: answers.match === 'unmatched' ? null : answers.match,
    }, { ...who, userId: session.userId }, { publicUrl });
    if (!result) return c.notFound();
    if (!result.recorded) log.info('concern already decided', { requestId: c.get('requestId'), reference: result.reference });
    return c.redirect(`/front-door/${concern.id}?recorded=1`, 303);
  });

  return routes;
}
