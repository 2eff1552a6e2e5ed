import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { Problem } from '../../src/modelFile/problem';
import { hasErrors, validateModel } from '../../src/modelFile/validate';
import { bostonModel } from '../helpers/modelText';
import { REPO, tempDir, writeFile } from '../helpers/tempDir';

/** 0-based position of the `n`-th occurrence of `needle` (after `skip` characters into it). */
function at(text: string, needle: string, skip = 0, n = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `'${needle}' not in text`);
  const before = text.slice(0, i + skip).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function only(problems: Problem[], code: string): Problem {
  const ps = problems.filter((p) => p.code === code);
  assert.equal(
    ps.length,
    1,
    `expected one '${code}' problem, got:\n${problems.map((p) => `${p.code}: ${p.message}`).join('\n')}`,
  );
  return ps[0];
}

const validate = (text: string, file = join(REPO, 'examples', 'x.nn.json'), deepData = false) =>
  validateModel(text, file, { files: nodeFileAccess, deepData });

describe('validateModel: schema problems at exact ranges', () => {
  it('a valid file has no problems, a spec with defaults and a shape summary', () => {
    const r = validate(bostonModel());
    assert.deepEqual(r.problems, []);
    assert.equal(r.spec?.training.batchSize, 32);
    assert.equal(r.spec?.training.seed, 3, 'training.seed defaults to the model seed');
    assert.deepEqual(
      r.summary?.layers.map((l) => [l.name, l.outputShape, l.parameters]),
      [
        ['dense1', [4], 56],
        ['dense2', [1], 5],
      ],
    );
  });
  it('quirks: an unknown name is an error at its key, a known one switches that quirk alone', () => {
    const bad = bostonModel({ profile: 'book', quirks: { bookGlorott: false } });
    const p = validate(bad).problems.find((x) => x.message.includes('bookGlorott'));
    assert.ok(p, 'the misspelt quirk is reported');
    assert.equal(p.severity, 'error');
    assert.equal(p.range.start.line, at(bad, '"bookGlorott"').line);
    assert.match(p.message, /bookGlorot\b/, 'it suggests the right name');
    const good = validate(bostonModel({ profile: 'book', quirks: { bookGlorot: false } }));
    assert.deepEqual(good.problems, []);
    assert.deepEqual(good.spec?.quirks, { bookGlorot: false });
    assert.equal(validate(bostonModel()).spec?.quirks, undefined, 'no quirks key, no quirks');
  });
  it('unknown activation: did you mean, at the value', () => {
    const text = bostonModel({
      layers: [
        { type: 'dense', units: 4, activation: 'sigmod' },
        { type: 'dense', units: 1 },
      ],
    });
    const p = only(validate(text).problems, 'enum');
    assert.deepEqual(p.range.start, at(text, '"sigmod"'));
    assert.match(p.message, /^layers\[0\]\.activation: unknown activation 'sigmod'\. Did you mean 'sigmoid'\?/);
  });
  it('unknown layer type: did you mean, at the type value', () => {
    const text = bostonModel({
      layers: [
        { type: 'dens', units: 4 },
        { type: 'dense', units: 1 },
      ],
    });
    const p = only(validate(text).problems, 'enum');
    assert.deepEqual(p.range.start, at(text, '"dens"'));
    assert.match(p.message, /unknown layer type 'dens'\. Did you mean 'dense'\? Expected one of: dense, flatten/);
  });
  it('unknown loss name with an alias suggestion', () => {
    const text = bostonModel({ loss: 'mse' });
    const p = only(validate(text).problems, 'enum');
    assert.deepEqual(p.range.start, at(text, '"mse"'));
    assert.match(p.message, /unknown loss 'mse'\. Did you mean 'meanSquaredError'\?/);
  });
  it("'dropout' is refused with the keepProb meaning spelled out, at the key", () => {
    const text = bostonModel({
      layers: [
        { type: 'dense', units: 4, dropout: 0.2 },
        { type: 'dense', units: 1 },
      ],
    });
    const p = only(validate(text).problems, 'unknownProperty');
    assert.deepEqual(p.range.start, at(text, '"dropout"'));
    assert.match(p.message, /Use 'keepProb', the probability of KEEPING a unit: dropout 0\.2 is keepProb 0\.8/);
  });
  it('missing required property at the object, wrong type and out-of-range values at the value', () => {
    const text = bostonModel({
      layers: [{ type: 'dense' }, { type: 'dense', units: 1, keepProb: 1.5 }],
      training: { epochs: 2.5 },
    });
    const r = validate(text);
    assert.deepEqual(only(r.problems, 'required').range.start, at(text, '{\n      "type": "dense"\n    }'));
    assert.match(only(r.problems, 'required').message, /layers\[0\]: missing required property 'units'/);
    assert.deepEqual(only(r.problems, 'range').range.start, at(text, '1.5'));
    assert.equal(only(r.problems, 'range').message, 'layers[1].keepProb: must be <= 1, got 1.5');
    assert.deepEqual(only(r.problems, 'type').range.start, at(text, '2.5'));
    assert.equal(only(r.problems, 'type').message, 'training.epochs: expected an integer, got 2.5');
    assert.equal(r.spec, undefined);
  });
  it('duplicate keys are reported at the second key', () => {
    const text =
      '{ "data": "boston", "data": "mnist", "layers": [{ "type": "dense", "units": 1 }], "loss": "meanSquaredError", "optimizer": { "type": "sgd", "lr": 0.1 }, "training": { "epochs": 1 } }';
    const p = validate(text).problems.find((x) => /duplicate/.test(x.message));
    assert.deepEqual(p?.range.start, at(text, '"data"', 0, 1));
  });
  it('a non-object file is one type problem', () => {
    assert.match(validate('[1, 2]').problems[0].message, /expected an object, got an array/);
  });
});

describe('validateModel: semantics', () => {
  it('shape inference: a dense layer on image-shaped input needs flatten, reported at that layer', () => {
    const text = bostonModel({
      data: { type: 'mnist-sample', layout: 'image' },
      loss: 'softmaxCrossEntropy',
      layers: [{ type: 'dense', units: 10 }],
    });
    const p = only(validate(text).problems, 'shape');
    assert.deepEqual(p.range.start, at(text, '{\n      "type": "dense"'));
    assert.match(
      p.message,
      /layers\[0\] \(dense\) cannot take input \[1, 28, 28\]: Dense: input must be a vector per example \[features\], got \[1, 28, 28\] \(add a flatten layer first\)/,
    );
  });
  it('flatten then dense infers [784] → [10] with 7,850 parameters', () => {
    const r = validate(
      bostonModel({
        data: { type: 'mnist-sample', layout: 'image' },
        loss: 'softmaxCrossEntropy',
        layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }],
      }),
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.summary?.layers.map((l) => [l.outputShape, l.parameters]),
      [
        [[784], 0],
        [[10], 7850],
      ],
    );
  });
  it('conv2d → maxPool2d → flatten → dense: shapes and parameter counts (bias per filter; none in the book profile)', () => {
    const layers = [
      { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu' },
      { type: 'maxPool2d', kernelSize: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 10 },
    ];
    const r = validate(
      bostonModel({ data: { type: 'mnist-sample', layout: 'image' }, loss: 'softmaxCrossEntropy', layers }),
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.summary?.layers.map((l) => [l.outputShape, l.parameters]),
      [
        [[8, 28, 28], 80],
        [[8, 14, 14], 0],
        [[1568], 0],
        [[10], 15690],
      ],
    );
    const book = validate(
      bostonModel({
        profile: 'book',
        precision: 'float64',
        data: { type: 'mnist-sample', layout: 'image' },
        loss: 'softmaxCrossEntropy',
        layers,
      }),
    );
    assert.equal(book.summary?.layers[0].parameters, 72);
  });
  it('conv2d on flat input is a shape error naming the layer; a 1-item kernelSize is a range error', () => {
    const text = bostonModel({
      data: 'mnist-sample',
      loss: 'softmaxCrossEntropy',
      layers: [
        { type: 'dense', units: 10 },
        { type: 'conv2d', filters: 2, kernelSize: [3] },
      ],
    });
    const r = validate(text);
    // The value spans three lines: the problem names it by its key, not by underlining the block.
    assert.deepEqual(only(r.problems, 'range').range.start, at(text, '"kernelSize": [\n        3\n      ]'));
    assert.equal(only(r.problems, 'range').message, 'layers[1].kernelSize: needs at least 2 items');
    const flat = validate(
      bostonModel({
        data: 'mnist-sample',
        loss: 'softmaxCrossEntropy',
        layers: [
          { type: 'conv2d', filters: 2, kernelSize: 3, flatten: true },
          { type: 'dense', units: 10 },
        ],
      }),
    );
    assert.match(
      only(flat.problems, 'shape').message,
      /^layers\[0\] \(conv2d\) cannot take input \[784\]: Conv2d: input must be an image per example \[channels, height, width\]/,
    );
  });
  it('last layer width must match the targets, reported at its units', () => {
    const text = bostonModel({ layers: [{ type: 'dense', units: 3 }] });
    const p = only(validate(text).problems, 'targets');
    assert.deepEqual(p.range.start, at(text, '"units": 3', '"units": '.length));
    assert.match(p.message, /outputs 3 values per example but the data has 1 target: expected 1 units/);
  });
  it('softmaxCrossEntropy on a regression dataset is an error at the loss', () => {
    const text = bostonModel({ loss: 'softmaxCrossEntropy' });
    const p = only(validate(text).problems, 'loss');
    assert.deepEqual(p.range.start, at(text, '"softmaxCrossEntropy"'));
  });
  it('warnings do not make the file invalid (evalEvery > epochs)', () => {
    const text = bostonModel({ training: { epochs: 5, evalEvery: 10 } });
    const r = validate(text);
    const p = only(r.problems, 'semantic');
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range.start, at(text, '10'));
    assert.equal(hasErrors(r.problems), false);
  });
});

describe('validateModel: data files', () => {
  const dir = tempDir();
  writeFile(dir, 'houses.csv', 'rooms,age,price\n3,10,100\n4,20,150\n5,5,210\n2,40,80\n6,1,300\n');
  const model = (data: object) => bostonModel({ data, training: { epochs: 2, batchSize: 2, evalEvery: 1 } });
  it('a CSV file is probed for its columns: inputs [2], output 1', () => {
    const r = validateModel(model({ type: 'csv', path: 'houses.csv', target: 'price' }), join(dir, 'm.nn.json'), {
      files: nodeFileAccess,
    });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.summary?.data.inputShape, [2]);
  });
  it('unknown target column: did you mean, at the target string', () => {
    const text = model({ type: 'csv', path: 'houses.csv', target: 'prise' });
    const p = only(validateModel(text, join(dir, 'm.nn.json'), { files: nodeFileAccess }).problems, 'unknownColumn');
    assert.deepEqual(p.range.start, at(text, '"prise"'));
    assert.match(p.message, /no column 'prise' in houses\.csv\. Did you mean 'price'\? Columns: rooms, age, price/);
  });
  it('a missing data file is reported at its path, naming the resolved file', () => {
    const text = model({ type: 'csv', path: 'nope.csv', target: 'price' });
    const p = only(validateModel(text, join(dir, 'm.nn.json'), { files: nodeFileAccess }).problems, 'dataMissing');
    assert.deepEqual(p.range.start, at(text, '"nope.csv"'));
    assert.ok(p.message.startsWith(join(dir, 'nope.csv') + ': file not found'), p.message);
  });
  it('a file over the size limit is refused with a message, not read', () => {
    const text = model({ type: 'csv', path: 'houses.csv', target: 'price' });
    process.env.GLASSBOX_MAX_DATA_BYTES = '40';
    try {
      const p = only(validateModel(text, join(dir, 'm.nn.json'), { files: nodeFileAccess }).problems, 'dataTooLarge');
      assert.match(p.message, /houses\.csv: file is 0\.0 MiB, more than the 0\.0 MiB this machine can load safely/);
    } finally {
      delete process.env.GLASSBOX_MAX_DATA_BYTES;
    }
  });
  it('deep validation finds a bad cell and names file, line and column', () => {
    writeFile(dir, 'bad.csv', 'a,b\n1,2\n3,x\n4,5\n5,6\n');
    const text = model({ type: 'csv', path: 'bad.csv', target: 'b' });
    const p = only(
      validateModel(text, join(dir, 'm.nn.json'), { files: nodeFileAccess, deepData: true }).problems,
      'dataFormat',
    );
    assert.equal(p.message, `${join(dir, 'bad.csv')}:3:3: expected a number in column 'b', got 'x'`);
  });
  it('an unreadable data file is reported with the reason', () => {
    const text = model({ type: 'csv', path: 'locked.csv', target: 'price' });
    const files = {
      size: () => 10,
      read: () => {
        throw new Error('EACCES: permission denied');
      },
    };
    const p = only(validateModel(text, join(dir, 'm.nn.json'), { files }).problems, 'dataUnreadable');
    assert.deepEqual(p.range.start, at(text, '"locked.csv"'));
    assert.equal(p.message, `${join(dir, 'locked.csv')}: cannot read the file (EACCES: permission denied)`);
  });
  it('without file access, data is not checked and shapes are unknown', () => {
    const r = validateModel(model({ type: 'csv', path: 'nope.csv', target: 'price' }), join(dir, 'm.nn.json'));
    assert.deepEqual(r.problems, []);
    assert.equal(r.summary, undefined);
  });
});

describe('examples/', () => {
  for (const f of readdirSync(join(REPO, 'examples')).filter((n) => n.endsWith('.nn.json'))) {
    const file = join(REPO, 'examples', f);
    const system = readFileSync(file, 'utf8').match(/"(\/usr\/share\/datasets\/[^/"]+)\//)?.[1];
    const skip = system && !existsSync(system) ? `${system} is absent (apt-get install dataset-fashion-mnist)` : false;
    it(`${f} validates without errors`, { skip }, () => {
      const r = validateModel(readFileSync(file, 'utf8'), file, { files: nodeFileAccess });
      assert.deepEqual(
        r.problems.filter((p) => p.severity !== 'info'),
        [],
      );
      assert.ok(r.spec && r.summary);
    });
  }
});
