#!/usr/bin/env node
// Entry point of the `glassbox` command. Runs the compiled CLI from out/ (built by `npm ci`
// through the `prepare` script); in a checkout where out/ is missing it builds it first.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const entry = join(root, 'out', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('glassbox: building the CLI (first run)...\n');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(entry)) {
    process.stderr.write('glassbox: build failed; run `npm ci` (or `npx tsc -b`) in ' + root + '\n');
    process.exit(1);
  }
}
require(entry)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
