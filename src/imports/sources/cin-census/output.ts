// Writing a generated file line by line, waiting for the disk when its buffer is full, so a
// file for 100,000 children never exists as one string. Used by the CIN census and SSDA903
// writers.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  try {
    for (const line of lines) {
      if (!out.write(line)) await once(out, 'drain');
    }
  } finally {
    out.end();
  }
  await finished(out);
}
