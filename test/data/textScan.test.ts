import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { scanText } from '../../src/data/textScan';
import { decodeText } from '../../src/data/textDecode';
import type { FileAccess } from '../../src/data/fileAccess';
import { CharVocabulary } from '../../src/engine';
import { REPO, tempDir, writeFile } from '../helpers/tempDir';

/** An in-memory file served in chunks of the given sizes (so sequences straddle chunk ends). */
function memoryFile(bytes: Uint8Array, sizes: number[]): FileAccess {
  return {
    size: () => bytes.length,
    read: () => bytes,
    *chunks() {
      for (let at = 0, k = 0; at < bytes.length; k++) {
        const n = sizes[k % sizes.length];
        yield bytes.subarray(at, at + n);
        at += n;
      }
    },
  };
}

describe('scanText (streamed text validation)', () => {
  it('counts and collects exactly what decodeText + CharVocabulary give, whatever the chunking', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom('\r\n', '\r', '\n', '\uFEFF', '😀', '梯度', 'é'),
    );
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(piece, { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        (bom, pieces, sizes) => {
          const text = (bom ? '\uFEFF' : '') + pieces.join('');
          const bytes = new TextEncoder().encode(text);
          const decoded = decodeText(bytes, 'f.txt');
          const scan = scanText('f.txt', memoryFile(bytes, sizes));
          assert.equal(scan.characters, [...decoded].length);
          if (decoded.length > 0) assert.deepEqual(scan.vocabulary, CharVocabulary.fromText(decoded).chars);
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('invalid UTF-8 is reported in the same pass with the message decodeText gives, whatever the chunking', () => {
    // The scan used to fall back to decoding the whole file to say where (150 MB as one string).
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 6 }).map((t) => [...new TextEncoder().encode(t)]),
      fc.constantFrom([0x0d, 0x0a], [0x0d], [0x0a], [0xef, 0xbb, 0xbf], [0xf0, 0x9f, 0x98, 0x80]),
      fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 }),
    );
    let invalid = 0;
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        (pieces, sizes) => {
          const bytes = new Uint8Array(pieces.flat());
          let expected: string | undefined;
          try {
            decodeText(bytes, 'f.txt');
          } catch (e) {
            expected = (e as Error).message;
          }
          if (expected === undefined) return;
          invalid++;
          assert.throws(
            () => scanText('f.txt', memoryFile(bytes, sizes)),
            (e: Error) => e.message === expected,
          );
        },
      ),
      { seed: 11, numRuns: 2000 },
    );
    assert.ok(invalid > 500, `only ${invalid} invalid texts`);
  });

  it('invalid UTF-8 is still reported at its line and column', () => {
    const bytes = new Uint8Array([0x61, 0x0a, 0x62, 0xc3, 0x28, 0x63]);
    assert.throws(() => scanText('bad.txt', memoryFile(bytes, [2])), /line 2, column 2|2:2/);
  });

  it('validating a model on a 150 MB text stays within a 160 MB heap (it ran out of memory)', () => {
    const dir = tempDir();
    const fd = openSync(join(dir, 'big.txt'), 'w');
    const line = Buffer.from('The quick brown fox jumps over the lazy dog — ünïcödé 梯度\r\n');
    const block = Buffer.concat(Array(16384).fill(line));
    for (let written = 0; written < 150e6; written += block.length) writeSync(fd, block);
    closeSync(fd);
    const model = writeFile(
      dir,
      'big.nn.json',
      JSON.stringify({
        data: { type: 'text', path: 'big.txt', sequenceLength: 25 },
        layers: [{ type: 'lstm', hiddenSize: 8 }],
        loss: 'sequenceSoftmaxCrossEntropy',
        optimizer: { type: 'adam', lr: 0.01 },
        training: { iterations: 10, batchSize: 4, evalEvery: 5 },
      }),
    );
    const script = `
      const { validateModel } = require(${JSON.stringify(join(REPO, 'out/src/modelFile/validate.js'))});
      const { nodeFileAccess } = require(${JSON.stringify(join(REPO, 'out/src/data/fileAccess.js'))});
      const text = require('fs').readFileSync(${JSON.stringify(model)}, 'utf8');
      const r = validateModel(text, ${JSON.stringify(model)}, { files: nodeFileAccess });
      process.stdout.write(JSON.stringify({ problems: r.problems.length, data: r.summary && r.summary.data.description }));`;
    const r = spawnSync(process.execPath, ['--max-old-space-size=160', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr.slice(0, 500));
    const out = JSON.parse(r.stdout) as { problems: number; data: string };
    assert.equal(out.problems, 0);
    assert.match(out.data, /big\.txt: 1\d\d,\d{3},\d{3} characters, vocabulary 3\d/);
  });
});
