// `npm run audit:verify [-- --since-witness]`: checks the access log's hash chain in
// DATABASE_URL (or the embedded database) and every witness of its head in the witness file
// (AUDIT_WITNESS_FILE, default DATA_DIR/audit-witness.jsonl; witness.ts), and says whether both
// are intact. It only reads: it neither chains new rows, nor migrates, nor writes a witness, so
// running it can never hide or repair a break.
//
// By default the whole chain is recomputed (about 20 s for a million rows). --since-witness
// recomputes only the links after the latest witness the chain still holds; rows before it are
// checked only at witnessed positions, so an edit there waits for the next full check.
//   exit 0  intact          exit 1  broken, cut or witness file damaged          exit 2  could not check
import { loadConfigOrExit } from '../config/config.ts';
import { connect } from '../db/connect.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { verifyChain } from './chain.ts';
import { checkWitnesses, witnessSettings } from './witness.ts';

const USAGE = 'Usage: npm run audit:verify [-- --since-witness]\n';
const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const position = (p: string) => BigInt(p).toLocaleString('en-GB');

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg !== '--since-witness')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const sinceWitness = args.includes('--since-witness');
  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);
  const { file } = witnessSettings(config);
  const database = await openDatabase(config, log);
  const sql = connect(database.url, { max: 1 });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const [table] = await sql<{ found: boolean }[]>`select to_regclass('access_log_chain') is not null as found`;
    if (!table?.found) {
      process.stderr.write('This database has no access log yet: run `npm run db:migrate` first.\n');
      return 2;
    }
    // The witnesses first: --since-witness starts from the latest one the chain still holds.
    const witnesses = await checkWitnesses(sql, file);
    let after: { position: string; hash: string; at: string } | undefined;
    if (sinceWitness) {
      const start = witnesses.latestGood;
      if (witnesses.problems.length > 0) out('The witnesses disagree with the log (below), so the whole chain is checked.');
      else if (!start || start.hash === null) out('No witness to start from, so the whole chain is checked.');
      else after = { position: start.position, hash: start.hash, at: start.at };
    }

    const result = await verifyChain(sql, { after });
    let failed = false;
    if (result.ok) {
      const unchained = result.unchained.toLocaleString('en-GB');
      if (after) {
        out(
          `Access log chain intact after the witness at position ${position(after.position)} (${after.at}): ` +
            `${count(result.checked, 'row', 'rows')} checked, ${unchained} not yet chained. ` +
            'Rows up to that position were checked only at witnessed positions: run without --since-witness to recompute them all.',
        );
      } else {
        out(`Access log chain intact: ${count(result.checked, 'row', 'rows')} checked, ${unchained} not yet chained.`);
      }
    } else {
      const { position: at, logId, problem } = result.firstBroken;
      out(
        `Access log chain BROKEN at position ${at} (access_log id ${logId}): ${problem}.\n` +
          `${count(result.checked, 'row', 'rows')} before it checked and intact.`,
      );
      failed = true;
    }

    const end = witnesses.end;
    out(`The chain ends at position ${position(end.position)}${end.hash ? ` with hash ${end.hash}` : ' (empty)'}.`);
    if (!witnesses.found) {
      out(`No witness file at ${file}: the end of the log could not be checked against a witness.`);
    } else if (witnesses.problems.length === 0) {
      const latest = witnesses.latest;
      out(
        `Witnesses agree: ${count(witnesses.lines, 'witness line', 'witness lines')} in ${file}` +
          (latest ? `; the latest, position ${position(latest.position)} on ${latest.at}, is still in the chain with the same hash.` : ' (none written yet).'),
      );
    } else {
      for (const problem of witnesses.problems) out(problem);
      failed = true;
    }
    return failed ? 1 : 0;
  } catch (error) {
    process.stderr.write(`Could not verify the access log: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop();
  }
}

process.exit(await main());
