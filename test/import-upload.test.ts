// The upload form's body reader (src/imports/upload.ts): real multipart bodies, as Node's own
// FormData writes them, fed in chunks of every size so a delimiter falls across two chunks;
// the byte limit; a body cut short.
import { describe, expect, it } from 'vitest';
import { asInputFiles, MalformedUpload, MultipartUpload, multipartBoundary, UploadTooLarge } from '../src/imports/upload.ts';

/** A FormData as a browser would send it: its bytes and content type. */
async function encode(form: FormData): Promise<{ bytes: Uint8Array; type: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), type: request.headers.get('Content-Type')! };
}

/** The bytes as a stream of chunks of `size` bytes. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function uploadForm() {
  const form = new FormData();
  form.append('csrf_token', 'token-123');
  form.append('source', 'school-roll');
  // Contents that look like a delimiter's start, CRLFs, and non-ASCII.
  form.append('files', new File(['upn,urn\r\n--not-a-boundary\r\nA123456789012,100001\r\nZoë\r\n'], 'school roll.csv'));
  form.append('files', new File(['second file'], 'C:\\Users\\grace\\gp.csv'));
  form.append('files', new File([], ''));
  return form;
}

describe('MultipartUpload', () => {
  it('reads the fields, then every file whole, whatever the chunk size', async () => {
    const { bytes, type } = await encode(uploadForm());
    const boundary = multipartBoundary(type)!;
    expect(boundary).toBeTruthy();
    for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
      const upload = new MultipartUpload(chunked(bytes, size), boundary, 1_000_000);
      const fields = await upload.fields();
      expect(Object.fromEntries(fields), `chunks of ${size}`).toEqual({ csrf_token: 'token-123', source: 'school-roll' });
      const files = await upload.files('files');
      // The empty file input is not a file; a folder sent with a name is dropped.
      expect(files.map((f) => f.name)).toEqual(['school roll.csv', 'gp.csv']);
      const { inputs, release } = asInputFiles(files);
      expect(await text(inputs[0]!.open())).toBe('upn,urn\r\n--not-a-boundary\r\nA123456789012,100001\r\nZoë\r\n');
      expect(inputs[0]!.size).toBe(Buffer.byteLength('upn,urn\r\n--not-a-boundary\r\nA123456789012,100001\r\nZoë\r\n'));
      // Read again (a parser that reads twice) gives the same bytes, until the run lets them go.
      expect(await text(inputs[1]!.open())).toBe('second file');
      expect(await text(inputs[1]!.open())).toBe('second file');
      release();
      expect(() => inputs[0]!.open()).toThrow();
    }
  });

  it('stops at the limit', async () => {
    const { bytes, type } = await encode(uploadForm());
    const upload = new MultipartUpload(chunked(bytes, 16), multipartBoundary(type)!, bytes.length - 1);
    await expect(upload.fields().then(() => upload.files('files'))).rejects.toBeInstanceOf(UploadTooLarge);
  });

  it('refuses a body cut short', async () => {
    const { bytes, type } = await encode(uploadForm());
    const upload = new MultipartUpload(chunked(bytes.slice(0, bytes.length - 20), 50), multipartBoundary(type)!, 1_000_000);
    await expect(upload.fields().then(() => upload.files('files'))).rejects.toBeInstanceOf(MalformedUpload);
  });

  it('knows a multipart content type only', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc')).toBe('----abc');
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('application/x-www-form-urlencoded')).toBeUndefined();
    expect(multipartBoundary(undefined)).toBeUndefined();
  });
});
