// Containing a known defect of postgres.js 3.4.9 (porsager/postgres issues 1154, 1208; still
// open, unfixed in the version we use):
//
//   TypeError: Cannot read properties of null (reading 'write')
//       at Immediate.nextWrite (node_modules/postgres/src/connection.js:255)
//
// A connection buffers writes under 1024 bytes and flushes them from a setImmediate(nextWrite).
// When the server goes away (kill -9 of PostgreSQL), closed() sets the connection's socket to
// null; a write made on that connection afterwards (before it reconnects) schedules nextWrite,
// which then calls null.write(). It is thrown from an Immediate, outside any query or request,
// so nothing can catch it and Node's default is to exit the process.
//
// What the throw leaves behind (read connection.js: write/nextWrite/closed/terminate): nextWrite
// throws before its last two lines, so that connection keeps `chunk` (the unsent bytes) and a
// non-null `nextWriteTimer` (the spent Immediate). Only nextWrite ever sets nextWriteTimer back
// to null, and write() schedules a flush only when it is null: so the connection's next
// StartupMessage is appended to the stale chunk and never sent. Each later attempt on that
// connection hangs until connect_timeout, and once the chunk passes 1024 bytes it is written in
// one go, stale bytes first, which the server rejects as a broken start-up packet. The pool
// does recover in the end, but only after many timed-out attempts on that connection.
//
// So we (1) recognise exactly that TypeError (its message, and nextWrite in postgres's
// connection.js as the first frame), (2) log it by name and code only (it carries no data, but
// we log it through the same helper as every other error), and (3) replace the whole pool with a
// fresh one (./pool.ts `recycle`), ending the old one, so no request is given the poisoned
// connection. Any other uncaught exception is not ours to judge: it is logged (name, code, frames)
// and the process exits 1, as Node would, and the supervisor (src/supervisor.ts) starts a new
// worker. Remove this guard when postgres.js ships a fix (PR 1209 or 1176).
import { errorFields, stackFrames, type Logger } from '../log.ts';

const DEFECT_MESSAGE = "Cannot read properties of null (reading 'write')";
const DEFECT_FRAME = /^\s+at (?:Immediate\.)?nextWrite \((?:file:\/\/)?.*[\\/]node_modules[\\/]postgres[\\/](?:cjs[\\/])?src[\\/]connection\.js:\d+:\d+\)$/;

export function isPostgresWriteDefect(error: unknown): boolean {
  if (!(error instanceof TypeError) || error.message !== DEFECT_MESSAGE) return false;
  const firstFrame = (error.stack ?? '').split('\n')[1] ?? '';
  return DEFECT_FRAME.test(firstFrame);
}

/**
 * Installs the process's one uncaughtException handler. Returns a function that takes it off
 * (for tests). `onDefect` must not throw.
 */
export function guardPostgresWriteDefect(log: Logger, onDefect: () => void): () => void {
  let seen = 0;
  const handler = (error: Error) => {
    if (isPostgresWriteDefect(error)) {
      seen += 1;
      log.warn('postgres.js write after close contained; database pool replaced', { ...errorFields(error), defect: 'postgres.js nextWrite on a closed socket', seen });
      onDefect();
      return;
    }
    log.error('uncaught exception; exiting', { ...errorFields(error), stack: stackFrames(error) });
    process.exit(1);
  };
  process.on('uncaughtException', handler);
  return () => process.off('uncaughtException', handler);
}
