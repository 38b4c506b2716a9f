// Reads the upload form's multipart body as it arrives, part by part, counting bytes against
// IMPORT_UPLOAD_LIMIT_MB and stopping at it. Hono's parseBody() (and so the app's CSRF check,
// which this route runs itself) would build the whole form first, and its bodyLimit copies a
// body without Content-Length into one growing array; neither is used here.
//
// Where the files go: into memory, in the chunks they arrived in, and nowhere else: never to
// disk. They have to be held until the body ends because a source's files are checked as a set
// before anything is imported (parser.checkFiles: the SSD needs ssd_person) and a parser may
// read them in another order than they were uploaded (the SSD reads ssd_person first). The run
// then streams each file from those chunks (InputFile.open), and the chunks are let go when the
// run ends (asInputFiles' release): only the checksums and the report stay. The CLI and the drop folder
// stream from the council's own files, without this copy; the limit bounds what one upload holds.
import { Readable } from 'node:stream';
import type { InputFile } from './records.ts';

/** The upload was larger than the limit (IMPORT_UPLOAD_LIMIT_MB). */
export class UploadTooLarge extends Error {
  override name = 'UploadTooLarge';
}
/** The body is not the multipart form the page sends. */
export class MalformedUpload extends Error {
  override name = 'MalformedUpload';
}

/** The largest small field (csrf_token, source) read into a string. */
const FIELD_LIMIT = 4096;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
const HEADERS_LIMIT = 16 * 1024;

/** The boundary of a multipart/form-data content type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

interface PartHeaders {
  name: string;
  /** Only a file part has one (possibly empty: a file input left empty). */
  filename?: string;
}

/** A file's name without any folder a browser (old Internet Explorer) sends with it. */
const baseName = (name: string) => name.split(/[\\/]/).pop()!.trim();

function parseHeaders(block: string): PartHeaders {
  const disposition = block.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line));
  if (!disposition) throw new MalformedUpload('a part without Content-Disposition');
  const param = (key: string) => {
    const match = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition) ?? new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(disposition);
    // Browsers send a quote in a name as %22 (the HTML standard), and other bytes as UTF-8.
    return match ? Buffer.from(match[1]!, 'latin1').toString('utf8').replace(/%22/g, '"') : undefined;
  };
  const name = param('name');
  if (name === undefined) throw new MalformedUpload('a part without a name');
  const filename = param('filename');
  return { name, filename: filename === undefined ? undefined : baseName(filename) };
}

/**
 * A multipart body read part by part: `fields()` reads the small fields up to the first file,
 * then `files()` reads the rest of the body, each file into its chunks.
 */
export class MultipartUpload {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private bytes = 0;
  private readonly delimiter: Buffer;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  /** The headers of the part whose body is next in `buffer`, or null after the last part. */
  private pending: PartHeaders | null = null;
  private started = false;

  constructor(body: ReadableStream<Uint8Array>, boundary: string, private readonly maxBytes: number) {
    this.reader = body.getReader();
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
    // The body starts with the delimiter without its leading CRLF.
    this.buffer = Buffer.from(CRLF);
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    this.bytes += value.length;
    if (this.bytes > this.maxBytes) {
      await this.reader.cancel().catch(() => {});
      this.ended = true;
      throw new UploadTooLarge(`over ${this.maxBytes} bytes`);
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, value]) : Buffer.from(value);
    return true;
  }

  /** Reads past a delimiter: the next part's headers, or null at the closing delimiter. */
  private async afterDelimiter(): Promise<PartHeaders | null> {
    while (this.buffer.length < 2) if (!(await this.fill())) throw new MalformedUpload('cut short');
    if (this.buffer[0] === 0x2d && this.buffer[1] === 0x2d) {
      // The closing delimiter: read (and ignore) any epilogue so the request is fully consumed.
      this.buffer = Buffer.alloc(0);
      while (await this.fill()) this.buffer = Buffer.alloc(0);
      return null;
    }
    let end: number;
    while ((end = this.buffer.indexOf(HEADERS_END)) < 0) {
      if (this.buffer.length > HEADERS_LIMIT) throw new MalformedUpload('part headers too long');
      if (!(await this.fill())) throw new MalformedUpload('cut short');
    }
    // From the end of the delimiter line (its CRLF) to the blank line.
    const block = this.buffer.subarray(0, end).toString('latin1').replace(/^[ \t]*\r\n/, '');
    this.buffer = this.buffer.subarray(end + HEADERS_END.length);
    return parseHeaders(block);
  }

  /** The current part's body, chunk by chunk, up to the next delimiter; then the next part's headers are pending. */
  private async *partBody(): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buffer.indexOf(this.delimiter);
      if (at >= 0) {
        if (at > 0) yield this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + this.delimiter.length);
        this.pending = await this.afterDelimiter();
        return;
      }
      // Keep enough of the tail to find a delimiter that straddles two chunks.
      const keep = this.delimiter.length - 1;
      if (this.buffer.length > keep) {
        const out = this.buffer.subarray(0, this.buffer.length - keep);
        this.buffer = Buffer.from(this.buffer.subarray(this.buffer.length - keep));
        yield out;
      }
      if (!(await this.fill())) throw new MalformedUpload('cut short');
    }
  }

  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Skip any preamble up to the first delimiter.
    for (;;) {
      const at = this.buffer.indexOf(this.delimiter);
      if (at >= 0) {
        this.buffer = this.buffer.subarray(at + this.delimiter.length);
        break;
      }
      if (!(await this.fill())) throw new MalformedUpload('no parts');
    }
    this.pending = await this.afterDelimiter();
  }

  /** The small fields before the first file part (the form sends them first), as text. */
  async fields(): Promise<Map<string, string>> {
    await this.start();
    const fields = new Map<string, string>();
    while (this.pending && this.pending.filename === undefined) {
      const { name } = this.pending;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of this.partBody()) {
        size += chunk.length;
        if (size > FIELD_LIMIT) throw new MalformedUpload(`field ${name} too long`);
        chunks.push(Buffer.from(chunk));
      }
      if (!fields.has(name)) fields.set(name, Buffer.concat(chunks).toString('utf8'));
    }
    return fields;
  }

  /**
   * Every file part of `field` after the small fields, read to the end of the body: its name as
   * uploaded and its bytes, in the chunks they came in. A file input left empty (a part with an
   * empty file name and no bytes) is not a file. Other parts after the files are ignored.
   */
  async files(field: string): Promise<UploadedFile[]> {
    await this.start();
    const files: UploadedFile[] = [];
    while (this.pending) {
      const { name, filename } = this.pending;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of this.partBody()) {
        size += chunk.length;
        // A copy: the read buffer is reused for what follows.
        if (name === field && filename !== undefined) chunks.push(Buffer.from(chunk));
      }
      if (name === field && filename !== undefined && (filename !== '' || size > 0)) files.push({ name: filename, size, chunks });
    }
    return files;
  }
}

/** A file as uploaded: held in memory only until its import ends. */
export interface UploadedFile {
  name: string;
  size: number;
  chunks: Buffer[];
}

/**
 * The uploaded files as the runner reads them, each streamed from its chunks. `release` lets the
 * chunks go (call it when the run has ended): opening a file after that is an error.
 */
export function asInputFiles(files: UploadedFile[]): { inputs: InputFile[]; release: () => void } {
  let released = false;
  const inputs = files.map((file): InputFile => ({
    name: file.name,
    size: file.size,
    open: () => {
      if (released) throw new Error('the upload has been let go');
      return Readable.from(file.chunks, { objectMode: false });
    },
  }));
  return {
    inputs,
    release: () => {
      released = true;
      for (const file of files) file.chunks.length = 0;
    },
  };
}
