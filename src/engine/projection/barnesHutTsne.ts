import { assertValue } from '../errors';
import { nearestNeighbours } from './nearestNeighbours';
import { QuadTree } from './quadTree';
import { type SparseAffinities, sparseAffinities } from './sparseAffinities';
import type { TsneResult } from './tsne';
import { type DescentOptions, tsneDescent } from './tsneDescent';

export interface BarnesHutOptions extends DescentOptions {
  /** Accuracy of the repulsion: a cell counts as one body when its width / distance < theta. Default 0.5; 0 is exact. */
  theta?: number;
}

/**
 * Barnes–Hut t-SNE (van der Maaten 2014, "Accelerating t-SNE using tree-based algorithms") to two
 * dimensions, for thousands of points: input affinities on each row's 3·perplexity nearest
 * neighbours only (sparseAffinities.ts), the attraction summed over those, and the repulsion
 * from a quadtree of the map where a far cell acts as one body at its centre of mass. The
 * schedule is exact t-SNE's (tsne.ts, as scikit-learn's): N(0, 1e-4²) start, P × 12 for 250 steps,
 * momentum 0.5 then 0.8, gains +0.2 / ×0.8 (at least 0.01), learning rate max(rows/48, 50).
 * Per step O(rows log rows); the neighbour search is exact (nearestNeighbours.ts). Deterministic for a seed.
 */
export function barnesHutTsne(
  data: ArrayLike<number>,
  rows: number,
  d: number,
  options: BarnesHutOptions = {},
): TsneResult {
  assertValue(
    rows >= 2 && data.length === rows * d,
    () => `barnesHutTsne: expected at least 2 rows × ${d} columns, got ${data.length} values for ${rows} rows`,
  );
  const perplexity = Math.min(options.perplexity ?? 30, (rows - 1) / 3);
  const k = Math.min(rows - 1, Math.floor(3 * perplexity));
  const theta = options.theta ?? 0.5;
  const p = sparseAffinities(nearestNeighbours(data, rows, d, k), rows, perplexity);

  const tree = new QuadTree();
  const y = tsneDescent(rows, options, 'barnesHutTsne', (y, exaggeration, grad) =>
    barnesHutGradient(y, p, theta, exaggeration, grad, tree),
  );
  return { points: y, klDivergence: sparseKl(y, p, theta, tree) };
}

/**
 * The t-SNE gradient at layout y ([rows × 2]) for sparse P, into grad; returns Z = Σᵢ≠ⱼ qᵢⱼ:
 * ∂C/∂yᵢ = 4·(Σⱼ α·pᵢⱼ·qᵢⱼ·(yᵢ − yⱼ) − Σⱼ qᵢⱼ²·(yᵢ − yⱼ) / Z), qᵢⱼ = 1/(1 + |yᵢ − yⱼ|²), α the
 * exaggeration. The first (attractive) sum runs over P's entries, the second (repulsive) and Z
 * through the quadtree at accuracy theta (0: exactly).
 */
export function barnesHutGradient(
  y: Float64Array,
  p: SparseAffinities,
  theta: number,
  exaggeration: number,
  grad: Float64Array,
  tree = new QuadTree(),
): number {
  const rows = p.rows;
  tree.build(y, rows);
  const force = new Float64Array(2);
  const order = new Int32Array(rows);
  tree.order(order);
  let sumQ = 0;
  for (let k = 0; k < rows; k++) {
    const i = order[k];
    sumQ += tree.repulsion(i, y[2 * i], y[2 * i + 1], theta, force);
    grad[2 * i] = force[0];
    grad[2 * i + 1] = force[1];
  }
  const { rowStart, cols, vals } = p;
  for (let i = 0; i < rows; i++) {
    const yix = y[2 * i],
      yiy = y[2 * i + 1];
    let ax = 0,
      ay = 0;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const j = cols[e];
      const dx = yix - y[2 * j],
        dy = yiy - y[2 * j + 1];
      const m = (vals[e] * exaggeration) / (1 + dx * dx + dy * dy);
      ax += m * dx;
      ay += m * dy;
    }
    grad[2 * i] = 4 * (ax - grad[2 * i] / sumQ);
    grad[2 * i + 1] = 4 * (ay - grad[2 * i + 1] / sumQ);
  }
  return sumQ;
}

/** KL(P ‖ Q) over P's entries, with Z from the quadtree (the reference implementation's error). */
function sparseKl(y: Float64Array, p: SparseAffinities, theta: number, tree: QuadTree): number {
  const sumQ = barnesHutGradient(y, p, theta, 1, new Float64Array(y.length), tree);
  let kl = 0;
  for (let i = 0; i < p.rows; i++)
    for (let e = p.rowStart[i]; e < p.rowStart[i + 1]; e++) {
      const j = p.cols[e];
      const dx = y[2 * i] - y[2 * j],
        dy = y[2 * i + 1] - y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy) / sumQ;
      kl += p.vals[e] * Math.log(Math.max(p.vals[e], 1e-12) / Math.max(q, 1e-12));
    }
  return kl;
}
