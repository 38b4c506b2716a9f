// Static files, all served from this origin (no CDN): GOV.UK Frontend's script and images,
// htmx, and the portal's own stylesheet and script. Only named files are exposed; in
// particular GOV.UK Frontend's fonts folder is not (see assets/portal.scss).
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { paths } from '../paths.ts';
import { stylesheetFile } from './stylesheet.ts';

const govuk = path.join(paths.nodeModules, 'govuk-frontend', 'dist', 'govuk');

const files: Record<string, string> = {
  '/assets/portal.css': stylesheetFile,
  '/assets/portal.js': path.join(paths.assets, 'portal.js'),
  '/assets/favicon.svg': path.join(paths.assets, 'favicon.svg'),
  '/assets/govuk-frontend.min.js': path.join(govuk, 'govuk-frontend.min.js'),
  '/assets/htmx.min.js': path.join(paths.nodeModules, 'htmx.org', 'dist', 'htmx.min.js'),
};

const cacheFor = (seconds: number) => `public, max-age=${seconds}`;

export function registerAssets(app: Hono<any>): void {
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', cacheFor(3600));
  });
  for (const [route, file] of Object.entries(files)) {
    app.get(route, serveStatic({ path: file }));
  }
  // GOV.UK Frontend's component images (not its crest or favicons, which are for gov.uk).
  app.get(
    '/assets/images/*',
    serveStatic({ root: path.join(govuk, 'assets', 'images'), rewriteRequestPath: (p) => p.replace(/^\/assets\/images/, '') }),
  );
}
