// Opens a route only to those the policy allows: `permit('read', 'FrontDoorQueue')`. Anyone
// else gets exactly the page an unknown address gets (404), so a page's existence is no oracle.
import type { MiddlewareHandler } from 'hono';
import type { Action } from '../../policy/ability.ts';
import type { CapabilitySubject, RecordSubject } from '../../policy/subjects.ts';
import type { AppEnv } from '../../web/env.ts';

export function permit(action: Action, subject: CapabilitySubject | RecordSubject): MiddlewareHandler<AppEnv> {
  return async function permitted(c, next) {
    if (!c.get('access')?.can(action, subject)) return c.notFound();
    await next();
  };
}
