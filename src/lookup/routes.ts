// Exact-match lookup for emergency departments and police (DESIGN.md §2):
//   GET  /lookup   the form
//   POST /lookup   find one child by NHS number, or surname + date of birth + postcode, with a
//                  reason; show only the fields the policy releases for a lookup; log it and
//                  tell the child's allocated social worker, in one transaction.
// No match, a sealed record and a child the user may not see all look the same.
import { Hono } from 'hono';
import { recordAccess } from '../audit/access-log.ts';
import { accessor } from '../children/routes.ts';
import { lookUpChild } from '../children/queries.ts';
import { presentChild } from '../children/summary.ts';
import type { Sql } from '../db/connect.ts';
import { permittedChildFields } from '../policy/ability.ts';
import { childFields } from '../policy/fields.ts';
import { childrenFilter } from '../policy/sql-filter.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';
import { checkLookup, lookupReasons, readLookupForm, type LookupInput } from './form.ts';

const empty: LookupInput = { method: '', nhsNumber: '', surname: '', day: '', month: '', year: '', postcode: '', reason: '' };

export function lookupRoutes(sql: Sql, views: Views) {
  const routes = new Hono<AppEnv>();
  const form = (values: LookupInput, errors = {}) => ({ title: 'Look up a child', values, errors, reasons: lookupReasons });

  routes.use('/lookup', async (c, next) => {
    if (!c.get('ability')!.can('lookup', 'Child')) return c.notFound();
    c.header('Cache-Control', 'no-store');
    await next();
  });

  routes.get('/lookup', (c) => views.render(c, 'lookup/form', form(empty)));

  routes.post('/lookup', async (c) => {
    const ability = c.get('ability')!;
    const input = readLookupForm(await c.req.parseBody());
    const checked = checkLookup(input);
    if (!checked.ok) return views.render(c, 'lookup/form', { ...form(input, checked.errors), title: 'Error: Look up a child' }, 400);

    const matches = await lookUpChild(sql, childrenFilter(sql, ability, 'lookup'), checked.query);
    const record = matches.length === 1 ? matches[0]! : undefined;
    const fields = record ? permittedChildFields(ability, 'lookup', record) : [];
    const found = record && fields.length > 0 ? record : undefined;

    await sql.begin(async (tx) => {
      await recordAccess(tx, {
        ...accessor(c),
        childId: found?.id ?? null,
        action: 'lookup',
        fieldsReleased: found ? fields : [],
        reason: checked.reason,
      });
      if (found?.allocatedWorkerId) {
        const who = `${c.get('session')!.organisationName ?? 'A partner'}`;
        await tx`insert into social_worker_notifications (social_worker_id, child_id, kind, message)
                 values (${found.allocatedWorkerId}, ${found.id}, 'lookup',
                         ${`${who} looked up this child: ${checked.reason}.`})`;
      }
    });

    return views.render(c, 'lookup/result', {
      title: found ? 'Record found' : matches.length > 1 ? 'More than one record matches' : 'No record found',
      child: found ? presentChild(found, fields) : null,
      several: matches.length > 1,
      labels: childFields,
      reason: checked.reason,
      canRaiseConcern: ability.can('create', 'Concern'),
    });
  });

  return routes;
}
