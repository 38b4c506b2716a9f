// The forms and every version of them, with what changed and when (issue 16, point 2):
//   GET /forms          the forms this user uses
//   GET /forms/:form    every version of one, newest first, each with its note (#version-N)
// Who may read them is the policy's (read FormVersions): the people who fill the forms in. A
// user sees the forms they use: the concern form where they may raise a concern, the decision
// form where they may decide one, the notification where they may send one. Any other form, or
// a name that is not a form, is the 404 page.
import { Hono, type Context } from 'hono';
import { permit } from '../middleware/permit/index.ts';
import type { AppEnv } from '../web/env.ts';
import type { Views } from '../web/views.ts';
import type { FormCatalogue } from './load.ts';
import { presentForms, presentFormVersions } from './presenter.ts';
import { formIds, type FormId } from './schema.ts';

export function formRoutes(views: Views, forms: FormCatalogue) {
  const routes = new Hono<AppEnv>();
  routes.use('/forms', permit('read', 'FormVersions'));
  routes.use('/forms/*', permit('read', 'FormVersions'));

  /** The forms this user fills in, as the policy says: raising, deciding, notifying. */
  const formsUsed = (c: Context<AppEnv>): FormId[] => {
    const access = c.var.access!;
    const used: Record<FormId, boolean> = {
      // A new starter whose training is not recorded is refused with a reason: the form is still theirs to read about.
      concern: access.can('create', 'Concern') || Boolean(access.refusal('create', 'Concern')),
      decision: access.can('decide', 'Concern'),
      encompass: access.can('create', 'EncompassNotification'),
    };
    return formIds.filter((id) => used[id]);
  };

  routes.get('/forms', (c) => views.render(c, 'forms/index', presentForms(forms, formsUsed(c))));

  routes.get('/forms/:form', (c) => {
    const id = formsUsed(c).find((form) => form === c.req.param('form'));
    if (!id) return c.notFound();
    return views.render(c, 'forms/versions', presentFormVersions(forms, id));
  });

  return routes;
}
