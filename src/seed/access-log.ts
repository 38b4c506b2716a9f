// A year of synthetic access-log rows for benchmarks and trials at scale (issue 15): `rows` rows
// by COPY, spread over the real children and organisations, in time order over the last year
// (as the log grows), a few hundred distinct users; one row in twenty a list view with no child,
// one in ten a lookup. The same seed and the same children give the same rows (but for `at`,
// which is relative to now).
//
// `at` is written as given only for a superuser (migrations/010: anyone else gets now()); the
// benchmark connects as one. The access log is append-only: this adds to whatever is there.
import { ensureAccessLogPartitions } from '../audit/partitions.ts';
import type { Sql } from '../db/connect.ts';
import { copyRows, withSecondaryIndexesRebuilt } from './copy.ts';
import { DEFAULT_SEED } from './generate.ts';
import { Random } from './random.ts';

const YEAR_MS = 365 * 86_400_000;
const COLUMNS = ['at', 'issuer', 'subject', 'user_name', 'organisation_id', 'organisation_name', 'role',
  'child_id', 'action', 'fields_released', 'reason', 'request_id'] as const;
const FIELDS = ['forename', 'surname', 'dateOfBirth', 'legalStatus'];
const LOOKUP_REASON = 'Child attending the emergency department';
/** Rows per COPY statement (all in one transaction). */
const ROWS_PER_COPY = 1_000_000;

export interface AccessLogSeedResult {
  rows: number;
  ms: number;
  /** Of which building the indexes again (when the log was empty). */
  indexMs: number;
}

export async function seedAccessLog(sql: Sql, rows: number, options: { seed?: number; now?: Date } = {}): Promise<AccessLogSeedResult> {
  const started = performance.now();
  const now = (options.now ?? new Date()).getTime();
  const from = now - YEAR_MS;
  const children = (await sql<{ id: string }[]>`select id from children order by id`.values()).map(([id]) => id as string);
  const organisations = await sql<{ id: string; name: string }[]>`select id, name from organisations order by id`;
  if (rows > 0 && organisations.length === 0) throw new Error('seed the case record first: there are no organisations');
  await ensureAccessLogPartitions(sql, new Date(from), new Date(now));
  const r = new Random(options.seed ?? DEFAULT_SEED, 0x10c);
  const step = YEAR_MS / Math.max(rows, 1);

  function* generate(first: number, last: number) {
    for (let n = first; n < last; n++) {
      const user = r.int(0, 499);
      const organisation = organisations[r.int(0, organisations.length - 1)]!;
      const list = n % 20 === 0 || children.length === 0;
      const lookup = !list && n % 10 === 1;
      yield {
        // Time order, with jitter inside each row's slot.
        at: new Date(from + (n + r.next()) * step).toISOString(),
        issuer: 'http://127.0.0.1/bench-issuer',
        subject: `bench-user-${user}`,
        user_name: `Bench user ${user}`,
        organisation_id: organisation.id,
        organisation_name: organisation.name,
        role: 'education.dsl',
        child_id: list ? null : children[r.int(0, children.length - 1)]!,
        action: list ? 'view_list' : lookup ? 'lookup' : 'view_summary',
        fields_released: FIELDS,
        reason: lookup ? LOOKUP_REASON : null,
        request_id: `bench-${n}`,
      };
    }
  }
  let indexMs = 0;
  await sql.begin(async (tx) => {
    const load = async () => {
      for (let first = 0; first < rows; first += ROWS_PER_COPY) {
        await copyRows(tx, 'access_log', COLUMNS, generate(first, Math.min(rows, first + ROWS_PER_COPY)));
      }
      return performance.now();
    };
    // Into an empty log, the indexes are built once at the end (far cheaper than row by row).
    const [{ empty } = { empty: false }] = await tx<{ empty: boolean }[]>`select not exists (select 1 from access_log) as empty`;
    if (empty) {
      const loadedAt = await withSecondaryIndexesRebuilt(tx, ['access_log'], load);
      indexMs = performance.now() - loadedAt;
    } else {
      await load();
    }
  });
  return { rows, ms: Math.round(performance.now() - started), indexMs: Math.round(indexMs) };
}
