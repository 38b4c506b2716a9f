// Exact-match lookup for emergency departments and police (DESIGN.md §2):
//   GET  /lookup   the form
//   POST /lookup   find one child by NHS number, or surname + date of birth + postcode, with a
//                  reason; show only the fields the policy releases for a lookup. The access
//                  module logs it and tells the child's allocated social worker, in one transaction.
// No match, a sealed record and a child the user may not see all look the same.
import { Hono } from 'hono';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import { noStore } from '../web/guards.ts';
import type { Views } from '../web/views.ts';
import { checkLookup, readLookupForm, type LookupInput } from './form.ts';
import { presentLookupForm, presentLookupResult } from './presenter.ts';

const empty: LookupInput = { method: '', nhsNumber: '', surname: '', day: '', month: '', year: '', postcode: '', reason: '' };

export function lookupRoutes(views: Views) {
  const routes = new Hono<AppEnv>();

  routes.use('/lookup', noStore, permit('lookup', 'Child'));

  routes.get('/lookup', (c) => views.render(c, 'lookup/form', { ...presentLookupForm(empty) }));

  routes.post('/lookup', async (c) => {
    const access = c.var.access!;
    const input = readLookupForm(await c.req.parseBody());
    const checked = checkLookup(input);
    if (!checked.ok) return views.render(c, 'lookup/form', { ...presentLookupForm(input, checked.errors) }, 400);

    const { child, several } = await access.lookUpChild(checked.query, checked.reason);
    return views.render(c, 'lookup/result', { ...presentLookupResult(child, several, checked.reason, access.can('create', 'Concern')) });
  });

  return routes;
}
