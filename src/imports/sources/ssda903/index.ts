// SSDA903 (DfE's children looked after return, CSV) as an import source. See docs/imports.md,
// "SSDA903", for what is read, the rules and why the return ends nothing.
import type { SourceParser } from '../../records.ts';
import { readSsda903Files } from './read.ts';

export { writeSsda903, SSDA903_FILES } from './write.ts';
export { Ssda903FileError, recogniseTable } from './read.ts';

export const ssda903Parser: SourceParser = {
  source: 'ssda903',
  checkFiles(names) {
    if (names.length === 0) return { ok: false, message: 'Choose the SSDA903 header and episodes files (CSV)' };
    const other = names.find((name) => !/\.csv$/i.test(name));
    if (other !== undefined) return { ok: false, message: `${other} is not an SSDA903 file: the portal reads the 903 as CSV files (ending .csv)` };
    // Which file is which is told by its first row when it is read (./read.ts), as DfE's
    // validator does, so a council's own file names are fine.
    return { ok: true };
  },
  parse: readSsda903Files,
  // Like the CIN census: a yearly return whose silence about a child ends nothing; the
  // episodes' own end dates (DEC) end periods of care.
  snapshotOf: [],
};
