import { assertValue } from '../errors';

/** The k nearest neighbours of every row, nearest first. */
export interface NearestNeighbours {
  readonly k: number;
  /** [rows × k] row indices of each row's neighbours (never the row itself). */
  readonly indices: Int32Array;
  /** [rows × k] their squared Euclidean distances, ascending along each row. */
  readonly distances: Float64Array;
}

/**
 * Exact k-nearest neighbours by squared Euclidean distance: every pair once (rows²/2 distances of
 * d values), each row keeping its k best in a max-heap. The one O(rows²) step of Barnes–Hut t-SNE,
 * done once before the O(rows log rows) iterations: 10,000 rows × 28 values is 5·10⁷ pairs, a
 * second or two, and exact (a vantage-point tree gains little at d = 28 and answers the same).
 * Ties are broken by the lower row index, so the result is deterministic.
 */
export function nearestNeighbours(data: ArrayLike<number>, rows: number, d: number, k: number): NearestNeighbours {
  assertValue(
    k >= 1 && k < rows && data.length === rows * d,
    () => `nearestNeighbours: need 1 ≤ k < rows and rows × d values, got k=${k}, rows=${rows}, ${data.length} values`,
  );
  const x = Float64Array.from(data);
  // Per row a max-heap of its k best so far: heapDist[i·k] is the worst kept distance.
  const heapDist = new Float64Array(rows * k).fill(Infinity);
  const heapIndex = new Int32Array(rows * k).fill(-1);
  const push = (i: number, j: number, dist: number) => {
    const base = i * k;
    if (dist > heapDist[base] || (dist === heapDist[base] && j > heapIndex[base])) return;
    // Replace the root (the worst) and sift down.
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= k) break;
      const r = l + 1;
      const worse = r < k && worseThan(heapDist, heapIndex, base + r, base + l) ? r : l;
      if (!worseThan(heapDist, heapIndex, base + worse, -1, dist, j)) break;
      heapDist[base + at] = heapDist[base + worse];
      heapIndex[base + at] = heapIndex[base + worse];
      at = worse;
    }
    heapDist[base + at] = dist;
    heapIndex[base + at] = j;
  };
  for (let i = 0; i < rows; i++) {
    const oi = i * d;
    for (let j = i + 1; j < rows; j++) {
      const oj = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = x[oi + c] - x[oj + c];
        s += t * t;
      }
      push(i, j, s);
      push(j, i, s);
    }
  }
  // Each heap sorted ascending (distance, then index).
  const indices = new Int32Array(rows * k);
  const distances = new Float64Array(rows * k);
  const order = Array.from({ length: k }, (_, m) => m);
  for (let i = 0; i < rows; i++) {
    const base = i * k;
    order.sort((a, b) => heapDist[base + a] - heapDist[base + b] || heapIndex[base + a] - heapIndex[base + b]);
    for (let m = 0; m < k; m++) {
      indices[base + m] = heapIndex[base + order[m]];
      distances[base + m] = heapDist[base + order[m]];
    }
  }
  return { k, indices, distances };
}

/** Whether heap slot a ranks after slot b (or after the candidate (dist, index) when b < 0). */
function worseThan(
  dist: Float64Array,
  index: Int32Array,
  a: number,
  b: number,
  bDist = dist[b],
  bIndex = index[b],
): boolean {
  return dist[a] > bDist || (dist[a] === bDist && index[a] > bIndex);
}
