import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { csvDataset, CsvSpec } from '../../src/data/csvDataset';
import { parseCsvTable } from '../../src/data/csvTable';
import { DataError } from '../../src/data/dataError';
import { readIdxFile } from '../../src/data/idxDataset';
import { Problem } from '../../src/modelFile/problem';
import { validateModel } from '../../src/modelFile/validate';
import { bostonModel } from '../helpers/modelText';
import { memoryFiles } from '../helpers/memoryFiles';

// Property-based tests: 1,500 generated malformed inputs in all. Each must be answered (no
// exception, no hang) with problems that all carry a position inside the text.
// The seed is fixed so CI is deterministic; explore more with e.g.
//   GLASSBOX_FUZZ_SEED=$RANDOM GLASSBOX_FUZZ_SCALE=20 node scripts/test.mjs fuzz
const scale = Number(process.env.GLASSBOX_FUZZ_SCALE ?? 1);
fc.configureGlobal({ seed: Number(process.env.GLASSBOX_FUZZ_SEED ?? 20261127) });
const runs = (n: number) => ({ numRuns: Math.round(n * scale) });

const BASE = `// a model\n${bostonModel({ data: { type: 'csv', path: 'd.csv', target: 'y' } })}\n`;
const CSV = 'a,b,y\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n2,2,2\n';

function assertPositioned(text: string, problems: Problem[]): void {
  const lines = text.split(/\r\n|\n|\r/);
  for (const p of problems) {
    assert.ok(p.message.length > 0 && p.code && p.severity, JSON.stringify(p));
    const { start, end } = p.range;
    assert.ok(start.line >= 0 && start.line < lines.length, `line ${start.line} outside the text: ${p.message}`);
    assert.ok(
      start.character >= 0 && start.character <= lines[start.line].length,
      `character ${start.character} outside line ${start.line}: ${p.message}`,
    );
    assert.ok(
      end.line > start.line || (end.line === start.line && end.character >= start.character),
      `range ends before it starts: ${p.message}`,
    );
  }
}

function validateQuickly(text: string, csv = CSV): Problem[] {
  const t0 = Date.now();
  const r = validateModel(text, '/m/model.nn.json', { files: memoryFiles({ '/m/d.csv': csv }), deepData: true });
  assert.ok(Date.now() - t0 < 2000, 'validation took over 2 s');
  assertPositioned(text, r.problems);
  return r.problems;
}

function expectDataError(f: () => unknown, check: (e: DataError) => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    check(e);
  }
}

describe('property: malformed model files', () => {
  it('edits of a valid file (delete, insert, replace a span) never crash the validator', () => {
    fc.assert(
      fc.property(
        fc.nat(BASE.length),
        fc.nat(40),
        fc.string({ maxLength: 12, unit: fc.constantFrom(...'{}[]":,0123456789.-eE \n/*truefalsnul\\abc'.split('')) }),
        (at, del, insert) => {
          validateQuickly(BASE.slice(0, at) + insert + BASE.slice(at + del));
        },
      ),
      runs(500),
    );
  });
  it('any JSON value in any section is reported, not thrown', () => {
    const keys = ['name', 'profile', 'precision', 'seed', 'data', 'layers', 'loss', 'optimizer', 'training', 'extra'];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), (key, value) => {
        const text = bostonModel({
          [key]: value,
          data: key === 'data' ? value : { type: 'csv', path: 'd.csv', target: 'y' },
        });
        validateQuickly(text);
      }),
      runs(300),
    );
  });
  it('layers with random kinds, units and activations get shape or schema problems at a position', () => {
    const layer = fc.record(
      {
        type: fc.constantFrom('dense', 'flatten', 'dens', 3),
        units: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double()),
        activation: fc.constantFrom('relu', 'tanh', 'softmax', 'sigmod', null),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(fc.array(layer, { maxLength: 4 }), (layers) => {
        validateQuickly(bostonModel({ layers, data: { type: 'csv', path: 'd.csv', target: 'y' } }));
      }),
      runs(150),
    );
  });
});

describe('property: malformed data files', () => {
  const spec: CsvSpec = {
    type: 'csv',
    path: 'd.csv',
    target: 'y',
    scale: 'standard',
    scaleBeforeSplit: false,
    testFraction: 0.25,
    splitSeed: 1,
    delimiter: ',',
  };
  it('ragged, quoted or non-numeric CSV: a Dataset or a DataError with a line', () => {
    const csv = fc.string({ maxLength: 80, unit: fc.constantFrom(...'ay,,,\n\n\r"" 0123456789.-e'.split('')) });
    fc.assert(
      fc.property(csv, (text) => {
        const withHeader = `a,y\n${text}`;
        expectDataError(
          () => csvDataset(parseCsvTable(withHeader, 'd.csv'), spec, 'float64'),
          (e) => {
            assert.equal(e.file, 'd.csv');
            assert.ok((e.where.line ?? 0) >= 1, e.message);
          },
        );
        validateQuickly(BASE, withHeader);
      }),
      runs(300),
    );
  });
  it('truncated, wrong-magic or random IDX files (raw or gzip): an IdxArray or a DataError with a byte', () => {
    const header = fc.record({
      magic: fc.constantFrom([0, 0, 8], [0, 0, 9], [1, 0, 8], [0x1f, 0x8b, 8]),
      dims: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 5 }),
      extra: fc.integer({ min: -8, max: 3 }),
      gzip: fc.boolean(),
    });
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 16 }), ({ magic, dims, extra, gzip }, noise) => {
        const size = dims.reduce((a, b) => a * b, 1);
        const body = new Uint8Array(Math.max(0, 4 + 4 * dims.length + size + extra));
        body.set([...magic, dims.length].slice(0, body.length));
        const view = new DataView(body.buffer);
        dims.forEach((d, i) => 8 + 4 * i <= body.length && view.setUint32(4 + 4 * i, d, false));
        const file = gzip
          ? gzipSync(body).subarray(0, noise.length % 3 === 0 ? undefined : Math.max(2, noise.length))
          : noise.length > 12
            ? noise
            : body;
        expectDataError(
          () => readIdxFile(memoryFiles({ f: file }), 'f'),
          (e) => {
            if (e.code !== 'dataTooLarge') assert.match(e.message, /^f: byte \d+: /);
          },
        );
      }),
      runs(250),
    );
  });

  it('stays within a memory bound', () => {
    // Every case above ran in this process, the CSV and IDX cases loading in full (deepData): a
    // leak, or an allocation sized from a header rather than the file, shows here.
    const rss = process.memoryUsage().rss;
    assert.ok(rss < 512 * 2 ** 20, `rss ${(rss / 2 ** 20).toFixed(0)} MB`);
  });
});
