import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { barnesHutGradient, barnesHutTsne } from '../../../src/engine/projection/barnesHutTsne';
import { tsne } from '../../../src/engine/projection/tsne';
import { nearestNeighbours } from '../../../src/engine/projection/nearestNeighbours';
import { sparseAffinities } from '../../../src/engine/projection/sparseAffinities';
import { RandomState } from '../../../src/engine/random/randomState';

/** rows points in d dimensions around `clusters` centres 10 apart (unit noise); labels by centre. */
function clustered(rows: number, d: number, clusters: number, seed: number) {
  const rng = new RandomState(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: d }, () => 10 * rng.gauss()));
  const data = new Float64Array(rows * d);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    labels[r] = r % clusters;
    for (let j = 0; j < d; j++) data[r * d + j] = centres[labels[r]][j] + rng.gauss();
  }
  return { data, labels };
}

/** Share of each point's k nearest map neighbours with its own label. */
function knnAgreement(points: Float64Array, labels: Int32Array, k: number): number {
  const n = labels.length;
  const nn = nearestNeighbours(points, n, 2, k);
  let same = 0;
  for (let i = 0; i < n; i++) for (let m = 0; m < k; m++) if (labels[nn.indices[i * k + m]] === labels[i]) same++;
  return same / (n * k);
}

describe('nearestNeighbours', () => {
  it('matches a brute-force sort on random data, nearest first, never the row itself', () => {
    const rng = new RandomState(3),
      rows = 60,
      d = 5,
      k = 7;
    const data = Float64Array.from({ length: rows * d }, () => rng.gauss());
    const nn = nearestNeighbours(data, rows, d, k);
    for (let i = 0; i < rows; i++) {
      const dist = (j: number) => data.slice(j * d, j * d + d).reduce((s, v, c) => s + (v - data[i * d + c]) ** 2, 0);
      const want = [...Array(rows).keys()]
        .filter((j) => j !== i)
        .sort((a, b) => dist(a) - dist(b) || a - b)
        .slice(0, k);
      assert.deepEqual([...nn.indices.subarray(i * k, i * k + k)], want, `row ${i}`);
      want.forEach((j, m) => assert.ok(Math.abs(nn.distances[i * k + m] - dist(j)) < 1e-12));
    }
  });
});

describe('sparseAffinities', () => {
  it('is symmetric with an empty diagonal and sums to 1', () => {
    const { data } = clustered(90, 6, 3, 5);
    const perplexity = 5;
    const nn = nearestNeighbours(data, 90, 6, 15);
    const p = sparseAffinities(nn, 90, perplexity);
    const at = (i: number, j: number) => {
      for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) if (p.cols[e] === j) return p.vals[e];
      return 0;
    };
    let sum = 0;
    for (let i = 0; i < 90; i++)
      for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) {
        sum += p.vals[e];
        assert.ok(Math.abs(p.vals[e] - at(p.cols[e], i)) < 1e-15, 'pᵢⱼ = pⱼᵢ');
        assert.notEqual(p.cols[e], i);
      }
    assert.ok(Math.abs(sum - 1) < 1e-9, `Σ p = ${sum}`);
  });
});

describe('barnesHutGradient', () => {
  const rows = 120;
  const { data } = clustered(rows, 8, 4, 11);
  const p = sparseAffinities(nearestNeighbours(data, rows, 8, 30), rows, 10);
  const rng = new RandomState(2);
  const y0 = Float64Array.from({ length: rows * 2 }, () => 3 * rng.gauss());
  const y = y0;

  /** The gradient by the definition, every pair: 4·Σⱼ (α·pᵢⱼ − qᵢⱼ/Z)·qᵢⱼ·(yᵢ − yⱼ). */
  function exactGradient(exaggeration: number, y = y0): Float64Array {
    const dense = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++)
      for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) dense[i * rows + p.cols[e]] = p.vals[e];
    let z = 0;
    const q = (i: number, j: number) => 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
    for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) if (i !== j) z += q(i, j);
    const g = new Float64Array(rows * 2);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < rows; j++) {
        if (i === j) continue;
        const m = 4 * (exaggeration * dense[i * rows + j] - q(i, j) / z) * q(i, j);
        g[2 * i] += m * (y[2 * i] - y[2 * j]);
        g[2 * i + 1] += m * (y[2 * i + 1] - y[2 * j + 1]);
      }
    return g;
  }

  it('theta = 0 gives the exact gradient (every pair), with and without exaggeration', () => {
    for (const exaggeration of [1, 12]) {
      const want = exactGradient(exaggeration);
      const got = new Float64Array(rows * 2);
      barnesHutGradient(y, p, 0, exaggeration, got);
      const scale = Math.max(...want.map(Math.abs));
      want.forEach((w, c) => assert.ok(Math.abs(got[c] - w) <= 1e-10 * scale, `${c}: ${got[c]} vs ${w}`));
    }
  });

  it('theta = 0.5 stays within a few per cent of it (relative norm of the difference)', () => {
    const want = exactGradient(1);
    const got = new Float64Array(rows * 2);
    barnesHutGradient(y, p, 0.5, 1, got);
    let diff = 0,
      norm = 0;
    want.forEach((w, c) => {
      diff += (got[c] - w) ** 2;
      norm += w * w;
    });
    const rel = Math.sqrt(diff / norm);
    assert.ok(rel > 0 && rel < 0.05, `relative error ${rel}`);
  });

  it('coincident map points share a leaf, and theta = 0 is still exact (three points at one place)', () => {
    const y2 = Float64Array.from(y);
    for (const i of [1, 7]) {
      y2[2 * i] = y2[0];
      y2[2 * i + 1] = y2[1];
    }
    const want = exactGradient(1, y2);
    const got = new Float64Array(rows * 2);
    barnesHutGradient(y2, p, 0, 1, got);
    const scale = Math.max(...want.map(Math.abs));
    want.forEach((w, c) => assert.ok(Math.abs(got[c] - w) <= 1e-10 * scale, `${c}: ${got[c]} vs ${w}`));
  });
});

describe('barnesHutTsne', () => {
  it('separates well-separated clusters: 10-NN label agreement in the map above 0.95, seeded and deterministic', () => {
    const rows = 1500;
    const { data, labels } = clustered(rows, 20, 6, 7);
    const a = barnesHutTsne(data, rows, 20, { seed: 3, iterations: 400 });
    const b = barnesHutTsne(data, rows, 20, { seed: 3, iterations: 400 });
    assert.deepEqual(a.points, b.points);
    const agreement = knnAgreement(a.points, labels, 10);
    assert.ok(agreement > 0.95, `10-NN agreement ${agreement}`);
    assert.ok(Number.isFinite(a.klDivergence) && a.klDivergence > 0, `KL ${a.klDivergence}`);
    // A random layout of the same labels agrees about 1/6 of the time: the metric can fail.
    const rng = new RandomState(1);
    const random = Float64Array.from({ length: rows * 2 }, () => rng.gauss());
    assert.ok(knnAgreement(random, labels, 10) < 0.3);
  });
});

describe('a warm start (initial layout, as the live Latent tab continues its last map)', () => {
  it('continues a converged map without early exaggeration: KL no worse, clusters kept, both algorithms', () => {
    const rows = 300;
    const { data, labels } = clustered(rows, 10, 4, 21);
    for (const run of [tsne, barnesHutTsne]) {
      const cold = run(data, rows, 10, { seed: 5, iterations: 400 });
      const warm = run(data, rows, 10, { seed: 5, iterations: 100, initial: cold.points });
      assert.ok(
        warm.klDivergence <= cold.klDivergence * 1.02,
        `${run.name}: KL ${warm.klDivergence} after ${cold.klDivergence}`,
      );
      assert.ok(knnAgreement(warm.points, labels, 10) > 0.95, run.name);
      // Exaggeration (P × 12) would first pull the clusters together: the map's spread stays put instead.
      const spread = (p: Float64Array) => Math.sqrt(p.reduce((s, v) => s + v * v, 0) / rows);
      const ratio = spread(warm.points) / spread(cold.points);
      assert.ok(ratio > 0.9 && ratio < 1.3, `${run.name}: spread ratio ${ratio}`);
      assert.throws(() => run(data, rows, 10, { initial: new Float64Array(10) }), /initial layout needs 600 values/);
    }
  });
});
