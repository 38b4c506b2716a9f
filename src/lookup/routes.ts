// Exact-match lookup for emergency departments and police (DESIGN.md §2):
//   GET  /lookup   the form
//   POST /lookup   find one child by NHS number, or surname + date of birth + postcode, with a
//                  reason, and optionally an incident or attendance number; show who was found
//                  and only the fields the policy releases for a lookup. The access module logs
//                  it (with the number) and tells the child's allocated social worker, in one
//                  transaction. The result hands the lookup's fields to /concerns/from-lookup.
// No match, a sealed record and a child the user may not see all look the same.
import { Hono } from 'hono';
import { hit, type RateLimit } from '../auth/rate-limit.ts';
import type { Sql } from '../db/connect.ts';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import type { Views } from '../web/views.ts';
import { checkLookup, readLookupForm, type LookupInput } from './form.ts';
import { presentLookupForm, presentLookupResult, presentTooManyLookups } from './presenter.ts';

const empty: LookupInput = { method: '', nhsNumber: '', surname: '', day: '', month: '', year: '', postcode: '', reason: '', incidentReference: '' };

export function lookupRoutes(sql: Sql, views: Views, rateLimit: RateLimit) {
  const routes = new Hono<AppEnv>();

  routes.use('/lookup', noStore, permit('lookup', 'Child'));

  routes.get('/lookup', (c) => views.render(c, 'lookup/form', presentLookupForm(empty)));

  routes.post('/lookup', async (c) => {
    const access = c.var.access!;
    const input = readLookupForm(await c.req.parseBody());
    const checked = checkLookup(input);
    if (!checked.ok) return views.render(c, 'lookup/form', presentLookupForm(input, checked.errors), 400);

    // One person may look up so many children in an hour; a refusal is itself logged, so a
    // burst shows in information governance's unusual activity.
    const allowed = await hit(sql, `lookup:${access.actor.userId}`, rateLimit);
    if (!allowed.allowed) {
      await access.refuseLookup(`Refused: more than ${rateLimit.limit} lookups in an hour (${checked.reason})`);
      return views.render(c, 'lookup/too-many', presentTooManyLookups(allowed.retryAfterSeconds), 429);
    }
    const { child, several } = await access.lookUpChild(checked.query, checked.reason, checked.incidentReference);
    return views.render(c, 'lookup/result', presentLookupResult(child, several, input, checked, access.can('create', 'Concern')));
  });

  return routes;
}
