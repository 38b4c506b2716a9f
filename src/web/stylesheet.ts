// Builds assets/portal.scss (GOV.UK Frontend with the system font stack) into build/portal.css.
// Sass is the documented way to set GOV.UK Frontend's font; compiling takes about two seconds,
// so the result is kept and rebuilt only when the source or the govuk-frontend version changes.
import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { paths } from '../paths.ts';

const source = path.join(paths.assets, 'portal.scss');
const govukPackage = path.join(paths.nodeModules, 'govuk-frontend', 'package.json');
export const stylesheetFile = path.join(paths.build, 'portal.css');

function isUpToDate(): boolean {
  if (!existsSync(stylesheetFile)) return false;
  const built = statSync(stylesheetFile).mtimeMs;
  return [source, govukPackage].every((input) => statSync(input).mtimeMs <= built);
}

export async function ensureStylesheet(): Promise<void> {
  if (isUpToDate()) return;
  const sass = await import('sass');
  const result = await sass.compileAsync(source, {
    loadPaths: [paths.nodeModules],
    style: 'compressed',
    quietDeps: true,
  });
  await mkdir(paths.build, { recursive: true });
  // Write to a temporary name and rename, so a concurrent start never serves half a file.
  const temporary = `${stylesheetFile}.${process.pid}.tmp`;
  await writeFile(temporary, result.css);
  const { rename } = await import('node:fs/promises');
  await rename(temporary, stylesheetFile);
}
