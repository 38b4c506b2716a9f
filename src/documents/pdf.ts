// Renders a filed document as a PDF with PDFKit (a maintained, pure-JavaScript PDF writer: no
// browser, no native code). The same content renders to the same bytes: the creation date is the
// submission's own time, and PDFKit derives the file's ID from its metadata, so a filing rendered
// again after a crash stores the very same document (and the same SHA-256).
//
// The standard PDF fonts (Helvetica) carry Latin text, with the curly quotes and dashes the
// portal writes; a character they lack (another script, an emoji) prints as a gap. Embedding a
// Unicode font is the change to make when a council needs it.
import PDFDocument from 'pdfkit';
import type { DocumentContent } from './content.ts';
import { formatDateTime } from '../web/format.ts';

const MARGIN = 56;

export async function renderPdf(content: DocumentContent, council: string): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4', margin: MARGIN, compress: true,
    info: { Title: content.title, Author: council, Subject: content.reference, Creator: 'Safeguarding Partner Portal', Producer: 'Safeguarding Partner Portal', CreationDate: content.at },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  doc.font('Helvetica').fontSize(10).fillColor('#505a5f').text(`${council} · Safeguarding Partner Portal`, { width });
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').fontSize(18).fillColor('#0b0c0c').text(content.title, { width });
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(11);
  for (const [label, value] of [['Reference', content.reference], ['Form version', String(content.formVersion)], ['By', content.by], ['When', formatDateTime(content.at)]] as const) {
    doc.font('Helvetica-Bold').text(`${label}: `, { continued: true, width }).font('Helvetica').text(value, { width });
  }
  for (const section of content.sections) {
    doc.moveDown(1);
    doc.font('Helvetica-Bold').fontSize(14).text(section.heading, { width });
    doc.moveDown(0.3);
    for (const row of section.rows) {
      doc.font('Helvetica-Bold').fontSize(11).text(row.label, { width });
      doc.font('Helvetica').fontSize(11).text(row.value, { width });
      doc.moveDown(0.4);
    }
  }
  doc.end();
  return done;
}
