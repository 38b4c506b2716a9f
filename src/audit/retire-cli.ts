// `npm run audit:retire [-- --confirm] [--to DIR]`: retires the access log's months older than
// ACCESS_LOG_RETENTION_MONTHS (retire.ts), oldest first. Without --confirm it only says what it
// would do (a dry run). With it, each month is exported to DIR (default DATA_DIR/access-log-retired)
// as access-log-YYYY-MM.jsonl with access-log-YYYY-MM.manifest.json, read back and checked, and
// only then recorded and dropped. Run it with the owner's DATABASE_URL (dropping a partition is
// the owner's), after `npm run audit:verify -- --full`, and keep the files as the retention
// schedule says (docs/operations.md).
//   exit 0  done (or nothing to do)     exit 1  a month was refused     exit 2  could not run
import path from 'node:path';
import { loadConfigOrExit } from '../config/config.ts';
import { connect } from '../db/connect.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { retentionCutoff, retirementCandidates, retireMonth, RetirementRefused } from './retire.ts';

const USAGE = 'Usage: npm run audit:retire [-- --confirm] [--to DIR]\n';

function parseArgs(args: string[]): { confirm: boolean; to?: string } | undefined {
  let confirm = false;
  let to: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--confirm') confirm = true;
    else if (args[i] === '--to' && args[i + 1]) to = args[++i];
    else return undefined;
  }
  return { confirm, to };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfigOrExit();
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const months = config.ACCESS_LOG_RETENTION_MONTHS;
  if (months === undefined) {
    out('ACCESS_LOG_RETENTION_MONTHS is not set, so the access log is kept forever: nothing to retire.');
    return 0;
  }
  const dir = path.resolve(args.to ?? path.join(config.DATA_DIR, 'access-log-retired'));
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, log);
  const sql = connect(database.url, { max: 2 });
  try {
    const candidates = await retirementCandidates(sql, months);
    const cutoff = retentionCutoff(new Date(), months).slice(0, 7);
    if (candidates.length === 0) {
      out(`Nothing to retire: no month of the access log before ${cutoff} (keeping ${months} months).`);
      return 0;
    }
    for (const c of candidates) out(`${c.month.slice(0, 7)}: ${c.rows.toLocaleString('en-GB')} rows in ${c.partition}`);
    if (!args.confirm) {
      out(`Dry run: ${candidates.length} month(s) before ${cutoff} would be exported to ${dir}, checked, recorded and dropped. Run again with --confirm to do it.`);
      return 0;
    }
    for (const candidate of candidates) {
      const retired = await retireMonth(sql, candidate, dir);
      out(
        `Retired ${retired.month.slice(0, 7)}: ${retired.rows.toLocaleString('en-GB')} rows exported to ${path.join(dir, retired.file)} ` +
          `(SHA-256 ${retired.sha256}), checked, and the partition dropped; audit:verify now starts after position ${retired.anchorPosition}.`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof RetirementRefused) {
      out(`Not retired: ${error.message}.`);
      return 1;
    }
    process.stderr.write(`Could not retire access log months: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop();
  }
}

process.exit(await main());
