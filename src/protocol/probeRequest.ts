/*
 * What the panel's Probe tab asks the training worker to run through the model (webview → host →
 * worker through shared memory, worker/probeMailbox.ts). Validated at the host: the webview is
 * untrusted, and the values end up in the worker's tensors.
 */

/** The most input values a probe may carry (a 64×64 image, or 4,096 CSV features). */
export const MAX_PROBE_VALUES = 4096;
/** The largest magnitude of a probe value: far beyond any scaled input, and within float32. */
const MAX_ABS_VALUE = 1e6;

export type ProbeInput =
  /** A test row by index (the Evaluation tab's gallery, the index box). */
  | { readonly kind: 'row'; readonly row: number }
  /** A random test row, of class `label` when given (classifiers). */
  | { readonly kind: 'random'; readonly label?: number }
  /** A drawn image: grey values 0 (background) … 1 (ink), row-major, the input's height × width. */
  | { readonly kind: 'image'; readonly pixels: readonly number[] }
  /** Feature values in the model's input units (CSV sliders), one per input. */
  | { readonly kind: 'features'; readonly values: readonly number[] };

export type ProbeRequest = ProbeInput & {
  /** Chosen by the webview; the frames of this probe carry it back (latency, stale answers). */
  readonly id: number;
  /** The output whose saliency to show; absent: the predicted (largest) one. */
  readonly target?: number;
};

export const PROBE_KINDS = ['row', 'random', 'image', 'features'] as const;

const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31;
const isValues = (v: unknown): v is number[] =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.length <= MAX_PROBE_VALUES &&
  v.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= MAX_ABS_VALUE);

/** The request with only its known fields, or undefined when anything is out of shape. */
export function parseProbeRequest(v: unknown): ProbeRequest | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  if (!isIndex(m.id)) return undefined;
  if (m.target !== undefined && !isIndex(m.target)) return undefined;
  const common = { id: m.id, ...(m.target !== undefined ? { target: m.target as number } : {}) };
  switch (m.kind) {
    case 'row':
      return isIndex(m.row) ? { kind: 'row', row: m.row, ...common } : undefined;
    case 'random':
      if (m.label !== undefined && !isIndex(m.label)) return undefined;
      return { kind: 'random', ...(m.label !== undefined ? { label: m.label as number } : {}), ...common };
    case 'image':
      return isValues(m.pixels) && m.pixels.every((x) => x >= 0 && x <= 1)
        ? { kind: 'image', pixels: [...m.pixels], ...common }
        : undefined;
    case 'features':
      return isValues(m.values) ? { kind: 'features', values: [...m.values], ...common } : undefined;
    default:
      return undefined;
  }
}
