// The real `npm run import` program (src/imports/cli.ts main), run as a child process with the
// fixture source and merge of ./import-fixtures.ts in place of the registry's parsers and the
// real merge, which have their own tests. `runImportCli` runs it and gathers its output.
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { paths } from '../../src/paths.ts';
import { fixtureMerge, fixtureParser } from './import-fixtures.ts';

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function spawnImportCli(url: string, args: string[], options: { program?: string } = {}): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', options.program ?? 'test/support/import-cli.ts', ...args], {
    cwd: paths.root,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', IMPORT_CASE_SYSTEM: 'FIXTURE' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result };
}

export const runImportCli = (url: string, args: string[], options: { program?: string } = {}) => spawnImportCli(url, args, options).result;

// As a program: the CLI with the fixture source 'school-roll' and the fixture merge.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { main } = await import('../../src/imports/cli.ts');
  process.exit(await main(process.argv.slice(2), { parserFor: (source) => (source === 'school-roll' ? fixtureParser(source) : undefined), merge: fixtureMerge }));
}
