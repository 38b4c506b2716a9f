// Streams a CIN census file with saxes: the file is fed to the parser chunk by chunk and only
// the child being read is held, so a census of 100,000 children takes the memory of one.
// saxes does not fetch external entities or DTDs, so a hostile file cannot read the server's
// files (no XXE). A file that is not well-formed XML stops the import with the line and column.
import { SaxesParser } from 'saxes';
import type { ImportRecord, InputFile, ParseReport } from '../../records.ts';
import { CHILD_ELEMENTS, REPEATING } from './codes.ts';
import { readChild, type CensusChild, type CensusDetail, type CensusGroup, type Seen } from './child.ts';

interface Frame {
  name: string;
  path: string;
  /** How many of each child element this element has had so far, for `Child[12]`. */
  counts: Map<string, number>;
  /** Inside an unknown element: its content is skipped without more warnings. */
  skipped: boolean;
  text: string;
}

/** The element's name without a namespace prefix: files from some case systems carry one. */
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** A file the census reader cannot go on with: not well-formed XML, not UTF-8, or not a CIN census. */
export class CensusFileError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: number, reason: string) {
    super(`${file} cannot be read at line ${line}, column ${column}: ${reason}`);
    this.name = 'CensusFileError';
  }
}

export async function* readCensusFiles(files: InputFile[], report: ParseReport): AsyncIterable<ImportRecord> {
  const seen: Seen = { ids: new Set(), upns: new Set() };
  let bytesBefore = 0;
  for (const file of files) {
    let bytes = 0;
    for await (const record of readCensus(file, seen, report, (n) => { bytes = n; report.progress(bytesBefore + n); })) yield record;
    bytesBefore += bytes;
  }
}

async function* readCensus(file: InputFile, seen: Seen, report: ParseReport, progress: (bytes: number) => void): AsyncIterable<ImportRecord> {
  const parser = new SaxesParser({ position: true });
  const ready: ImportRecord[] = [];
  const stack: Frame[] = [];
  let child: CensusChild | undefined;
  let detail: CensusDetail | undefined;
  let plan: CensusGroup | undefined;
  let sawRoot = false;

  parser.on('error', (error) => {
    // saxes prefixes its message with the position; keep only the reason.
    throw new CensusFileError(file.name, parser.line, parser.column + 1, `the XML is not well formed (${error.message.replace(/^[^:]*:\d+:\d+: /, '')})`);
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    const parent = stack.at(-1);
    if (!parent) {
      if (name !== 'Message') throw new CensusFileError(file.name, parser.line, parser.column + 1, `the root element is <${name}>, not <Message>: this is not a CIN census file`);
      sawRoot = true;
      stack.push({ name, path: name, counts: new Map(), skipped: false, text: '' });
      return;
    }
    const position = (parent.counts.get(name) ?? 0) + 1;
    parent.counts.set(name, position);
    const path = `${parent.path}/${name}${REPEATING.has(name) || position > 1 ? `[${position}]` : ''}`;
    let skipped = parent.skipped;
    if (!skipped && !(CHILD_ELEMENTS[parent.name] ?? []).includes(name)) {
      skipped = true;
      report.issue({
        source: 'cin-census', where: { file: file.name, path }, caseSystemId: null, rule: 'unknown-element', dfeRule: null, field: name, value: null,
        message: `<${name}> is not a CIN census element here: it was ignored`, outcome: 'warning',
      });
    }
    stack.push({ name, path, counts: new Map(), skipped, text: '' });
    if (skipped) return;
    if (name === 'Child') child = { path, fields: {}, details: [] };
    else if (name === 'CINdetails' && child) child.details.push((detail = { path, fields: {}, plans: [] }));
    else if (name === 'ChildProtectionPlans' && detail) detail.plans.push((plan = { path, fields: {} }));
  });
  const onText = (text: string) => {
    const top = stack.at(-1);
    if (top && !top.skipped && !CHILD_ELEMENTS[top.name]) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const frame = stack.pop()!;
    const parent = stack.at(-1);
    if (frame.skipped || !parent) return;
    if (frame.name === 'Collection' && parent.name === 'CollectionDetails' && frame.text.trim().toUpperCase() !== 'CIN') {
      // Other DfE returns (the school census) are <Message> files too: say so, not 'unknown element'.
      throw new CensusFileError(file.name, parser.line, parser.column + 1, `the collection is ${JSON.stringify(frame.text.trim().slice(0, 40))}, not CIN: this is not a CIN census file`);
    }
    if (CHILD_ELEMENTS[frame.name] === undefined) {
      // A leaf: file its value with the group it belongs to (the first one wins). Review dates
      // and the other groups' values are not kept: the portal does not use them (docs/imports.md).
      const group = parent.name === 'ChildIdentifiers' ? child : parent.name === 'CINdetails' ? detail : parent.name === 'ChildProtectionPlans' ? plan : undefined;
      if (group && !(frame.name in group.fields)) group.fields[frame.name] = frame.text;
      return;
    }
    if (frame.name === 'ChildProtectionPlans') plan = undefined;
    else if (frame.name === 'CINdetails') detail = undefined;
    else if (frame.name === 'Child' && child) {
      const result = readChild(child, file.name, seen);
      for (const issue of result.issues) report.issue(issue);
      ready.push(...result.records);
      child = undefined;
    }
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  const feed = (text: string) => {
    try {
      parser.write(text);
    } catch (error) {
      if (error instanceof CensusFileError) throw error;
      throw new CensusFileError(file.name, parser.line, parser.column + 1, `the XML is not well formed (${(error as Error).message.replace(/^[^:]*:\d+:\d+: /, '')})`);
    }
  };
  for await (const chunk of file.open()) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buffer.length;
    let text: string;
    try {
      text = decoder.decode(buffer, { stream: true });
    } catch {
      throw new CensusFileError(file.name, parser.line, parser.column + 1, 'the file is not UTF-8 text');
    }
    feed(text);
    progress(bytes);
    yield* ready.splice(0);
  }
  feed(decoder.decode());
  try {
    parser.close();
  } catch (error) {
    if (error instanceof CensusFileError) throw error;
    throw new CensusFileError(file.name, parser.line, parser.column + 1, `the XML is not well formed (${(error as Error).message.replace(/^[^:]*:\d+:\d+: /, '')})`);
  }
  if (!sawRoot) throw new CensusFileError(file.name, parser.line, parser.column + 1, 'the file has no <Message> element');
  yield* ready.splice(0);
}
