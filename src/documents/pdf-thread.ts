// PDFs rendered on a worker thread. PDFKit lays a document out synchronously, about 5–7 ms of
// CPU each, and the filing worker renders a batch of ten at a time: in the process's own thread
// that held up every request it was serving for up to 70 ms (the bench's open loop showed it as
// the summary's p99). On its own thread the rendering runs beside the requests, on the other
// core where there is one, and a request waits for nothing but its own work.
//
// One thread, started at the first render and ended by close(). A render in flight when the
// thread dies (or is closed) fails, and the filing is tried again later like any other failure.
import { Worker } from 'node:worker_threads';
import type { DocumentContent } from './content.ts';

export interface PdfRenderer {
  render(content: DocumentContent, council: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

type Reply = { id: number; bytes: Uint8Array } | { id: number; error: string };

export function pdfThread(): PdfRenderer {
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  function started(): Worker {
    if (worker) return worker;
    // The thread runs TypeScript as the process does: through tsx, whether or not the process
    // was started with it (vitest's are not).
    const execArgv = process.execArgv.some((arg) => arg.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
    const thread = new Worker(new URL('./pdf-thread-worker.ts', import.meta.url), { execArgv });
    thread.unref();
    thread.on('message', (reply: Reply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply.bytes);
    });
    thread.on('error', (error) => failAll(error));
    thread.on('exit', () => {
      if (worker === thread) worker = undefined;
      failAll(new Error('the PDF thread stopped'));
    });
    worker = thread;
    return thread;
  }

  return {
    render(content, council) {
      const thread = started();
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        thread.postMessage({ id, content, council });
      });
    },
    async close() {
      const thread = worker;
      worker = undefined;
      if (thread) await thread.terminate();
    },
  };
}
