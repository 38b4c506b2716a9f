// PDFs rendered on a worker thread (src/documents/pdf-thread.ts), so the filing worker never
// holds up the requests its process serves: the thread makes the very bytes the process would,
// and a thread that goes away fails only what it had in hand.
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentContent } from '../src/documents/content.ts';
import { renderPdf } from '../src/documents/pdf.ts';
import { pdfThread, type PdfRenderer } from '../src/documents/pdf-thread.ts';

const content: DocumentContent = {
  part: 1, childId: null, reference: 'SPP-2026-000123', formVersion: 2, name: 'Concern SPP-2026-000123 as sent',
  title: 'Concern raised by a partner', by: 'Sarah Collins, Riverside Primary', at: new Date('2026-11-30T09:15:00Z'),
  sections: [{ heading: 'What happened', rows: [{ label: 'What happened', value: 'Arrived hungry and without a coat again.' }] }],
};

let thread: PdfRenderer | undefined;
afterEach(async () => {
  await thread?.close();
});

describe('pdfThread()', () => {
  it('renders on its thread the very bytes renderPdf makes in this one, several at once', async () => {
    thread = pdfThread();
    const here = await renderPdf(content, 'Northbridge Council');
    const there = await Promise.all([1, 2, 3].map(() => thread!.render(content, 'Northbridge Council')));
    for (const bytes of there) expect(Buffer.from(bytes).equals(Buffer.from(here))).toBe(true);
  });

  it('fails a render in flight when it is closed, and starts a new thread for the next', async () => {
    thread = pdfThread();
    const inFlight = thread.render(content, 'Northbridge Council');
    await thread.close();
    await expect(inFlight).rejects.toThrow('the PDF thread stopped');
    const again = await thread.render(content, 'Northbridge Council');
    expect(Buffer.from(again.slice(0, 5)).toString()).toBe('%PDF-');
  });
});
