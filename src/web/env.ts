// The values middleware puts on each request's context, typed for every route.
import type { Session } from '../auth/sessions.ts';
import type { PortalAbility } from '../policy/ability.ts';
export interface ViewData {
  [key: string]: unknown;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    viewData: ViewData;
    session: Session | undefined;
    ability: PortalAbility | undefined;
  };
};
