import { layerActivations, NeuralNetwork, pca, Tensor, tsne } from '../engine';
import type { LatentSpec } from '../modelFile/spec';
import { t } from '../l10n';

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
  readonly seconds: number;
}

const TSNE_PERPLEXITY = 30;
/** Seven significant digits: float32 precision, and a 10,000-point file stays near 300 kB. */
const round = (v: number) => Number(v.toPrecision(7));

/**
 * Runs the first `latent.rows` test rows through the trained network up to the named layer and
 * projects that layer's outputs (flattened per row) to 2-D with PCA or exact t-SNE.
 */
export function projectLatent(
  network: NeuralNetwork,
  latent: LatentSpec,
  xTest: Tensor,
  testLabels?: Int32Array,
): LatentRecord {
  const t0 = Date.now();
  const layerIndex = network.layers.findIndex((l) => l.name === latent.layer);
  if (layerIndex < 0) throw new Error(t("latent: no layer named '{0}'", latent.layer));
  const rows = Math.min(latent.rows, xTest.shape[0]);
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
  const labels = testLabels ? { labels: Array.from(testLabels.subarray(0, rows)) } : {};
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
  const r = tsne(flat, rows, width, { seed: latent.seed, perplexity: TSNE_PERPLEXITY });
  return {
    ...common,
    points: pairs(r.points),
    ...labels,
    seed: latent.seed,
    perplexity: TSNE_PERPLEXITY,
    klDivergence: round(r.klDivergence),
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
          't-SNE of {0} ({1} values) on {2} test rows, KL {3}',
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
  return info;
}
