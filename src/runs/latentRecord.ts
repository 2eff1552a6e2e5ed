import { barnesHutTsne, layerActivations, NeuralNetwork, pca, Tensor, tsne } from '../engine';
import type { LatentSpec } from '../modelFile/spec';
import { t } from '../l10n';
import { type LatentImages, latentImages } from './latentImages';

/** latent.json: one layer's outputs on test rows, projected to 2-D. See docs/run-records.md. */
export interface LatentRecord {
  readonly format: 'glassbox-latent/1';
  /** The projected layer: its name and position in the model file's layers. */
  readonly layer: string;
  readonly layerIndex: number;
  /** Values per example in that layer's output (28 for the book's autoencoder encoding). */
  readonly width: number;
  readonly method: 'pca' | 'tsne';
  /** The first `rows` rows of the test set, in order; points[i] and labels[i] are row i. */
  readonly rows: number;
  readonly points: [number, number][];
  /** Class of each row (the digit), when the dataset has labels. */
  readonly labels?: number[];
  /** PCA: share of the layer's variance along each of the two axes. */
  readonly explainedVariance?: [number, number];
  /** t-SNE: its seed, perplexity and final KL divergence. */
  readonly seed?: number;
  readonly perplexity?: number;
  readonly klDivergence?: number;
  /** t-SNE: 'exact' (every pair, up to 1,000 rows) or 'barnesHut' (a quadtree at accuracy `theta`). */
  readonly algorithm?: 'exact' | 'barnesHut';
  readonly theta?: number;
  /** t-SNE: gradient steps. */
  readonly iterations?: number;
  /** The rows' inputs as 28×28-style greyscale images (image datasets), for the Latent tab's hover. */
  readonly images?: LatentImages;
  /** A projection taken during training (on at most LIVE_ROWS rows); never written to latent.json. */
  readonly live?: { readonly step: number; readonly epoch: number };
  readonly seconds: number;
}

/** Above this many rows t-SNE is Barnes–Hut (O(rows log rows) a step), at or below it exact. */
export const EXACT_TSNE_MAX_ROWS = 1000;
const BARNES_HUT_THETA = 0.5;
/** During training the tab shows the first this many rows, projected again every few seconds. */
export const LIVE_ROWS = 500;
/** A live t-SNE takes fewer steps than the final one (exact on ≤ 500 rows: well under a second). */
const LIVE_TSNE_ITERATIONS = 500;
/** …and fewer again when it continues the previous live map (no early exaggeration). */
const LIVE_WARM_TSNE_ITERATIONS = 250;

/** What a projection during training adds: the batch it follows, and the last live map to continue. */
export interface LiveOptions {
  readonly step: number;
  readonly epoch: number;
  /** t-SNE: the previous live projection's points (same rows), so the map moves rather than jumps. */
  readonly previous?: readonly (readonly [number, number])[];
}

const TSNE_PERPLEXITY = 30;
/** Seven significant digits: float32 precision, and a 10,000-point file stays near 300 kB. */
const round = (v: number) => Number(v.toPrecision(7));

/**
 * Runs the first `latent.rows` test rows through the trained network up to the named layer and
 * projects that layer's outputs (flattened per row) to 2-D with PCA or t-SNE (exact up to
 * EXACT_TSNE_MAX_ROWS rows, Barnes–Hut above). With `live`, a quicker projection of at most
 * LIVE_ROWS rows during training.
 */
export function projectLatent(
  network: NeuralNetwork,
  latent: LatentSpec,
  xTest: Tensor,
  testLabels?: Int32Array,
  live?: LiveOptions,
): LatentRecord {
  const t0 = Date.now();
  const layerIndex = network.layers.findIndex((l) => l.name === latent.layer);
  if (layerIndex < 0) throw new Error(t("latent: no layer named '{0}'", latent.layer));
  const rows = Math.min(latent.rows, xTest.shape[0], live ? LIVE_ROWS : Infinity);
  const rowSize = xTest.size / xTest.shape[0];
  const x = new Tensor([rows, ...xTest.shape.slice(1)], xTest.data.subarray(0, rows * rowSize));
  const codes = layerActivations(network, x, layerIndex);
  const width = codes.size / rows;
  const flat = Float64Array.from(codes.data);
  const pairs = (p: Float64Array): [number, number][] =>
    Array.from({ length: rows }, (_, i) => [round(p[2 * i]), round(p[2 * i + 1])]);
  const common = {
    format: 'glassbox-latent/1' as const,
    layer: latent.layer,
    layerIndex,
    width,
    method: latent.method,
    rows,
  };
  const images = latentImages(xTest, rows);
  const labels = {
    ...(testLabels ? { labels: Array.from(testLabels.subarray(0, rows)) } : {}),
    ...(images ? { images } : {}),
    ...(live ? { live: { step: live.step, epoch: live.epoch } } : {}),
  };
  if (latent.method === 'pca') {
    const r = pca(flat, rows, width, 2);
    const [a, b] = r.explainedVariance;
    return {
      ...common,
      points: pairs(r.points),
      ...labels,
      explainedVariance: [round(a), round(b ?? 0)],
      seconds: (Date.now() - t0) / 1000,
    };
  }
  const algorithm = rows > EXACT_TSNE_MAX_ROWS ? 'barnesHut' : 'exact';
  const warm = live?.previous?.length === rows ? Float64Array.from(live.previous.flat()) : undefined;
  const iterations = warm ? LIVE_WARM_TSNE_ITERATIONS : live ? LIVE_TSNE_ITERATIONS : 1000;
  const options = { seed: latent.seed, perplexity: TSNE_PERPLEXITY, iterations, ...(warm ? { initial: warm } : {}) };
  const r =
    algorithm === 'exact'
      ? tsne(flat, rows, width, options)
      : barnesHutTsne(flat, rows, width, { ...options, theta: BARNES_HUT_THETA });
  return {
    ...common,
    points: pairs(r.points),
    ...labels,
    seed: latent.seed,
    perplexity: TSNE_PERPLEXITY,
    klDivergence: round(r.klDivergence),
    algorithm,
    ...(algorithm === 'barnesHut' ? { theta: BARNES_HUT_THETA } : {}),
    iterations,
    seconds: (Date.now() - t0) / 1000,
  };
}

/** One line for the CLI, e.g. "latent: PCA of encoding (28 values) on 2000 test rows, 41.2% + 17.9% of the variance → latent.json". */
export function describeLatent(r: LatentRecord): string {
  const how =
    r.method === 'pca'
      ? t(
          'PCA of {0} ({1} values) on {2} test rows, {3} of the variance',
          r.layer,
          r.width,
          r.rows,
          r.explainedVariance?.map((v) => `${(v * 100).toFixed(1)}%`).join(' + ') ?? '',
        )
      : t(
          '{0} of {1} ({2} values) on {3} test rows, KL {4}',
          r.algorithm === 'barnesHut' ? t('Barnes–Hut t-SNE (theta {0})', String(r.theta)) : 't-SNE',
          r.layer,
          r.width,
          r.rows,
          r.klDivergence?.toFixed(3) ?? '',
        );
  return t('latent: {0}, {1}s → latent.json', how, r.seconds.toFixed(1));
}

/** The record without its points and labels, for the CLI's `latent` JSON event. */
export function latentSummary(r: LatentRecord): Record<string, unknown> {
  const info: Record<string, unknown> = { ...r, file: 'latent.json' };
  delete info.points;
  delete info.labels;
  delete info.images;
  return info;
}
