// `npm run audit:verify [-- --full | --since-witness]`: checks the access log's hash chain in
// DATABASE_URL (or the embedded database) and every witness of its head in the witness file
// (AUDIT_WITNESS_FILE, default DATA_DIR/audit-witness.jsonl; witness.ts), and says whether both
// are intact. It neither chains new rows, nor migrates, nor writes a witness, so running it can
// never hide or repair a break; the one thing it writes is its checkpoint (below).
//
// By default it recomputes the links after the last checkpoint, the furthest position an
// earlier run verified (access_log_verifications), provided the chain still holds that
// checkpoint's hash; and records the new end as the next checkpoint. --full recomputes every
// link after the latest retirement's anchor (months retired by `npm run audit:retire`; from the
// start when none was), with a progress bar and an estimate of the time left on stderr (plain
// lines when stderr is not a terminal): about 20 s for a million rows. --since-witness starts
// from the latest witness the chain still holds. Rows before the starting point are checked
// only at witnessed positions and at the checkpoint, so an edit there waits for a full check.
//   exit 0  intact          exit 1  broken, cut or witness file damaged          exit 2  could not check
import { loadConfigOrExit } from '../config/config.ts';
import { connect } from '../db/connect.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { verifyChain } from './chain.ts';
import { latestCheckpoint, latestRetirement, linkAt, recordVerification } from './checkpoints.ts';
import { progressReporter } from './progress.ts';
import { checkWitnesses, witnessSettings } from './witness.ts';

const USAGE = 'Usage: npm run audit:verify [-- --full | --since-witness]\n';
const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const position = (p: string) => BigInt(p).toLocaleString('en-GB');

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg !== '--since-witness' && arg !== '--full') || args.length > 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const sinceWitness = args.includes('--since-witness');
  const full = args.includes('--full');
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
    // Nothing at or before the latest retirement's anchor can be recomputed: its rows are gone
    // (their export files hold them). Every run starts there at the earliest.
    const retirement = await latestRetirement(sql);
    const anchor = retirement && retirement.position !== '0' && retirement.hash !== null
      ? { position: retirement.position, hash: retirement.hash } : undefined;
    const beyondAnchor = (position: string) => !anchor || BigInt(position) > BigInt(anchor.position);
    let failed = false;
    let after: { position: string; hash: string; at: string } | undefined;
    let from: 'anchor' | 'witness' | 'checkpoint' = 'anchor';
    if (sinceWitness) {
      const start = witnesses.latestGood;
      if (witnesses.problems.length > 0) out('The witnesses disagree with the log (below), so the whole chain is checked.');
      else if (!start || start.hash === null) out('No witness to start from, so the whole chain is checked.');
      else if (beyondAnchor(start.position)) {
        after = { position: start.position, hash: start.hash, at: start.at };
        from = 'witness';
      }
    } else if (!full) {
      const checkpoint = await latestCheckpoint(sql);
      if (checkpoint && !checkpoint.holds) {
        out(
          `Access log CHANGED: an earlier check verified position ${position(checkpoint.position)} with hash ${checkpoint.hash}, ` +
            'but the chain no longer holds it there: rows at or before it were removed or rewritten. The whole chain is checked.',
        );
        failed = true;
      } else if (checkpoint && checkpoint.hash !== null && beyondAnchor(checkpoint.position)) {
        after = { position: checkpoint.position, hash: checkpoint.hash, at: checkpoint.verifiedAt.toISOString() };
        from = 'checkpoint';
      }
    }
    if (!after && anchor) after = { ...anchor, at: retirement!.month };
    const start = after?.position ?? '0';

    const head = witnesses.end;
    const progress = full ? progressReporter(Number(BigInt(head.position) - BigInt(start)), process.stderr) : undefined;
    const result = await verifyChain(sql, {
      after,
      // From the anchor, every retired row's link after it is counted; from later, only placed.
      retired: retirement ? { ...retirement.retired, afterAnchor: after?.position === anchor?.position ? retirement.retired.afterAnchor : undefined } : undefined,
      unchainedSince: from === 'checkpoint' ? new Date(Date.parse(after!.at) - 24 * 3600_000) : undefined,
      onProgress: progress?.update,
    });
    progress?.done();
    if (result.ok) {
      const unchained = result.unchained.toLocaleString('en-GB');
      if (from === 'witness') {
        out(
          `Access log chain intact after the witness at position ${position(after!.position)} (${after!.at}): ` +
            `${count(result.checked, 'row', 'rows')} checked, ${unchained} not yet chained. ` +
            'Rows up to that position were checked only at witnessed positions: run without --since-witness to recompute them all.',
        );
      } else if (from === 'checkpoint') {
        out(
          `Access log chain intact after the checkpoint at position ${position(after!.position)} (verified ${after!.at}): ` +
            `${count(result.checked, 'row', 'rows')} checked, ${unchained} not yet chained. ` +
            'Rows up to that position were checked by an earlier run: run with --full to recompute them all.',
        );
      } else if (anchor) {
        out(
          `Access log chain intact after the retirement anchor at position ${position(anchor.position)} (months up to ${retirement!.month.slice(0, 7)} retired): ` +
            `${count(result.checked, 'row', 'rows')} checked, ${unchained} not yet chained.`,
        );
      } else {
        out(`Access log chain intact: ${count(result.checked, 'row', 'rows')} checked, ${unchained} not yet chained.`);
      }
      // The next run's checkpoint. A read-only connection cannot record one: then every run
      // starts where this one did, which is slower, never weaker.
      const end = (BigInt(start) + BigInt(result.checked)).toString();
      try {
        await recordVerification(sql, { from: start, to: await linkAt(sql, end), full: from === 'anchor' });
      } catch (error) {
        out(`(No checkpoint recorded: ${(error as Error).message}.)`);
      }
    } else {
      const { position: at, logId, problem } = result.firstBroken;
      out(
        `Access log chain BROKEN at position ${at}${logId ? ` (access_log id ${logId})` : ''}: ${problem}.\n` +
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
