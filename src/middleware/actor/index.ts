// Who is acting, once per request. After the session is loaded, this makes the Actor (the
// signed-in person with their chosen role), their ability from the policies, and the access
// gateway every route reads protected records through; and the navigation the policy allows.
// Before a role is chosen, or when signed out, none of these is set.
import type { MiddlewareHandler } from 'hono';
import { createAccess, type AccessOptions } from '../../access/index.ts';
import { actorFrom } from '../../auth/actor.ts';
import type { Sql } from '../../db/connect.ts';
import { buildAbility } from '../../policy/ability.ts';
import type { AppEnv } from '../../web/env.ts';
import { countsShown, NEW_DECISION_DAYS, navigationFor, navigationHrefs } from '../../web/navigation.ts';

export type ActorOptions = {
  sql: Sql;
  /** Add counts to the navigation ("Front door (3)", "Your submissions (1 new)"): one query a request, for the counts shown. */
  navigationCounts?: boolean;
  /** Months safeguarding training stays current (src/training/renewal.ts); default 24. */
  trainingValidMonths?: number;
} & AccessOptions;

export function actor({ sql, navigationCounts = false, trainingValidMonths, ...options }: ActorOptions): MiddlewareHandler<AppEnv> {
  return async function attachActor(c, next) {
    const session = c.get('session');
    const who = session ? actorFrom(session, c.get('requestId'), trainingValidMonths) : undefined;
    if (who) {
      // A HEAD request is answered without a body: no one sees the record, so it is no look.
      const access = createAccess(sql, who, buildAbility(options.policies, who), { ...options, recordLooks: c.req.method !== 'HEAD' });
      c.set('actor', who);
      c.set('access', access);
      // The counts the navigation shows, and only those, for a request whose answer has a body
      // (not HEAD): the front door's waiting concerns, a partner's new decisions, police
      // notifications waiting. Every such request, whatever its method, so a refused POST's 404
      // page is the very 404 page of a GET.
      const hrefs = navigationHrefs(access);
      const shown = navigationCounts && c.req.method !== 'HEAD' ? countsShown(hrefs) : [];
      // In one statement: police notifications waiting for the school or the front door
      // (Operation Encompass) are counted with the concerns.
      const counts = shown.length
        ? await access.counts({
            concerns: shown.filter((count) => count === 'waiting' || count === 'decidedSince'),
            encompassWaiting: shown.includes('encompassWaiting'),
            decidedSince: new Date(Date.now() - NEW_DECISION_DAYS * 86_400_000),
          })
        : undefined;
      c.set('viewData', { ...c.get('viewData'), navigation: navigationFor(access, c.req.path, counts) });
    }
    await next();
  };
}
