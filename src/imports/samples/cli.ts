// `npm run import:samples`: writes docs/import-samples/ again (after a format changes).
import path from 'node:path';
import { paths } from '../../paths.ts';
import { writeSamples } from './write-samples.ts';

const dir = path.join(paths.root, 'docs', 'import-samples');
const written = await writeSamples(dir);
for (const [source, files] of Object.entries(written)) {
  process.stdout.write(`${source}: ${files.map((f) => path.relative(paths.root, f)).join(', ')}\n`);
}
