import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO, tempDir } from '../helpers/tempDir';
import { glassbox } from '../cli/cliProcess';
import { exportAndVerify, modelFile, POEMS, runPython, torchMissing } from './pytorchHarness';

const mnistImage = { type: 'mnist-sample', layout: 'image', testFraction: 0.2, splitSeed: 1 };
const mnistFlat = { type: 'mnist-sample', testFraction: 0.2, splitSeed: 1 };
const training = { epochs: 1, batchSize: 64, evalEvery: 1 };
const sce = { loss: 'softmaxCrossEntropy', optimizer: { type: 'adam', lr: 0.001 }, training };

/** Largest differences by case, printed at the end for the report. */
const diffs: Record<string, number> = {};

function check(name: string, source: string, dir: string): void {
  const v = exportAndVerify(source, join(dir, `out-${name}`));
  diffs[name] = v.diff;
  assert.equal(v.code, 0, v.output);
  // verify.py exits 1 over 1e-5 × max(1, largest |output|); the difference must also be a number.
  assert.ok(Number.isFinite(v.diff), `${name}: ${v.output}`);
}

describe('glassbox export --pytorch: verify.py matches Glassbox for every layer kind', { skip: torchMissing }, () => {
  const dir = tempDir();

  it('dense: every activation and init, keepProb, no bias', () => {
    const f = modelFile(dir, 'dense', {
      data: mnistFlat,
      layers: [
        { type: 'dense', units: 24, activation: 'relu', init: 'he', keepProb: 0.8 },
        { type: 'dense', units: 20, activation: 'sigmoid', init: 'glorot' },
        { type: 'dense', units: 18, activation: 'tanh', init: 'glorotBook', useBias: false },
        { type: 'dense', units: 16, activation: 'leakyRelu', alpha: 0.2, init: 'pytorch' },
        { type: 'dense', units: 14, activation: 'linear', init: 'standard' },
        { type: 'dense', units: 10, activation: 'softmax', init: 'glorot' },
      ],
      loss: 'meanSquaredError',
      optimizer: { type: 'sgd', lr: 0.01 },
      training,
    });
    check('dense', f, dir);
  });

  it("conv2d: 'same' with an even kernel and stride 2 (the engine's uneven padding), 'valid', numeric padding, [h, w] kernels, flatten, keepProb, no bias", () => {
    const f = modelFile(dir, 'conv2d', {
      data: mnistImage,
      layers: [
        { type: 'conv2d', filters: 3, kernelSize: 4, stride: 2, padding: 'same', activation: 'relu', init: 'he' },
        { type: 'conv2d', filters: 4, kernelSize: [3, 2], padding: 'valid', activation: 'tanh', init: 'pytorch' },
        { type: 'conv2d', filters: 2, kernelSize: 3, padding: [2, 1], useBias: false, init: 'glorot' },
        {
          type: 'conv2d',
          filters: 2,
          kernelSize: 5,
          stride: [2, 3],
          activation: 'sigmoid',
          flatten: true,
          keepProb: 0.7,
        },
        { type: 'dense', units: 10 },
      ],
      ...sce,
    });
    check('conv2d', f, dir);
  });

  it('maxPool2d and avgPool2d (with padding and strides), flatten, reshape', () => {
    const f = modelFile(dir, 'pool', {
      data: mnistImage,
      layers: [
        { type: 'conv2d', filters: 3, kernelSize: 3, activation: 'linear', init: 'he' },
        { type: 'maxPool2d', kernelSize: 3, stride: 2, padding: 1 },
        { type: 'avgPool2d', kernelSize: [2, 3], padding: [1, 1] },
        { type: 'flatten' },
        { type: 'reshape', shape: [3, 5, 8] },
        { type: 'maxPool2d', kernelSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 10, init: 'glorot' },
      ],
      ...sce,
    });
    check('pool-flatten-reshape', f, dir);
  });

  it('batchNorm after dense and after conv2d, with running statistics from a trained run', () => {
    const f = modelFile(dir, 'bn', {
      data: mnistImage,
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, init: 'he', useBias: false },
        { type: 'batchNorm', activation: 'relu', momentum: 0.2 },
        { type: 'maxPool2d', kernelSize: 4 },
        { type: 'flatten' },
        { type: 'dense', units: 16, init: 'he' },
        { type: 'batchNorm', activation: 'tanh', eps: 0.001 },
        { type: 'dense', units: 10, init: 'glorot' },
      ],
      ...sce,
    });
    const r = glassbox(['train', f, '--json', '--threads', '1']);
    assert.equal(r.code, 0, r.stderr);
    const run = (JSON.parse(r.stdout.trim().split('\n').pop() as string) as { run: string }).run;
    check('batchNorm (trained run)', resolve(REPO, run), dir);
    // The running statistics moved away from 0 and 1, so the check is not trivial.
    const model = readFileSync(join(dir, 'out-batchNorm (trained run)', 'model.py'), 'utf8');
    assert.match(model, /BatchNorm\(4, momentum=0\.2/);
    // And verify.py can fail: the untrained weights of the same model file do not give the run's outputs.
    const untrained = join(dir, 'out-bn-untrained');
    exportAndVerify(f, untrained);
    const bad = runPython(join(dir, 'out-batchNorm (trained run)'), [
      'verify.py',
      '--weights',
      join(untrained, 'weights.npz'),
    ]);
    assert.equal(bad.code, 1, bad.output);
    assert.match(bad.output, /TOO LARGE/);
  });

  for (const kind of ['rnn', 'lstm', 'gru'])
    it(`${kind}: two stacked layers over a text (the engine's cell, zero initial state)`, () => {
      const f = modelFile(dir, kind, {
        data: { type: 'text', path: POEMS, sequenceLength: 12 },
        layers: [
          { type: kind, hiddenSize: 12, outputSize: 9 },
          { type: kind, hiddenSize: 10, weightScale: 0.3 },
        ],
        loss: 'sequenceSoftmaxCrossEntropy',
        optimizer: { type: 'adam', lr: 0.01, clip: 5 },
        training: { iterations: 10, batchSize: 4, evalEvery: 5 },
      });
      check(kind, f, dir);
    });

  it('the example models: mnist-mlp, mnist-cnn, mnist-cnn-batchnorm, mnist-autoencoder, char-lstm and a GRU char model', () => {
    for (const name of ['mnist-mlp', 'mnist-cnn', 'mnist-cnn-batchnorm', 'mnist-autoencoder', 'char-lstm']) {
      const f = join(dir, `${name}.nn.json`);
      copyFileSync(join(REPO, 'examples', `${name}.nn.json`), f);
      if (name === 'char-lstm') {
        const text = readFileSync(f, 'utf8').replace('../datasets/poems.txt', POEMS.replace(/\\/g, '/'));
        writeFileSync(f, text);
        writeFileSync(join(dir, 'char-gru.nn.json'), text.replace('"lstm"', '"gru"'));
      }
      check(`example ${name}`, f, dir);
    }
    check('example char-gru', join(dir, 'char-gru.nn.json'), dir);
    console.log(`largest differences: ${JSON.stringify(diffs)}`);
  });
});
