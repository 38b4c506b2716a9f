// Which parser reads which source. The runner (../run.ts), the command line (../cli.ts), the
// upload page and the drop folder all find a source's parser here, so a source is supported
// everywhere once it has its line in this map.
//
// Empty on purpose in this branch: each source's parser is written on its own branch
// (ssd, flags, school-roll, gp-registration: sources/ssd/, flags.ts, school-roll.ts,
// gp-registration.ts; cin-census and ssda903: sources/cin-census/, sources/ssda903/) and the
// integrator adds its entry here when merging it, e.g. `['ssd', ssdParser]`.
import type { ImportSource, SourceParser } from '../records.ts';

const parsers = new Map<ImportSource, SourceParser>([]);

export function parserFor(source: ImportSource): SourceParser | undefined {
  return parsers.get(source);
}

/** The sources this installation can import, in the order of importSources. */
export function supportedSources(): ImportSource[] {
  return [...parsers.keys()];
}
