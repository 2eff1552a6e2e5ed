import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir, writeFile } from '../helpers/tempDir';
import { bostonModel } from '../helpers/modelText';
import { glassbox } from './cliProcess';

describe('glassbox validate', () => {
  const dir = tempDir();
  it('prints path:line:column: message for every problem and exits 1', () => {
    const f = writeFile(
      dir,
      'bad.nn.json',
      '{\n  "data": "bostn",\n  "layers": [{ "type": "dense", "units": 0 }],\n  "loss": "meanSquaredError",\n  "optimizer": { "type": "sgd" },\n  "training": { "epochs": 1, "evalEvery": 1 }\n}\n',
    );
    const r = glassbox(['validate', f]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stderr.trim().split('\n'), [
      `${f}:2:11: data: unknown built-in dataset 'bostn'. Did you mean 'boston'? Expected one of: boston, mnist-sample, mnist.`,
      `${f}:3:42: layers[0].units: must be >= 1, got 0`,
      `${f}:5:16: optimizer: missing required property 'lr': Learning rate (at epoch 1 when decaying).`,
      `glassbox: ${f}: 3 errors`,
    ]);
    assert.equal(r.stdout, '');
  });
  it('a syntax error is reported with its position', () => {
    const f = writeFile(dir, 'syntax.nn.json', '{ "data": "boston" "layers": [] }');
    const r = glassbox(['validate', f]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.split('\n').includes(`${f}:1:20: syntax error: expected ',' between values`), r.stderr);
  });
  it('on a good file prints the layer/shape summary and exits 0', () => {
    const r = glassbox(['validate', join('examples', 'E3.3.nn.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^model E3\.3 \(book profile, float64\)/);
    assert.match(r.stdout, /1 {2}dense1 {2}dense {2}sigmoid {2}\[13\] +182/);
    assert.match(r.stdout, /total parameters: 378/);
  });
  it('summary prints the table; a missing file and bad usage exit non-zero', () => {
    assert.match(
      glassbox(['summary', join('examples', 'mnist-mlp.nn.json')]).stdout,
      /input +\[784\][\s\S]*dense2 +dense +linear, init glorot +\[10\] +650/,
    );
    const missing = glassbox(['validate', join(dir, 'none.nn.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /none\.nn\.json: no such file/);
    assert.equal(glassbox(['frobnicate']).code, 2);
    assert.equal(glassbox(['train', 'x', '--epochs', '0']).code, 2);
    assert.equal(glassbox(['train', 'x', '--threads', '0']).code, 2);
  });
  it("a data problem is reported at the data path with the data file's own position", () => {
    writeFile(dir, 'd.csv', 'a,b\n1,2\n3,4\n5,6,7\n');
    const f = writeFile(
      dir,
      'csv.nn.json',
      bostonModel({
        data: { type: 'csv', path: 'd.csv', target: 'b' },
        training: { epochs: 1, batchSize: 1, evalEvery: 1 },
      }),
    );
    const r = glassbox(['validate', f]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `csv\\.nn\\.json:\\d+:\\d+: ${join(dir, 'd.csv').replace(/[.]/g, '\\.')}:4:5: row has 3 fields, expected 2 as in the header`,
      ),
    );
  });
});

describe('glassbox train --threads', () => {
  it('a float32 run gives the same metrics on one thread and on two kernel threads', () => {
    const dir = tempDir();
    const f = writeFile(
      dir,
      'f32.nn.json',
      bostonModel({
        precision: 'float32',
        layers: [
          { type: 'dense', units: 64, activation: 'tanh' },
          { type: 'dense', units: 1 },
        ],
        training: { epochs: 3, batchSize: 128, evalEvery: 1 },
      }),
    );
    const done = (threads: string) => {
      const r = glassbox(['train', f, '--json', '--threads', threads]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      return lines[lines.length - 1];
    };
    const one = done('1'),
      two = done('2');
    assert.equal(one.event, 'done');
    assert.deepEqual(
      two.evalLosses.map((v: number) => v.toPrecision(5)),
      one.evalLosses.map((v: number) => v.toPrecision(5)),
    );
  });
});

describe('glassbox train --json', () => {
  it('reproduces E3.3 exactly; the last line is the done event with the run folder', () => {
    const r = glassbox(['train', join('examples', 'E3.3.nn.json'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines[0].event, 'start');
    const done = lines[lines.length - 1];
    assert.equal(done.event, 'done');
    assert.deepEqual(
      done.evalLosses.map((v: number) => v.toFixed(3)),
      ['44.143', '25.278', '22.339', '16.500', '14.655'],
    );
    assert.equal(done.metrics.mae.toFixed(4), '2.4478');
    assert.equal(done.metrics.rmse.toFixed(4), '3.8282');
    assert.match(done.run, /examples\/\.glassbox\/runs\/\d{8}-\d{6}-E3\.3(-\d+)?$/);
    assert.equal(lines.filter((l) => l.event === 'evaluation').length, 5);
  });
});
