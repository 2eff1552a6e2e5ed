import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { machineBudget } from '../../src/modelFile/budget';
import { validateModel } from '../../src/modelFile/validate';
import { glassbox } from '../cli/cliProcess';
import { REPO, tempDir, writeFile } from '../helpers/tempDir';

const budget = machineBudget(24 * 2 ** 30, {});
const image = (layer: object) =>
  JSON.stringify({
    name: 'absurd',
    data: { type: 'mnist-sample', layout: 'image' },
    layers: [layer, { type: 'flatten' }, { type: 'dense', units: 10 }],
    loss: 'softmaxCrossEntropy',
    optimizer: { type: 'adam', lr: 0.01 },
    training: { epochs: 1, evalEvery: 1 },
  });
const flat = (units: number, batchSize = 32) =>
  JSON.stringify({
    name: 'absurd',
    data: 'mnist-sample',
    layers: [
      { type: 'dense', units },
      { type: 'dense', units: 10 },
    ],
    loss: 'softmaxCrossEntropy',
    optimizer: { type: 'adam', lr: 0.01 },
    training: { epochs: 1, evalEvery: 1, batchSize },
  });
const errors = (text: string) =>
  validateModel(text, join(REPO, 'examples', 'x.nn.json'), { files: nodeFileAccess, budget }).problems.filter(
    (p) => p.severity === 'error',
  );

describe('the resource budget (checked before anything is allocated)', () => {
  for (const [what, text, part] of [
    ['units 1e9', flat(1e9), 'parameters'],
    ['units 1e8', flat(1e8), 'parameters'],
    ['conv filters 1e6', image({ type: 'conv2d', filters: 1e6, kernelSize: 3 }), 'output'],
    ['padding 5000', image({ type: 'conv2d', filters: 8, kernelSize: 3, padding: 5000 }), 'output'],
  ] as const) {
    it(`${what} is refused with one error on the layer that costs most`, () => {
      const e = errors(text);
      assert.equal(e.length, 1, e.map((p) => p.message).join('\n'));
      assert.match(e[0].message, /this model needs about [\d.]+ GiB to train .* more than the 12 GiB/);
      assert.ok(e[0].message.includes(part));
      assert.equal(e[0].range.start.line, 0);
    });
  }

  it('batchSize 1e8 is judged by the rows there are: it fits', () => {
    assert.deepEqual(errors(flat(64, 1e8)), []);
  });

  it('a text model with batchSize 1e8 is refused (its batches hold batchSize windows)', () => {
    const text = readFileSync(join(REPO, 'examples', 'char-lstm.nn.json'), 'utf8').replace(
      /"batchSize":\s*\d+/,
      '"batchSize": 100000000',
    );
    assert.match(errors(text)[0]?.message ?? '', /needs about .* GiB to train/);
  });

  it('glassbox train with batchSize 1e8 trains on the rows there are (it allocated 1e8 rows)', () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      'big-batch.nn.json',
      JSON.stringify({
        data: 'boston',
        layers: [
          { type: 'dense', units: 4, activation: 'tanh' },
          { type: 'dense', units: 1 },
        ],
        loss: 'meanSquaredError',
        optimizer: { type: 'sgd', lr: 0.001 },
        training: { epochs: 2, evalEvery: 1, batchSize: 1e8 },
      }),
    );
    const r = glassbox(['train', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const done = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { evalLosses: number[] };
    assert.equal(done.evalLosses.length, 2);
  });

  it('sampleLength 1e9 is out of range', () => {
    const text = readFileSync(join(REPO, 'examples', 'char-lstm.nn.json'), 'utf8').replace(
      /"training":\s*\{/,
      '"training": { "sampleLength": 1000000000,',
    );
    const e = errors(text);
    assert.ok(
      e.some((p) => /sampleLength: must be <= 100000/.test(p.message)),
      e.map((p) => p.message).join('\n'),
    );
  });

  it('every example fits in a quarter of this budget (no false refusals)', () => {
    const small = machineBudget(0, { GLASSBOX_MEMORY_BUDGET_MB: '3072' });
    for (const f of readdirSync(join(REPO, 'examples')).filter((n) => n.endsWith('.nn.json'))) {
      const file = join(REPO, 'examples', f);
      const r = validateModel(readFileSync(file, 'utf8'), file, { files: nodeFileAccess, budget: small });
      const over = r.problems.filter((p) => /needs about|would take/.test(p.message));
      assert.deepEqual(over, [], f);
    }
  });

  it('glassbox train refuses at once and leaves no run record behind', () => {
    const dir = tempDir();
    const file = writeFile(dir, 'huge.nn.json', flat(1e9));
    const started = Date.now();
    const r = glassbox(['train', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /needs about .* GiB to train/);
    assert.ok(Date.now() - started < 20_000);
    assert.equal(existsSync(join(dir, '.glassbox')), false);
  });
});
