// Which parser reads which source. The runner (../run.ts), the command line (../cli.ts), the
// upload page and the drop folder all find a source's parser here, so a source is supported
// everywhere once it has its line in this map.
//
// A new source is one parser (see ../records.ts SourceParser) and one line here.
import type { ImportSource, SourceParser } from '../records.ts';
import { cinCensusParser } from './cin-census/index.ts';
import { flagsParser } from './flags.ts';
import { gpRegistrationParser } from './gp-registration.ts';
import { schoolRollParser } from './school-roll.ts';
import { ssdParser } from './ssd/index.ts';
import { ssda903Parser } from './ssda903/index.ts';

const parsers = new Map<ImportSource, SourceParser>([
  ['ssd', ssdParser],
  ['cin-census', cinCensusParser],
  ['ssda903', ssda903Parser],
  ['school-roll', schoolRollParser],
  ['gp-registration', gpRegistrationParser],
  ['flags', flagsParser],
]);

export function parserFor(source: ImportSource): SourceParser | undefined {
  return parsers.get(source);
}

/** The sources this installation can import, in the order of importSources. */
export function supportedSources(): ImportSource[] {
  return [...parsers.keys()];
}
