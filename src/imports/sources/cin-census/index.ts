// The CIN census (DfE's yearly children in need return, XML) as an import source. See
// docs/imports.md, "CIN census", for what is read, the rules and why the census ends nothing.
import type { SourceParser } from '../../records.ts';
import { readCensusFiles } from './read.ts';

export { writeCinCensus, CIN_CENSUS_FILE } from './write.ts';
export { CensusFileError } from './read.ts';

export const cinCensusParser: SourceParser = {
  source: 'cin-census',
  checkFiles(names) {
    if (names.length === 0) return { ok: false, message: 'Choose the CIN census file (XML)' };
    const other = names.find((name) => !/\.xml$/i.test(name));
    if (other !== undefined) return { ok: false, message: `${other} is not a CIN census file: the census is XML (a file ending .xml)` };
    return { ok: true };
  },
  parse: readCensusFiles,
  // A yearly return, months old when it arrives, covers only children in need that year: it
  // says when episodes closed (CINclosureDate) but its silence about a child ends nothing.
  snapshotOf: [],
};
