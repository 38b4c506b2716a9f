// The access module is the only way to a protected record: no other module of the server
// reads or writes a child's record, the tables that hang off it, or a concern. A simple scan of
// the source: SQL that names one of these tables anywhere else fails the build, and so does a
// module outside src/access/ that imports the access module's SQL files directly.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paths } from '../src/paths.ts';

const PROTECTED = ['children', 'concerns', 'involvements', 'allocations', 'child_organisation_relationships', 'chronology_events', 'social_worker_notifications',
  'encompass_incidents', 'encompass_notifications', 'encompass_children', 'encompass_child_words',
  'documents'];
const SQL_NAMING = new RegExp(`\\b(from|join|into|update|table)\\s+(${PROTECTED.join('|')})\\b`, 'i');
/** The access module's own SQL and internals; only src/access/index.ts is its public face. */
const INTERNAL_IMPORT = /from\s+['"][./]*(?:\.\.\/)*access\/(?!index\.ts)[^'"]+['"]/;

// Demo data is generated and written in bulk by the seed, before any user exists: it is the
// case system's stand-in, not a reader of records on anyone's behalf. The import's merge is the
// case system's own records arriving (issue 13): it writes them on no user's behalf and shows
// nothing of them to anyone (its report masks what it names). The case-system export is the
// reverse: partners' concerns and the front door's decisions going back to the council's own
// case system, the master record, on no user's behalf (docs/case-system-export.md); it shows
// nothing to any portal user.
const EXEMPT = ['src/access/', 'src/seed/', 'src/imports/merge/', 'src/case-system-export/'];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(paths.root, path.join(e.parentPath, e.name)));
}

describe('the access module is the only way to protected records', () => {
  it('no module outside src/access/ names a protected table in SQL', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(path.join(paths.root, 'src'))) {
      if (EXEMPT.some((prefix) => file.startsWith(prefix))) continue;
      const lines = (await readFile(path.join(paths.root, file), 'utf8')).split('\n');
      lines.forEach((line, index) => {
        if (SQL_NAMING.test(line)) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('no module outside src/access/ imports its internals', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(path.join(paths.root, 'src'))) {
      if (file.startsWith('src/access/')) continue;
      const text = await readFile(path.join(paths.root, file), 'utf8');
      for (const line of text.split('\n')) if (INTERNAL_IMPORT.test(line)) offenders.push(`${file}: ${line.trim()}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the scan would catch an offender (it is not vacuous)', () => {
    expect(SQL_NAMING.test('select * from children c where c.id = $1')).toBe(true);
    expect(SQL_NAMING.test('  left join concerns k on k.id = e.concern_id')).toBe(true);
    expect(SQL_NAMING.test('insert into chronology_events (child_id) values ($1)')).toBe(true);
    expect(SQL_NAMING.test('the children of the council')).toBe(false);
    expect(INTERNAL_IMPORT.test("import { findChild } from '../access/child-records.ts';")).toBe(true);
    expect(INTERNAL_IMPORT.test("import { NotPermitted } from '../access/index.ts';")).toBe(false);
  });
});
