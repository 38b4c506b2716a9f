// `npm run export:concerns -- --since <ISO date | event id | sequence> [--out file.jsonl]`
// `npm run export:concerns -- --from-last [--out file.jsonl]`
//
// Writes partners' concerns, the information they added and the front door's decisions as JSON
// lines (docs/case-system-export.md) to standard output or a file, streamed. --since an event id
// (or sequence number) writes the events after it; --since a date (2026-11-01 or a full ISO time)
// writes from the first event at or after it; --from-last writes the events after the last one an
// earlier export wrote. Each complete export moves that bookmark on; a failed one does not, and
// removes the file it had begun.
//   exit 0  written          exit 1  failed          exit 2  wrong arguments
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/config.ts';
import { connect } from '../db/connect.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger, errorFields } from '../log.ts';
import { consumerPosition, positionBefore, positionOf, recordExported } from './events.ts';
import { exportEvents } from './export.ts';

const USAGE =
  'Usage: npm run export:concerns -- --since <ISO date | event id | sequence> [--out file.jsonl]\n' +
  '       npm run export:concerns -- --from-last [--out file.jsonl]\n';

/** A date (2026-11-01) or an ISO 8601 time with its zone (2026-11-01T09:30:00Z). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function writer(stream: NodeJS.WritableStream): (chunk: string) => Promise<void> {
  return (chunk) =>
    new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      stream.once('error', onError);
      const more = stream.write(chunk);
      const done = () => {
        stream.off('error', onError);
        resolve();
      };
      if (more) done();
      else stream.once('drain', done);
    });
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { since: { type: 'string' }, 'from-last': { type: 'boolean' }, out: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch {
    process.stderr.write(USAGE);
    return 2;
  }
  if ((values.since === undefined) === !values['from-last']) {
    process.stderr.write(`Give --since or --from-last, one of them.\n${USAGE}`);
    return 2;
  }
  const since = values.since?.trim();
  if (since !== undefined && !ISO_TIME.test(since) && !/^\d{1,15}$/.test(since) && !/^[0-9a-f-]{36}$/i.test(since)) {
    process.stderr.write(`--since must be a date (2026-11-01), an ISO time (2026-11-01T09:30:00Z), an event id or a sequence number.\n${USAGE}`);
    return 2;
  }

  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(config, log);
  const sql = connect(database.url, { max: 2 });
  let out: WriteStream | undefined;
  try {
    let after: number | undefined;
    if (values['from-last']) after = await consumerPosition(sql, 'cli');
    else if (since && ISO_TIME.test(since)) after = await positionBefore(sql, new Date(since.length === 10 ? `${since}T00:00:00Z` : since));
    else if (since) after = await positionOf(sql, since);
    if (after === undefined) {
      process.stderr.write('No event has that id: give an id from an earlier export, or a date.\n');
      return 2;
    }

    if (values.out) out = createWriteStream(values.out);
    const target = out ?? process.stdout;
    const result = await exportEvents(sql, { after, write: writer(target) });
    if (out) {
      const file = out;
      await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
    }
    // Only once every line is written: a failed export leaves the bookmark where it was.
    if (result.last) await recordExported(sql, result.last.sequence);
    process.stderr.write(
      result.last
        ? `Exported ${result.count.toLocaleString('en-GB')} event${result.count === 1 ? '' : 's'}, the last ${result.last.id} (sequence ${result.last.sequence}). Next time: --from-last, or --since ${result.last.id}\n`
        : 'No events since then.\n',
    );
    return 0;
  } catch (error) {
    // The error's kind only: a database message can quote a value.
    log.error('export failed', errorFields(error));
    process.stderr.write('The export failed; nothing was recorded as exported.\n');
    if (out && values.out) {
      out.destroy();
      await rm(values.out, { force: true });
    }
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop();
  }
}

process.exitCode = await main();
