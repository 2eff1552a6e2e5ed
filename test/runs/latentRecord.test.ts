import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dense } from '../../src/engine/layers/dense';
import { FlattenLayer } from '../../src/engine/layers/flattenLayer';
import { MeanSquaredError } from '../../src/engine/losses/meanSquaredError';
import { NeuralNetwork } from '../../src/engine/network/neuralNetwork';
import { RandomState } from '../../src/engine/random/randomState';
import { Tensor } from '../../src/engine/tensor/tensor';
import { imageShape, latentImages } from '../../src/runs/latentImages';
import { LIVE_ROWS, projectLatent } from '../../src/runs/latentRecord';
import { LiveLatent } from '../../src/session/liveLatent';

/** rows 8×8 "images" [rows, 1, 8, 8]: class c lights row c of the image (plus a little noise). */
function images(rows: number, seed = 1) {
  const rng = new RandomState(seed);
  const x = new Float64Array(rows * 64);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    labels[r] = r % 4;
    for (let p = 0; p < 64; p++) x[r * 64 + p] = (p >> 3 === 2 * labels[r] ? 1 : 0) + 0.05 * rng.gauss();
  }
  return { x: new Tensor([rows, 1, 8, 8], x), labels };
}

/** A built network whose second layer, 'encoding', maps the 64 pixels to 6 values. */
function encoder(): NeuralNetwork {
  const net = new NeuralNetwork({
    layers: [
      new FlattenLayer(),
      new Dense({ units: 6, activation: 'tanh', init: 'glorot' }),
      new Dense({ units: 64, activation: 'tanh', init: 'glorot' }),
    ],
    loss: new MeanSquaredError(),
    seed: 2,
    dtype: 'float64',
  });
  net.build([1, 8, 8]);
  net.layers[1].name = 'encoding';
  return net;
}

describe('latentImages', () => {
  it('packs each image into 4-bit levels from its own darkest (0) to brightest (15) pixel', () => {
    const x = new Tensor(
      [2, 1, 8, 8],
      Float64Array.from({ length: 128 }, (_, i) => (i < 64 ? i : -3)),
    );
    const img = latentImages(x, 2);
    assert.ok(img);
    assert.deepEqual([img.height, img.width, img.levels], [8, 8, 16]);
    const bytes = Buffer.from(img.data, 'base64');
    assert.equal(bytes.length, 2 * 32);
    assert.equal(bytes[0] >> 4, 0, 'first pixel: the darkest');
    assert.equal(bytes[31] & 15, 15, 'last pixel: the brightest');
    assert.equal(bytes[16] >> 4, Math.round((32 * 15) / 63), 'a middle pixel in proportion');
    assert.ok(
      bytes.subarray(32).every((b) => b === 0),
      'a uniform image is all level 0',
    );
  });
  it('recognises image inputs only: [n,1,h,w], [n,h,w], MNIST flat [n,784]', () => {
    assert.deepEqual(imageShape([5, 1, 28, 28]), [28, 28]);
    assert.deepEqual(imageShape([5, 12, 10]), [12, 10]);
    assert.deepEqual(imageShape([5, 784]), [28, 28]);
    for (const s of [
      [5, 13],
      [5, 3, 28, 28],
      [5, 70, 28],
      [5, 100, 100],
    ])
      assert.equal(imageShape(s), undefined);
  });
});

describe('projectLatent', () => {
  it('t-SNE above 1,000 rows is Barnes–Hut, with images and labels for every row', () => {
    const { x, labels } = images(1100);
    const r = projectLatent(encoder(), { layer: 'encoding', method: 'tsne', rows: 1100, seed: 4 }, x, labels);
    assert.equal(r.algorithm, 'barnesHut');
    assert.equal(r.theta, 0.5);
    assert.equal(r.points.length, 1100);
    assert.equal(r.labels?.length, 1100);
    assert.equal(Buffer.from(r.images?.data ?? '', 'base64').length, 1100 * 32);
    assert.equal(r.live, undefined);
  });
  it('live: at most LIVE_ROWS rows, exact t-SNE, marked with its step', () => {
    const { x, labels } = images(800);
    const r = projectLatent(encoder(), { layer: 'encoding', method: 'tsne', rows: 800, seed: 4 }, x, labels, {
      step: 12,
      epoch: 1,
    });
    assert.equal(r.rows, LIVE_ROWS);
    assert.equal(r.points.length, LIVE_ROWS);
    assert.equal(r.algorithm, 'exact');
    assert.deepEqual(r.live, { step: 12, epoch: 1 });
    assert.equal(r.iterations, 500);
    // The next live projection continues this map: fewer steps, and the points stay close.
    const next = projectLatent(encoder(), { layer: 'encoding', method: 'tsne', rows: 800, seed: 4 }, x, labels, {
      step: 20,
      epoch: 1,
      previous: r.points,
    });
    assert.equal(next.iterations, 250);
    const extent = Math.max(...r.points.map(([a, b]) => Math.max(Math.abs(a), Math.abs(b))));
    const moved = next.points.reduce(
      (m, [a, b], i) => Math.max(m, Math.hypot(a - r.points[i][0], b - r.points[i][1])),
      0,
    );
    assert.ok(moved < extent, `the largest move ${moved} against the map's extent ${extent}`);
  });
});

describe('LiveLatent', () => {
  it('projects no sooner than 2 s after the start and then at most every 2 s (PCA is cheap)', () => {
    const { x, labels } = images(300);
    const sent: number[] = [];
    const live = new LiveLatent(
      encoder(),
      { layer: 'encoding', method: 'pca', rows: 300, seed: 1 },
      x,
      labels,
      (r) => sent.push(r.live?.step ?? -1),
      (m) => assert.fail(m),
    );
    const t0 = Date.now();
    live.afterBatch(1, 1, t0 + 100);
    assert.deepEqual(sent, []);
    live.afterBatch(2, 1, t0 + 2100);
    assert.deepEqual(sent, [2]);
    live.afterBatch(3, 1, Date.now() + 500);
    assert.deepEqual(sent, [2], 'too soon after the last');
    live.afterBatch(4, 1, Date.now() + 2100);
    assert.deepEqual(sent, [2, 4]);
  });
  it('a projection that fails is reported once and training goes on without them', () => {
    const { x, labels } = images(300);
    const warnings: string[] = [];
    const live = new LiveLatent(
      encoder(),
      { layer: 'no-such-layer', method: 'pca', rows: 300, seed: 1 },
      x,
      labels,
      () => assert.fail('no projection expected'),
      (m) => warnings.push(m),
    );
    live.afterBatch(1, 1, Date.now() + 2100);
    live.afterBatch(2, 1, Date.now() + 60_000);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /no layer named 'no-such-layer'/);
  });
});
