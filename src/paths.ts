// Absolute paths to the project's folders, so the server works from any working directory.
import { fileURLToPath } from 'node:url';

const fromRoot = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

export const paths = {
  root: fromRoot(''),
  views: fromRoot('views'),
  assets: fromRoot('assets'),
  policies: fromRoot('policies'),
  forms: fromRoot('forms'),
  build: fromRoot('build'),
  nodeModules: fromRoot('node_modules'),
};
