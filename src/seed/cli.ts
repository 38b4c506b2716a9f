// `npm run seed [-- --children N] [--seed S] [--date YYYY-MM-DD] [--access-log N]`: replace the case record in
// DATABASE_URL (or the embedded database) with synthetic demo data. The same seed and date give
// the same children, ids included, on every machine.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config.ts';
import { connect } from '../db/connect.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { DEFAULT_CHILDREN, DEFAULT_SEED, MAX_CHILDREN, parseIsoDate, type GenerateOptions } from './generate.ts';
import { chainBulkLoad } from '../audit/chain.ts';
import { seedAccessLog } from './access-log.ts';
import { seedDemoData } from './insert.ts';

const MAX_ACCESS_LOG_ROWS = 100_000_000;
const USAGE = `Usage: npm run seed -- [--children N] [--seed S] [--date YYYY-MM-DD] [--access-log N]

Replaces the case record with synthetic demo data.

  --children N       how many children, 0 to ${MAX_CHILDREN} (default ${DEFAULT_CHILDREN})
  --seed S           random seed, a whole number 0 to 4294967295 (default ${DEFAULT_SEED})
  --date YYYY-MM-DD  the day the data is anchored to (default today, UTC)
  --access-log N     also add N synthetic access-log rows over the last year, 0 to ${MAX_ACCESS_LOG_ROWS}
                     (default 0; kept times need a superuser connection, as the benchmark's)
  --help             show this message

Uses DATABASE_URL when set, otherwise the embedded database under DATA_DIR.`;

class UsageError extends Error {}

type SeedArguments = GenerateOptions & { accessLogRows?: number };

function wholeNumber(name: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max}, not "${text}"`);
  return Number(text);
}

/** The options, or undefined when --help was asked for. */
function parseSeedArguments(args: string[]): SeedArguments | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        children: { type: 'string' },
        seed: { type: 'string' },
        date: { type: 'string' },
        'access-log': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return undefined;
  const options: SeedArguments = {};
  if (values['access-log'] !== undefined) options.accessLogRows = wholeNumber('access-log', values['access-log'], MAX_ACCESS_LOG_ROWS);
  if (values.children !== undefined) options.children = wholeNumber('children', values.children, MAX_CHILDREN);
  if (values.seed !== undefined) options.seed = wholeNumber('seed', values.seed, 0xffff_ffff);
  if (values.date !== undefined) {
    if (parseIsoDate(values.date) === undefined) throw new UsageError(`--date must be a real date written YYYY-MM-DD, not "${values.date}"`);
    options.referenceDate = values.date;
  }
  return options;
}

async function main(): Promise<number> {
  let options: SeedArguments | undefined;
  try {
    options = parseSeedArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);
  // DATABASE_URL, else the embedded server (started here, and stopped again if we started it).
  const database = await openDatabase(config, log);
  const sql = connect(database.url, { max: 2 });
  try {
    await migrate(sql);
    const { accessLogRows = 0, ...generate } = options;
    const { counts, ms, tableMs } = await seedDemoData(sql, generate);
    const lines: [string, number | undefined, number][] = Object.entries(counts).map(([table, count]) => [table, count, tableMs[table] ?? 0]);
    lines.push(['(generating rows)', undefined, tableMs.generating ?? 0]);
    let total = ms;
    if (accessLogRows > 0) {
      const log = await seedAccessLog(sql, accessLogRows, generate.seed === undefined ? {} : { seed: generate.seed });
      lines.push(['access_log (added)', log.rows, log.ms]);
      total += log.ms;
      // Sealed into the hash chain now, in one pass, rather than by the portal's chain worker
      // row batch by row batch after it starts.
      const chainStarted = performance.now();
      const chained = await chainBulkLoad(sql);
      const chainMs = performance.now() - chainStarted;
      lines.push(['access_log_chain (added)', chained, chainMs]);
      total += chainMs;
    }
    process.stdout.write(formatSeedReport(lines));
    process.stdout.write(`Seeded in ${(total / 1000).toFixed(1)} s.\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`Seeding failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop();
  }
}

/** Rows, seconds and rows/s for each table (rows/s includes COPY's foreign-key and index work). */
function formatSeedReport(lines: [string, number | undefined, number][]): string {
  const width = Math.max(...lines.map(([table]) => table.length));
  const head = `${'table'.padEnd(width)}  ${'rows'.padStart(11)}  ${'seconds'.padStart(7)}  ${'rows/s'.padStart(9)}\n`;
  return head + lines.map(([table, rows, ms]) => `${table.padEnd(width)}  ${(rows === undefined ? '' : rows.toLocaleString('en-GB')).padStart(11)}  ${(ms / 1000).toFixed(1).padStart(7)}  ${
    rows === undefined || ms === 0 ? ''.padStart(9) : Math.round(rows / (ms / 1000)).toLocaleString('en-GB').padStart(9)}\n`).join('');
}

process.exit(await main());
