import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir } from '../helpers/tempDir';

/** A numeric CSV of about `bytes` bytes: 10 columns of 6-decimal values (seeded), `y` the last. */
function numericCsv(dir: string, bytes: number): string {
  const file = join(dir, 'big.csv');
  const fd = openSync(file, 'w');
  writeSync(fd, 'a,b,c,d,e,f,g,h,i,y\n');
  let seed = 1;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 10 - 5;
  for (let written = 0; written < bytes;) {
    const rows: string[] = [];
    for (let r = 0; r < 10000; r++) rows.push(Array.from({ length: 10 }, () => next().toFixed(6)).join(','));
    const block = rows.join('\n') + '\n';
    writeSync(fd, block);
    written += block.length;
  }
  closeSync(fd);
  return file;
}

describe('CSV loading memory (issue 13)', () => {
  it('a 100 MB numeric CSV loads within 3× its values as float64 (it peaked at 8×: 642 MB)', (t) => {
    const dir = tempDir();
    numericCsv(dir, 100e6);
    // In a child process: its peak RSS over what it held before loading.
    const script = `
      const { loadData } = require(${JSON.stringify(join(REPO, 'out/src/data/dataSource.js'))});
      const before = process.memoryUsage().rss;
      const spec = { type: 'csv', path: 'big.csv', target: 'y', testFraction: 0.2, splitSeed: 1, scale: 'standard', scaleBeforeSplit: false, delimiter: ',' };
      const d = loadData(spec, ${JSON.stringify(join(dir, 'm.nn.json'))}, 'float32').dataset;
      const rows = d.xTrain.shape[0] + d.xTest.shape[0];
      process.stdout.write(JSON.stringify({ rows, peak: process.resourceUsage().maxRSS * 1024 - before }));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr.slice(0, 500));
    const { rows, peak } = JSON.parse(r.stdout) as { rows: number; peak: number };
    const table = rows * 10 * 8; // every value as float64, as parsed and scaled
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
    t.diagnostic(
      `${rows} rows: table ${mb(table)}, loaded (float32) ${mb(table / 2)}, peak ${mb(peak)} (${(peak / table).toFixed(2)}× the table)`,
    );
    assert.ok(rows > 1e6, `${rows} rows`);
    assert.ok(peak < 3 * table, `peak ${mb(peak)} is more than 3× the table's ${mb(table)}`);
  });
});
