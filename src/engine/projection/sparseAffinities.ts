import type { NearestNeighbours } from './nearestNeighbours';

/** A sparse symmetric matrix in compressed rows: row i's entries are cols/vals[rowStart[i] … rowStart[i+1]). */
export interface SparseAffinities {
  readonly rows: number;
  readonly rowStart: Int32Array;
  readonly cols: Int32Array;
  /** pᵢⱼ, summing to 1 over the whole matrix. */
  readonly vals: Float64Array;
}

/**
 * Barnes–Hut t-SNE's input affinities (van der Maaten 2014, §4.1): for each row a Gaussian over
 * its k nearest neighbours only (k = 3·perplexity), its precision found by bisection so the
 * entropy is log(perplexity), then symmetrised, pᵢⱼ = (pⱼ|ᵢ + pᵢ|ⱼ) / 2·rows. About 2·k·rows
 * entries instead of rows².
 */
export function sparseAffinities(nn: NearestNeighbours, rows: number, perplexity: number): SparseAffinities {
  const { k, indices, distances } = nn;
  const cond = new Float64Array(rows * k);
  const target = Math.log(perplexity);
  for (let i = 0; i < rows; i++) calibrateRow(distances, i * k, k, target, cond);

  // The transpose's row lengths, so each row can gather pⱼ|ᵢ and pᵢ|ⱼ.
  const inCount = new Int32Array(rows + 1);
  for (let e = 0; e < rows * k; e++) inCount[indices[e] + 1]++;
  for (let i = 0; i < rows; i++) inCount[i + 1] += inCount[i];
  const inFrom = new Int32Array(rows * k);
  const inVal = new Float64Array(rows * k);
  const fill = inCount.slice(0, rows);
  for (let i = 0; i < rows; i++)
    for (let m = 0; m < k; m++) {
      const j = indices[i * k + m];
      inFrom[fill[j]] = i;
      inVal[fill[j]++] = cond[i * k + m];
    }

  // Merge row i's out-entries with its in-entries through a dense scratch row.
  const acc = new Float64Array(rows);
  const seen = new Uint8Array(rows);
  const rowStart = new Int32Array(rows + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  const touched: number[] = [];
  const scale = 1 / (2 * rows);
  for (let i = 0; i < rows; i++) {
    touched.length = 0;
    const add = (j: number, v: number) => {
      if (!seen[j]) {
        seen[j] = 1;
        touched.push(j);
      }
      acc[j] += v;
    };
    for (let m = 0; m < k; m++) add(indices[i * k + m], cond[i * k + m]);
    for (let e = inCount[i]; e < inCount[i + 1]; e++) add(inFrom[e], inVal[e]);
    touched.sort((a, b) => a - b);
    for (const j of touched) {
      cols.push(j);
      vals.push(acc[j] * scale);
      acc[j] = 0;
      seen[j] = 0;
    }
    rowStart[i + 1] = cols.length;
  }
  return { rows, rowStart, cols: Int32Array.from(cols), vals: Float64Array.from(vals) };
}

/**
 * pⱼ|ᵢ over row i's k neighbours (squared distances at dist[base …]) into out[base …]: the
 * precision β of exp(−β·d) by bisection until the entropy H = log Σ + β·Σ e·d / Σ is within 1e-5
 * of log(perplexity) (as the reference implementation, 200 steps at most).
 */
function calibrateRow(dist: Float64Array, base: number, k: number, target: number, out: Float64Array): void {
  let beta = 1,
    lo = -Infinity,
    hi = Infinity;
  // Shifting by the nearest distance leaves pⱼ|ᵢ unchanged and keeps exp() from underflowing to 0.
  const d0 = dist[base];
  for (let step = 0; step < 200; step++) {
    let sum = 0,
      weighted = 0;
    for (let m = 0; m < k; m++) {
      const dm = dist[base + m] - d0;
      const e = Math.exp(-beta * dm);
      out[base + m] = e;
      sum += e;
      weighted += e * dm;
    }
    const entropy = Math.log(sum) + (beta * weighted) / sum;
    for (let m = 0; m < k; m++) out[base + m] /= sum;
    const diff = entropy - target;
    if (Math.abs(diff) < 1e-5) return;
    // Too much entropy: the Gaussian is too wide, raise the precision.
    if (diff > 0) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
    }
  }
}
