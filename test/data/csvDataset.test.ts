import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadBostonBook } from '../../src/data/boston';
import { CsvSpec, csvDataset } from '../../src/data/csvDataset';
import { parseCsvChunks, parseCsvTable } from '../../src/data/csvTable';
import { DataError } from '../../src/data/dataError';
import { loadData } from '../../src/data/dataSource';
import { REPO, tempDir, writeFile } from '../helpers/tempDir';

const spec = (o: Partial<CsvSpec> = {}): CsvSpec => ({
  type: 'csv',
  path: 'd.csv',
  target: 'y',
  scale: 'standard',
  scaleBeforeSplit: false,
  testFraction: 0.25,
  splitSeed: 1,
  delimiter: ',',
  ...o,
});
const TEXT = 'a,b,y\n1,10,0\n2,20,1\n3,30,0\n4,40,1\n5,50,0\n6,60,1\n7,70,0\n8,80,1\n';

function dataError(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DataError, `expected a DataError, got ${e}`);
    return e;
  }
  assert.fail('expected a DataError');
}

describe('parseCsvTable', () => {
  it('reads the header and rows with their line numbers, skipping blank lines, with CRLF', () => {
    const t = parseCsvTable('x,y\r\n1,2\r\n\r\n3,4\r\n', 'f.csv');
    assert.deepEqual(t.header, ['x', 'y']);
    assert.deepEqual(
      t.rows.map((r) => [r.line, r.cells]),
      [
        [2, ['1', '2']],
        [4, ['3', '4']],
      ],
    );
  });
  it('a ragged row is an error at its line and the missing field', () => {
    const e = dataError(() => parseCsvTable('a,b,c\n1,2,3\n4,5\n', 'f.csv'));
    assert.equal(e.message, 'f.csv:3:4: row has 2 fields, expected 3 as in the header');
  });
  it('an extra field is an error at that field', () => {
    assert.equal(
      dataError(() => parseCsvTable('a,b\n1,2\n33,44,55\n', 'f.csv')).message,
      'f.csv:3:7: row has 3 fields, expected 2 as in the header',
    );
  });
  it('empty files, header-only files and duplicate names are errors', () => {
    assert.match(
      dataError(() => parseCsvTable('', 'f.csv')).message,
      /^f\.csv:1:1: the file is empty: expected a header row/,
    );
    assert.match(
      dataError(() => parseCsvTable('a,b\n', 'f.csv')).message,
      /^f\.csv:2:1: no data rows after the header/,
    );
    assert.match(
      dataError(() => parseCsvTable('a,a\n1,2\n', 'f.csv')).message,
      /^f\.csv:1:3: duplicate column name 'a'/,
    );
  });
  it('an unclosed quote is an error with its line', () => {
    assert.match(
      dataError(() => parseCsvTable('a,b\n1,"2\n3,4\n', 'f.csv')).message,
      /^f\.csv:\d+: not valid CSV: Quote Not Closed/,
    );
  });
});

describe('csvDataset', () => {
  it('splits with the seeded RNG (25% test, rounded up) and standard-scales inputs with training statistics', () => {
    const { dataset, shape } = csvDataset(parseCsvTable(TEXT, 'd.csv'), spec(), 'float64');
    assert.deepEqual(dataset.xTrain.shape, [6, 2]);
    assert.deepEqual(dataset.xTest.shape, [2, 2]);
    const { columns, ...rest } = shape;
    assert.deepEqual(rest, {
      inputShape: [2],
      outputs: 1,
      task: 'regression',
      trainRows: 6,
      testRows: 2,
      description: 'd.csv: 2 input columns, 6 train / 2 test rows',
    });
    // The input columns' names and scaling, for the Probe tab's sliders: raw = x·std + mean.
    assert.deepEqual(columns?.names, ['a', 'b']);
    assert.ok(columns?.mean && columns.std);
    const raw = dataset.xTrain.data[0] * columns.std[0] + columns.mean[0];
    assert.ok(Math.abs(raw - Math.round(raw)) < 1e-9 && raw >= 1 && raw <= 8, `raw ${raw}`);
    const col = (c: number) => Array.from({ length: 6 }, (_, r) => dataset.xTrain.data[r * 2 + c]);
    const mean = col(0).reduce((a, b) => a + b) / 6;
    assert.ok(Math.abs(mean) < 1e-12);
    assert.ok(Math.abs(col(0).reduce((a, b) => a + b * b, 0) / 6 - 1) < 1e-12);
    // Targets are never scaled: still 0/1.
    assert.ok(Array.from(dataset.yTrain.data).every((v) => v === 0 || v === 1));
    const again = csvDataset(parseCsvTable(TEXT, 'd.csv'), spec(), 'float64').dataset;
    assert.deepEqual(again.xTest.data, dataset.xTest.data);
    const other = csvDataset(parseCsvTable(TEXT, 'd.csv'), spec({ splitSeed: 2 }), 'float64').dataset;
    assert.notDeepEqual(
      Array.from(other.xTest.data),
      Array.from(dataset.xTest.data),
      'another split seed picks other rows',
    );
  });
  it('several targets, chosen features, no scaling, and one-hot classes', () => {
    const t = parseCsvTable(TEXT, 'd.csv');
    const multi = csvDataset(t, spec({ target: ['a', 'y'], features: ['b'], scale: 'none' }), 'float32').dataset;
    assert.deepEqual(multi.xTrain.shape, [6, 1]);
    assert.deepEqual(multi.yTrain.shape, [6, 2]);
    assert.equal(multi.xTrain.dtype, 'float32');
    assert.equal(multi.xTrain.data[0] % 10, 0, 'unscaled b values are multiples of 10');
    const cls = csvDataset(t, spec({ classes: 2 }), 'float64');
    assert.deepEqual(cls.dataset.yTrain.shape, [6, 2]);
    assert.equal(cls.shape.task, 'classification');
  });
  it('a non-numeric or empty cell names file, line and column', () => {
    assert.equal(
      dataError(() => csvDataset(parseCsvTable('a,y\n1,2\n3,\n5,6\n7,8\n', 'd.csv'), spec(), 'float64')).message,
      "d.csv:3:3: expected a number in column 'y', got an empty cell",
    );
    assert.equal(
      dataError(() => csvDataset(parseCsvTable('a,y\n1,2\n"x,1",2\n5,6\n7,8\n', 'd.csv'), spec(), 'float64')).message,
      "d.csv:3:1: expected a number in column 'a', got 'x,1'",
    );
  });
  it('Infinity, NaN, 1e400 and ±1e308 are errors at their line and column (±1e308 trained to NaN)', () => {
    for (const [cell, got] of [
      ['Infinity', "got 'Infinity'"],
      ['NaN', "got 'NaN'"],
      ['1e400', "got '1e400'"],
      ['-1e308', 'the value -1e308'],
      ['1e308', 'the value 1e308'],
    ]) {
      const message = dataError(() =>
        csvDataset(parseCsvTable(`a,y\n1,2\n3,4\n5,${cell}\n7,8\n`, 'd.csv'), spec(), 'float64'),
      ).message;
      assert.ok(message.startsWith('d.csv:4:3: '), message);
      assert.ok(message.includes(got), message);
    }
  });
  it('a label outside 0..classes-1 is an error at its line', () => {
    assert.match(
      dataError(() =>
        csvDataset(parseCsvTable(TEXT.replace('3,30,0', '3,30,7'), 'd.csv'), spec({ classes: 2 }), 'float64'),
      ).message,
      /^d\.csv:4: expected a class label 0\.\.1 in column 'y', got 7/,
    );
  });
  it('the book Boston preparation is expressible as a CSV source (scale before split, 30%, seed 80718)', () => {
    const file = join(REPO, 'examples', 'm.nn.json');
    const viaCsv = loadData(
      {
        ...spec({
          path: '../datasets/boston-housing.csv',
          target: 'MEDV',
          scaleBeforeSplit: true,
          testFraction: 0.3,
          splitSeed: 80718,
        }),
      },
      file,
      'float64',
    ).dataset;
    const book = loadBostonBook();
    assert.deepEqual(viaCsv.xTrain.data, book.xTrain.data);
    assert.deepEqual(viaCsv.yTest.data, book.yTest.data);
  });
  it('loadData resolves paths relative to the model file and refuses oversized files', () => {
    const dir = tempDir();
    writeFile(dir, 'd.csv', TEXT);
    assert.deepEqual(loadData(spec(), join(dir, 'model.nn.json'), 'float64').shape.inputShape, [2]);
    process.env.GLASSBOX_MAX_DATA_BYTES = '64';
    try {
      const e = dataError(() => loadData(spec(), join(dir, 'model.nn.json'), 'float64'));
      assert.equal(e.code, 'dataTooLarge');
      assert.ok(e.message.startsWith(join(dir, 'd.csv') + ': file is'), e.message);
    } finally {
      delete process.env.GLASSBOX_MAX_DATA_BYTES;
    }
  });
});

describe('parseCsvChunks (the file streamed in chunks)', () => {
  /** The table's content, or its error's message. */
  const outcome = (parse: () => ReturnType<typeof parseCsvTable>) => {
    try {
      const t = parse();
      return JSON.stringify({ header: t.header, lines: [...t.lines], rows: t.rows.map((r) => r.cells) });
    } catch (e) {
      assert.ok(e instanceof DataError, String(e));
      return e.message;
    }
  };
  it('gives the table or the error the whole text gives, wherever the chunks end', () => {
    const text = fc.string({
      maxLength: 120,
      unit: fc.constantFrom(
        'a',
        'y',
        ',',
        ',',
        '\n',
        '\n',
        '\r\n',
        '\r',
        '"',
        ' ',
        '1',
        '2.5',
        '-',
        'e',
        'é',
        '梯',
        '\uFEFF',
      ),
    });
    fc.assert(
      fc.property(text, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (body, sizes) => {
        const whole = `a,y\n${body}`;
        const bytes = new TextEncoder().encode(whole);
        // One buffer reused for every chunk, as nodeFileAccess.chunks does.
        const shared = new Uint8Array(9);
        function* chunks() {
          for (let at = 0, k = 0; at < bytes.length; at += sizes[k++ % sizes.length]) {
            const piece = bytes.subarray(at, at + sizes[k % sizes.length]);
            shared.set(piece);
            yield shared.subarray(0, piece.length);
          }
        }
        const expected = outcome(() => parseCsvTable(whole, 'f.csv'));
        assert.equal(
          outcome(() => parseCsvChunks(chunks(), 'f.csv')),
          expected,
        );
      }),
      { seed: 13, numRuns: 1000 },
    );
  });
});

describe('a large CSV in bounded memory', () => {
  it('a column of 300,000 non-numbers is reported at its first cell (the stack overflowed)', () => {
    const rows = ['a,y', ...Array.from({ length: 300_000 }, (_, i) => (i < 5 ? `1,${i % 2}` : `x,${i % 2}`))];
    const e = dataError(() => csvDataset(parseCsvTable(rows.join('\n'), 'f.csv'), spec(), 'float64'));
    assert.equal(e.message, "f.csv:7:1: expected a number in column 'a', got 'x'");
  });

  it('an 8 MB CSV (750,000 rows) is validated in full within a 160 MB heap (it ran out of memory)', () => {
    const dir = tempDir();
    const rows: string[] = [];
    for (let i = 0; i < 750_000; i++) rows.push(`${(i % 97) * 0.5},${i % 13},${(i * 7) % 101},${i % 2}`);
    writeFile(dir, 'mid.csv', `a,b,c,y\n${rows.join('\n')}\n`);
    const model = writeFile(
      dir,
      'm.nn.json',
      JSON.stringify({
        data: { type: 'csv', path: 'mid.csv', target: 'y', classes: 2 },
        layers: [{ type: 'dense', units: 2 }],
        loss: 'softmaxCrossEntropy',
        optimizer: { type: 'sgd', lr: 0.01 },
        training: { epochs: 1, evalEvery: 1, batchSize: 1000 },
      }),
    );
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=160', join(REPO, 'bin', 'glassbox.js'), 'validate', model],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr.slice(0, 400));
    assert.match(r.stdout, /mid\.csv: 3 input columns, 600000 train \/ 150000 test rows/);
  });
});
