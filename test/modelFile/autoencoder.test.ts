import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { fitOptionsOf } from '../../src/modelFile/build';
import type { Problem } from '../../src/modelFile/problem';
import { validateModel } from '../../src/modelFile/validate';
import { REPO } from '../helpers/tempDir';

/** A small convolutional autoencoder on the MNIST sample, with fields overridable per test. */
const layers = (flattenLast = true) => [
  { type: 'conv2d', filters: 2, kernelSize: 3, activation: 'tanh', flatten: true },
  { type: 'dense', name: 'encoding', units: 8, activation: 'tanh' },
  { type: 'dense', units: 1568, activation: 'tanh' },
  { type: 'reshape', shape: [2, 28, 28] },
  { type: 'conv2d', filters: 1, kernelSize: 3, activation: 'tanh', flatten: flattenLast },
];

function autoencoder(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      data: { type: 'mnist-sample', layout: 'image', scaling: 'minusOneToOne', target: 'input' },
      layers: layers(),
      loss: 'meanSquaredError',
      optimizer: { type: 'adam', lr: 0.001 },
      training: { epochs: 1, evalEvery: 1 },
      latent: 'encoding',
      ...overrides,
    },
    null,
    2,
  );
}

const validate = (text: string) => validateModel(text, join(REPO, 'examples', 'x.nn.json'), { files: nodeFileAccess });
const errors = (ps: Problem[]) => ps.filter((p) => p.severity === 'error');

/** 0-based position of `needle` in text. */
function at(text: string, needle: string): { line: number; character: number } {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `'${needle}' not in text`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

describe('model files: autoencoders (data target input, reshape, latent)', () => {
  it('a good file: targets are the 784 pixels, the decoder reshapes [1568] to [2, 28, 28], latent defaults to PCA of 2,000 rows', () => {
    const r = validate(autoencoder());
    assert.deepEqual(r.problems, []);
    assert.equal(r.summary?.data.task, 'reconstruction');
    assert.equal(r.summary?.data.outputs, 784);
    assert.deepEqual(
      r.summary?.layers.map((l) => l.outputShape),
      [[1568], [8], [1568], [2, 28, 28], [784]],
    );
    assert.deepEqual(r.spec?.latent, { layer: 'encoding', method: 'pca', rows: 2000, seed: 1 });
    assert.deepEqual(
      r.spec && fitOptionsOf(r.spec).metrics,
      ['mse', 'mae'],
      'reconstruction metrics by default, never accuracy',
    );
  });
  it('a reshape whose element count does not match is a shape problem on its shape', () => {
    const text = autoencoder().replace('[\n        2,\n        28,\n        28\n      ]', '[2, 28, 27]');
    const ps = errors(validate(text).problems);
    assert.equal(ps.length, 1, ps.map((p) => p.message).join('\n'));
    assert.equal(ps[0].code, 'shape');
    assert.deepEqual(ps[0].range.start, at(text, '[2, 28, 27]'));
    assert.match(
      ps[0].message,
      /layers\[3\] \(reshape\) cannot take input \[1568\]: Reshape: \[1568\] has 1568 values per example but \[2, 28, 27\] holds 1512/,
    );
  });
  it('accuracy on an autoencoder is an error at that metric', () => {
    const text = autoencoder({ training: { epochs: 1, evalEvery: 1, metrics: ['mse', 'accuracy'] } });
    const ps = errors(validate(text).problems);
    assert.equal(ps.length, 1);
    assert.deepEqual(ps[0].range.start, at(text, '"accuracy"'));
    assert.match(ps[0].message, /accuracy needs class targets; an autoencoder .* use 'mse' or 'mae'/);
  });
  it('softmaxCrossEntropy on an autoencoder is an error at the loss', () => {
    const ps = errors(validate(autoencoder({ loss: 'softmaxCrossEntropy' })).problems);
    assert.equal(ps.length, 1);
    assert.match(ps[0].message, /reconstructs pixel values, not classes: use meanSquaredError/);
  });
  it('an unflattened [1, 28, 28] output is told to flatten to the 784 targets', () => {
    const ps = errors(validate(autoencoder({ layers: layers(false) })).problems);
    assert.equal(ps.length, 1);
    assert.match(ps[0].message, /outputs \[1, 28, 28\] per example; the loss needs a vector of 784 \(add flatten/);
  });
  it('latent: an unknown layer name at latent.layer; more than 10,000 rows at latent.rows (t-SNE of 5,000 is fine)', () => {
    assert.deepEqual(
      errors(validate(autoencoder({ latent: { layer: 'encoding', method: 'tsne', rows: 5000 } })).problems),
      [],
    );
    const text = autoencoder({ latent: { layer: 'encodng', method: 'tsne', rows: 5000 } });
    const ps = errors(validate(text).problems);
    assert.deepEqual(
      ps.map((p) => p.range.start),
      [at(text, '"encodng"')],
    );
    assert.match(
      ps[0].message,
      /no layer named 'encodng'; the layers are conv2d1, encoding, dense3, reshape4, conv2d5/,
    );
    const many = autoencoder({ latent: { layer: 'encoding', method: 'tsne', rows: 20000 } });
    const tooMany = errors(validate(many).problems);
    assert.deepEqual(
      tooMany.map((p) => p.range.start),
      [at(many, '20000')],
    );
    assert.match(tooMany[0].message, /10000/);
  });
  it('latent: PCA of a wide layer is refused', () => {
    const ps = errors(validate(autoencoder({ latent: 'conv2d1' })).problems);
    assert.equal(ps.length, 1);
    assert.match(ps[0].message, /'conv2d1' outputs 1568 values per example; PCA here is for narrow layers/);
  });
});
