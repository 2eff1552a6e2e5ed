import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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

/** Runs `load` (a script body that sets `d`, a Dataset) in a child process: rows and peak RSS over its start. */
function peakOfLoading(load: string): { rows: number; loaded: number; peak: number } {
  const script = `
    const { loadData } = require(${JSON.stringify(join(REPO, 'out/src/data/dataSource.js'))});
    const before = process.memoryUsage().rss;
    ${load}
    const rows = d.xTrain.shape[0] + d.xTest.shape[0];
    const loaded = [d.xTrain, d.yTrain, d.xTest, d.yTest].reduce((n, t) => n + t.data.byteLength, 0);
    process.stdout.write(JSON.stringify({ rows, loaded, peak: process.resourceUsage().maxRSS * 1024 - before }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr.slice(0, 500));
  return JSON.parse(r.stdout) as { rows: number; loaded: number; peak: number };
}

/** A gzip IDX file of unsigned bytes with the given dimensions. */
function idxGz(file: string, dims: number[], value: (i: number) => number): void {
  const size = dims.reduce((a, b) => a * b, 1);
  const b = Buffer.alloc(4 + 4 * dims.length + size);
  b[2] = 0x08;
  b[3] = dims.length;
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < size; i++) b[4 + 4 * dims.length + i] = value(i);
  writeFileSync(file, gzipSync(b, { level: 1 }));
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;

describe('data loading memory (issue 13)', () => {
  it('a 100 MB numeric CSV loads within 3× its values as float64 (it peaked at 8×: 642 MB)', (t) => {
    const dir = tempDir();
    numericCsv(dir, 100e6);
    const { rows, peak } = peakOfLoading(`
      const spec = { type: 'csv', path: 'big.csv', target: 'y', testFraction: 0.2, splitSeed: 1, scale: 'standard', scaleBeforeSplit: false, delimiter: ',' };
      const d = loadData(spec, ${JSON.stringify(join(dir, 'm.nn.json'))}, 'float32').dataset;`);
    const table = rows * 10 * 8; // every value as float64, as parsed and scaled
    t.diagnostic(
      `${rows} rows: table ${mb(table)}, loaded (float32) ${mb(table / 2)}, peak ${mb(peak)} (${(peak / table).toFixed(2)}× the table)`,
    );
    assert.ok(rows > 1e6, `${rows} rows`);
    assert.ok(peak < 3 * table, `peak ${mb(peak)} is more than 3× the table's ${mb(table)}`);
  });

  it('a gzip IDX dataset (50,000 images) loads within 2× the loaded float32 data', (t) => {
    const dir = tempDir();
    idxGz(join(dir, 'ti.gz'), [50000, 28, 28], (i) => (i * 7919) % 251);
    idxGz(join(dir, 'tl.gz'), [50000], (i) => i % 10);
    idxGz(join(dir, 'vi.gz'), [1000, 28, 28], (i) => i % 200);
    idxGz(join(dir, 'vl.gz'), [1000], (i) => i % 10);
    const { rows, loaded, peak } = peakOfLoading(`
      const spec = { type: 'idx', trainImages: 'ti.gz', trainLabels: 'tl.gz', testImages: 'vi.gz', testLabels: 'vl.gz', classes: 10, scaling: 'book', layout: 'flat' };
      const d = loadData(spec, ${JSON.stringify(join(dir, 'm.nn.json'))}, 'float32').dataset;`);
    t.diagnostic(`${rows} images: loaded ${mb(loaded)}, peak ${mb(peak)} (${(peak / loaded).toFixed(2)}×)`);
    assert.equal(rows, 51000);
    assert.ok(peak < 2 * loaded, `peak ${mb(peak)} is more than 2× the loaded ${mb(loaded)}`);
  });
});
