// `npm run audit:verify`: checks the access log's hash chain in DATABASE_URL (or the embedded
// database) and says whether it is intact. It only reads: it neither chains new rows nor
// migrates, so running it can never hide or repair a break.
//   exit 0  intact          exit 1  broken          exit 2  could not check
import { loadConfigOrExit } from '../config/config.ts';
import { connect } from '../db/connect.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { verifyChain } from './chain.ts';

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, log);
  const sql = connect(database.url, { max: 1 });
  try {
    const [table] = await sql<{ found: boolean }[]>`select to_regclass('access_log_chain') is not null as found`;
    if (!table?.found) {
      process.stderr.write('This database has no access log yet: run `npm run db:migrate` first.\n');
      return 2;
    }
    const result = await verifyChain(sql);
    if (result.ok) {
      const unchained = result.unchained.toLocaleString('en-GB');
      process.stdout.write(`Access log chain intact: ${count(result.checked, 'row', 'rows')} checked, ${unchained} not yet chained.\n`);
      return 0;
    }
    const { position, logId, problem } = result.firstBroken;
    process.stdout.write(
      `Access log chain BROKEN at position ${position} (access_log id ${logId}): ${problem}.\n` +
        `${count(result.checked, 'row', 'rows')} before it checked and intact.\n`,
    );
    return 1;
  } catch (error) {
    process.stderr.write(`Could not verify the access log: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop();
  }
}

process.exit(await main());
