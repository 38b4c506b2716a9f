// Who to call, on every page that needs it. Puts the council's front-door and out-of-hours
// numbers (from its own record, src/organisations/council.ts) into the view data of every
// request, for the refusal, "no record" and error pages, and says whether the page shows the
// contact strip: on every page for a signed-in partner (an actor whose agency is not the
// council). The strip is information everyone may have, not a permission: it releases nothing
// of a child's record.
//
// The numbers change rarely and are wanted on almost every page, so they are kept for a minute
// rather than read on every request; when the database cannot be read the last numbers read
// are still shown, since that is exactly when someone may need to phone instead.
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../../db/connect.ts';
import { errorFields, type Logger } from '../../log.ts';
import { theCouncil } from '../../organisations/council.ts';
import type { AppEnv } from '../../web/env.ts';
import { phoneLink, type PhoneLink } from '../../web/phone.ts';

/** What views/partials/contact-strip.eta and the refusal pages show (`it.contacts`). */
export interface CouncilContacts {
  council: string;
  /** The children's services front door, in working hours (the council's duty number). */
  frontDoor: PhoneLink | null;
  /** The emergency duty team, out of hours. */
  outOfHours: PhoneLink | null;
}

export interface ContactsOptions {
  sql: Db;
  log?: Logger;
  /** How long numbers once read are used before reading them again (default a minute). */
  keepForMs?: number;
}

export function councilContacts({ sql, log, keepForMs = 60_000 }: ContactsOptions): MiddlewareHandler<AppEnv> {
  let kept: { contacts: CouncilContacts; at: number } | undefined;

  async function current(): Promise<CouncilContacts | undefined> {
    if (kept && Date.now() - kept.at < keepForMs) return kept.contacts;
    try {
      const council = await theCouncil(sql);
      // No council recorded yet (a new deployment): nothing to keep, ask again next time.
      if (!council) return undefined;
      const contacts = { council: council.name, frontDoor: phoneLink(council.dutyPhone), outOfHours: phoneLink(council.outOfHoursPhone) };
      kept = { contacts, at: Date.now() };
      return contacts;
    } catch (error) {
      // The page itself reports a database that is away, if it needs it; this only must not
      // turn a page that does not into an error.
      log?.warn('council contacts not read', errorFields(error));
      return kept?.contacts;
    }
  }

  return async function attachCouncilContacts(c, next) {
    const contacts = await current();
    const actor = c.get('actor');
    c.set('viewData', { ...c.get('viewData'), contacts, contactStrip: Boolean(contacts && actor && actor.agency !== 'council') });
    await next();
  };
}
