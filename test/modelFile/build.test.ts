import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadData } from '../../src/data/dataSource';
import { nodeFileAccess } from '../../src/data/fileAccess';
import {
  AdaGrad,
  BOOK,
  MeanSquaredError,
  MODERN,
  SGDMomentum,
  SoftmaxCrossEntropy,
  Tensor,
  Trainer,
} from '../../src/engine';
import { buildModel, createLoss, createOptimizer } from '../../src/modelFile/build';
import { validateModel } from '../../src/modelFile/validate';
import { REPO } from '../helpers/tempDir';

describe('buildModel', () => {
  it("examples/E3.3.nn.json reproduces the book's printed E3.3 numbers exactly (float64, book profile)", () => {
    const file = join(REPO, 'examples', 'E3.3.nn.json');
    const { spec } = validateModel(readFileSync(file, 'utf8'), file, { files: nodeFileAccess });
    assert.ok(spec);
    const { network, optimizer, fitOptions } = buildModel(spec);
    const { dataset } = loadData(spec.data, file, spec.precision);
    const r = new Trainer(network, optimizer).fit(dataset, fitOptions);
    assert.deepEqual(
      r.evalLosses.map((v) => v.toFixed(3)),
      ['44.143', '25.278', '22.339', '16.500', '14.655'],
    );
    assert.equal(r.metrics.mae.toFixed(4), '2.4478');
    assert.equal(r.metrics.rmse.toFixed(4), '3.8282');
  });
  it('the book profile picks the book forms of losses and optimizers, the modern profile the modern ones', () => {
    assert.equal(
      (createLoss({ type: 'meanSquaredError', normalize: true }, BOOK) as MeanSquaredError).reduction,
      'book',
    );
    assert.equal(
      (createLoss({ type: 'meanSquaredError', normalize: false }, MODERN) as MeanSquaredError).reduction,
      'mean',
    );
    assert.equal((createLoss({ type: 'softmaxCrossEntropy' }, BOOK) as SoftmaxCrossEntropy).form, 'book');
    assert.equal((createLoss({ type: 'softmaxCrossEntropy' }, MODERN) as SoftmaxCrossEntropy).form, 'categorical');
    assert.equal((createOptimizer({ type: 'sgdMomentum', lr: 0.1, momentum: 0.9 }, BOOK) as SGDMomentum).form, 'book');
    assert.equal(
      (createOptimizer({ type: 'sgdMomentum', lr: 0.1, momentum: 0.9 }, MODERN) as SGDMomentum).form,
      'modern',
    );
    assert.equal((createOptimizer({ type: 'adaGrad', lr: 0.1, eps: 1e-7 }, BOOK) as AdaGrad).form, 'book');
  });
  it("E4b.7's quirks override reaches the network: the book profile with √-Glorot weights, the rest book", () => {
    const file = join(REPO, 'examples', 'E4b.7.nn.json');
    const { spec, problems } = validateModel(readFileSync(file, 'utf8'), file);
    assert.deepEqual(problems, []);
    assert.ok(spec);
    assert.deepEqual(spec.quirks, { bookGlorot: false });
    const { network } = buildModel(spec);
    assert.equal(network.profile.name, 'book');
    assert.equal(network.profile.bookGlorot, false);
    assert.equal(network.profile.lazyReseedInit, true);
    assert.equal(network.profile.bookMomentum, true);
    // std √(2/(784+89)) = 0.04786 instead of the book-era 2/(784+89) = 0.00229: the first weights show it.
    network.predict(Tensor.zeros([1, 784], 'float64'));
    const w = network.params()[0].value;
    assert.deepEqual(w.shape, [784, 89]);
    let s2 = 0;
    for (const v of w.data) s2 += v * v;
    const std = Math.sqrt(s2 / w.size);
    assert.ok(Math.abs(std - Math.sqrt(2 / 873)) < 0.002, `std ${std}`);
  });
  it('decay, keepProb, seeds and precision reach the engine objects', () => {
    const file = join(REPO, 'examples', 'E4.13.nn.json');
    const { spec } = validateModel(readFileSync(file, 'utf8'), file);
    assert.ok(spec);
    const { network, optimizer, fitOptions } = buildModel(spec);
    assert.equal(network.dtype, 'float64');
    assert.equal(network.seed, 20190119);
    assert.equal(network.profile, BOOK);
    assert.deepEqual(
      network.layers.map((l) => l.name),
      ['dense1', 'dense2', 'dense3'],
    );
    assert.deepEqual(
      network.layers.map((l) => (l as unknown as { args: { keepProb: number } }).args.keepProb),
      [0.8, 0.8, 1],
    );
    assert.equal(optimizer.decay, 'exponential');
    assert.equal(optimizer.finalLr, 0.05);
    assert.deepEqual(fitOptions, { epochs: 100, batchSize: 60, evalEvery: 10, seed: 20190119, earlyStopping: true });
  });
});
