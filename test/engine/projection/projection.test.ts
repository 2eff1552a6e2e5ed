import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pca } from '../../../src/engine/projection/pca';
import { symmetricEigen } from '../../../src/engine/projection/symmetricEigen';
import { tsne } from '../../../src/engine/projection/tsne';
import { RandomState } from '../../../src/engine/random/randomState';

const close = (a: number, b: number, tol = 1e-10) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('symmetricEigen (Jacobi)', () => {
  it('[[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 5, 3, 1 with their unit vectors, largest component positive', () => {
    const { values, vectors } = symmetricEigen([2, 1, 0, 1, 2, 0, 0, 0, 5], 3);
    [5, 3, 1].forEach((v, i) => close(values[i], v));
    const s = Math.SQRT1_2;
    [
      [0, 0, 1],
      [s, s, 0],
      [s, -s, 0],
    ].forEach((e, i) => e.forEach((x, k) => close(vectors[i][k], x)));
  });
  it('reconstructs a random symmetric matrix: A = Σ λ v vᵀ', () => {
    const d = 6,
      rng = new RandomState(4);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = rng.gauss();
    const { values, vectors } = symmetricEigen(a, d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        close(
          values.reduce((s, l, k) => s + l * vectors[k][i] * vectors[k][j], 0),
          a[i * d + j],
          1e-9,
        );
  });
});

describe('pca', () => {
  it('a known case: four points on rotated axes with variances 2 and 0.5', () => {
    // (±2, 0) and (0, ±1), rotated by 30°: population covariance has eigenvalues 2 and 0.5 along
    // the rotated axes, so 80% / 20% of the variance and coordinates ±2, ±1 along them.
    const c = Math.cos(Math.PI / 6),
      s = Math.sin(Math.PI / 6);
    const rot = ([x, y]: number[]) => [c * x - s * y, s * x + c * y];
    const pts = [
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ]
      .map(rot)
      .map(([x, y]) => [x + 10, y - 3]);
    const r = pca(pts.flat(), 4, 2, 2);
    close(r.explainedVariance[0], 0.8);
    close(r.explainedVariance[1], 0.2);
    // Axis 1 is the rotated x axis (c, s): its largest component, c, is positive.
    close(r.axes[0][0], c);
    close(r.axes[0][1], s);
    const expected = [
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ];
    // Axis 2 is ±(−s, c): its largest component c is made positive, so y keeps its sign.
    expected.forEach(([x, y], i) => {
      close(r.points[2 * i], x);
      close(r.points[2 * i + 1], y);
    });
  });
  it('finds a dominant direction in 28-D codes (noise elsewhere)', () => {
    const rng = new RandomState(2),
      rows = 500,
      d = 28;
    const data = new Float64Array(rows * d);
    for (let r = 0; r < rows; r++) {
      const t = 5 * rng.gauss();
      for (let j = 0; j < d; j++) data[r * d + j] = 0.1 * rng.gauss() + (j === 3 ? t : j === 7 ? -t : 0);
    }
    const r = pca(data, rows, d);
    assert.ok(r.explainedVariance[0] > 0.95, `first component ${r.explainedVariance[0]}`);
    close(Math.abs(r.axes[0][3]), Math.SQRT1_2, 0.01);
    close(r.axes[0][3], -r.axes[0][7], 0.01);
  });
});

/** Three well-separated Gaussian clusters in 10-D, 30 points each, labels 0..2. */
function clusters(seed: number): { data: Float64Array; labels: number[] } {
  const rng = new RandomState(seed),
    d = 10,
    per = 30;
  const data = new Float64Array(3 * per * d);
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < per; i++) {
      const row = c * per + i;
      labels.push(c);
      for (let j = 0; j < d; j++) data[row * d + j] = rng.gauss() + (j === c ? 8 : 0);
    }
  }
  return { data, labels };
}

describe('tsne (exact)', () => {
  const { data, labels } = clusters(1);
  const run = (seed: number) => tsne(data, 90, 10, { seed, iterations: 400 });
  it('is reproducible for a seed and differs for another', () => {
    const a = run(5),
      b = run(5),
      c = run(6);
    assert.deepEqual(Array.from(a.points), Array.from(b.points));
    assert.notDeepEqual(Array.from(a.points), Array.from(c.points));
    assert.ok(Array.from(a.points).every(Number.isFinite));
  });
  it('keeps same-cluster points nearer: every nearest neighbour in the map shares its label', () => {
    const { points, klDivergence } = run(5);
    let agree = 0;
    let within = 0,
      nWithin = 0,
      between = 0,
      nBetween = 0;
    for (let i = 0; i < 90; i++) {
      let best = -1,
        bestD = Infinity;
      for (let j = 0; j < 90; j++) {
        if (j === i) continue;
        const dist = Math.hypot(points[2 * i] - points[2 * j], points[2 * i + 1] - points[2 * j + 1]);
        if (labels[i] === labels[j]) {
          within += dist;
          nWithin++;
        } else {
          between += dist;
          nBetween++;
        }
        if (dist < bestD) {
          bestD = dist;
          best = j;
        }
      }
      if (labels[best] === labels[i]) agree++;
    }
    assert.equal(agree, 90);
    assert.ok(
      within / nWithin < 0.3 * (between / nBetween),
      `mean within ${within / nWithin}, between ${between / nBetween}`,
    );
    assert.ok(klDivergence >= 0 && klDivergence < 2, `KL ${klDivergence}`);
  });
});
