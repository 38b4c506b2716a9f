// Server-rendered pages from the eta templates in views/. Output is HTML-escaped by default
// (`<%= %>`); only trusted, already-rendered markup goes through `<%~ %>`.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Eta } from 'eta';
import { paths } from '../paths.ts';

export function createViews(options: { cache: boolean }) {
  const eta = new Eta({ views: paths.views, cache: options.cache, autoEscape: true, autoTrim: false });

  /** Renders a template into a full page (templates choose their layout) and sends it. */
  function render(c: Context, template: string, data: object = {}, status: ContentfulStatusCode = 200) {
    const html = eta.render(template, { ...c.get('viewData'), ...data });
    return c.html(html, status);
  }
  return { render };
}

export type Views = ReturnType<typeof createViews>;
