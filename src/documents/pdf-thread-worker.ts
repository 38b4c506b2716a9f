// The PDF thread's side (./pdf-thread.ts): renders each document it is sent and posts the bytes
// back, moved rather than copied. An error goes back as its kind only, like the filing worker's.
import { parentPort } from 'node:worker_threads';
import type { DocumentContent } from './content.ts';
import { renderPdf } from './pdf.ts';

parentPort!.on('message', async ({ id, content, council }: { id: number; content: DocumentContent; council: string }) => {
  try {
    const bytes = await renderPdf(content, council);
    parentPort!.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.name : 'unknown' });
  }
});
