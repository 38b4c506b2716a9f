// Safeguarding training recorded by the council (issue 5, point 7). A partner whose own
// organisation's sign-in does not say their training is complete may view but not raise
// concerns; the council (information governance, by policy) records it here.
//   GET  /training       partners who have signed in, those without training recorded first;
//                        ?organisation=<id>&status=current|renewal_due|not_recorded filter it
//                        (issue 12, point 7), and a bad filter is refused by its field (400)
//   GET  /training/:id   the date-of-completion form for one partner
//   POST /training/:id   record it: the partner may raise concerns from their next request
// The list is the policy's `read TrainingRecord`, recording one its `create TrainingRecord`;
// anyone else gets the page an unknown address gets (404).
import { Hono } from 'hono';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../log.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import { checkDate } from '../web/date-input.ts';
import { dateRanges } from '../validation/dates.ts';
import { normaliseText } from '../validation/text.ts';
import { noStore } from '../web/guards.ts';
import { isUuid } from '../validation/ids.ts';
import type { Views } from '../web/views.ts';
import { checkTrainingFilters, readTrainingFilters } from './filters.ts';
import { presentTrainingList, presentTrainingRecord } from './presenter.ts';
import { findPartnerUser, partnerOrganisations, partnerUsers, recordTraining } from './queries.ts';
import { DEFAULT_TRAINING_VALID_MONTHS, todayInEngland } from './renewal.ts';

export interface TrainingOptions {
  /** Months training stays current (TRAINING_VALID_MONTHS). */
  trainingValidMonths?: number;
}

export function trainingRoutes(sql: Sql, views: Views, log: Logger, { trainingValidMonths = DEFAULT_TRAINING_VALID_MONTHS }: TrainingOptions = {}) {
  const routes = new Hono<AppEnv>();
  routes.use('/training', noStore, permit('read', 'TrainingRecord'));
  routes.use('/training/*', noStore, permit('read', 'TrainingRecord'), permit('create', 'TrainingRecord'));

  routes.get('/training', async (c) => {
    const recordedId = c.req.query('recorded') ?? '';
    const organisations = await partnerOrganisations(sql);
    const input = readTrainingFilters((name) => c.req.query(name));
    const checked = checkTrainingFilters(input, organisations.map((o) => o.id));
    const today = todayInEngland();
    const users = await partnerUsers(sql, { organisationId: checked.organisationId, status: checked.status, today, validMonths: trainingValidMonths });
    const page = presentTrainingList(users, recordedId, { validMonths: trainingValidMonths, organisations, input, errors: checked.errors, today });
    return views.render(c, 'training/list', page, Object.keys(checked.errors).length ? 400 : 200);
  });

  async function partner(id: string) {
    return isUuid(id) ? findPartnerUser(sql, id) : undefined;
  }

  routes.get('/training/:id', async (c) => {
    const user = await partner(c.req.param('id'));
    if (!user) return c.notFound();
    return views.render(c, 'training/record', presentTrainingRecord(user, { day: '', month: '', year: '' }, undefined, trainingValidMonths));
  });

  routes.post('/training/:id', async (c) => {
    const user = await partner(c.req.param('id'));
    if (!user) return c.notFound();
    const body = await c.req.parseBody();
    const values = { day: normaliseText(body['completed-day']), month: normaliseText(body['completed-month']), year: normaliseText(body['completed-year']) };
    const checked = checkDate(values.day, values.month, values.year, 'the date the training was completed', true, dateRanges.trainingCompleted);
    const error = checked.error;
    if (error || !checked.date) {
      return views.render(c, 'training/record', presentTrainingRecord(user, values, error, trainingValidMonths), 400);
    }
    await recordTraining(sql, user.id, checked.date, c.var.actor!.userId);
    log.info('training recorded', { requestId: c.get('requestId'), userId: user.id });
    return c.redirect(`/training?recorded=${user.id}`, 303);
  });

  return routes;
}
