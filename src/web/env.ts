// The values middleware puts on each request's context, typed for every route.
import type { Access } from '../access/index.ts';
import type { Actor } from '../auth/actor.ts';
import type { Session } from '../auth/sessions.ts';
export interface ViewData {
  [key: string]: unknown;
}

export type AppEnv = {
  Variables: {
    requestId: string;
    viewData: ViewData;
    session: Session | undefined;
    /** Set once a role is chosen (src/middleware/actor/); routes after requireSession may rely on it. */
    actor: Actor | undefined;
    access: Access | undefined;
  };
};
