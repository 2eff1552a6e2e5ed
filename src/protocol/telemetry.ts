/*
 * Data carried by both boundaries (worker → host → webview). Plain objects whose bulk fields are
 * typed arrays, so they cross postMessage as transferables / structured clones.
 */

/** One layer of the model as the summary table shows it. */
export interface LayerSummary {
  readonly index: number;
  readonly name: string;
  readonly kind: string;
  /** Output shape without the batch axis. */
  readonly outputShape: readonly number[];
  readonly parameters: number;
  /** 0-based line of the layer's entry in the model file (for hovers and highlights). */
  readonly line?: number;
}

export interface RunSummary {
  readonly modelName: string;
  readonly modelPath: string;
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSummary[];
  readonly parameters: number;
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  readonly evalEvery: number;
  readonly profile: string;
  readonly precision: string;
  readonly loss: string;
  readonly optimizer: string;
  readonly dataset: string;
  readonly trainRows: number;
  readonly testRows: number;
  /** A classifier's class names when the data has them (an image folder's subfolders): untrusted text. */
  readonly classNames?: readonly string[];
  /** What the data asks of the model: the Probe tab picks its inputs and its output's display by it. */
  readonly task?: 'regression' | 'classification' | 'reconstruction' | 'sequence';
  /** Image inputs ([1, h, w], [h, w] or MNIST's flat 784): [height, width] (the probe's drawing canvas). */
  readonly image?: readonly [number, number];
  /** Inputs that are a few features (CSV): the Probe tab's sliders. */
  readonly features?: FeatureRanges;
}

/**
 * Each input feature's name (CSV header: untrusted text) and range over the training rows, in the
 * model's input units; with `mean`/`std` (the data was standard-scaled) raw = value·std + mean.
 */
export interface FeatureRanges {
  readonly names: readonly string[];
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

export interface StatsMessage {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  readonly norm: number;
  readonly zeroFraction: number;
  readonly nanCount: number;
  readonly infCount: number;
}

export interface HistogramMessage {
  readonly min: number;
  readonly max: number;
  readonly counts: Uint32Array;
}

export interface LayerFrameMessage {
  readonly index: number;
  readonly name: string;
  readonly kind: string;
  readonly activation: StatsMessage;
  readonly activationHistogram: HistogramMessage;
  readonly weight?: StatsMessage;
  readonly gradient?: StatsMessage;
  readonly weightHistogram?: HistogramMessage;
  readonly gradientHistogram?: HistogramMessage;
  readonly updateRatio: number;
  readonly deadFraction: number;
  readonly saturatedFraction: number;
  /** The probe sample's activation and gradient for this layer (flattened), with its shape. */
  readonly probeShape?: readonly number[];
  readonly probeActivation?: Float32Array;
  readonly probeGradient?: Float32Array;
  /** Small weight tensors (conv filters [out, in, kh, kw]) and their gradients, to draw. */
  readonly weightShape?: readonly number[];
  readonly weightValues?: Float32Array;
  readonly weightGrads?: Float32Array;
  /** A recurrent layer's internals over the probe's time steps (the Sequence tab). */
  readonly sequence?: SequenceMessage;
  /** Feature-map layers: per map, Σ activation × ∂(saliency output)/∂activation (saliency.ts). */
  readonly probeMapImportance?: Float32Array;
}

/**
 * A recurrent layer (rnn, lstm, gru) over the probe sequence: H_t, C_t and each gate for the first
 * `steps` time steps and `units` hidden units, and the gradient norm ‖∂L/∂H_t‖ per step.
 */
export interface SequenceMessage {
  /** 'RNN', 'LSTM', 'GRU'. */
  readonly kind: string;
  readonly steps: number;
  /** The probe's T (steps beyond `steps` are not sent). */
  readonly totalSteps: number;
  readonly units: number;
  /** The layer's hidden size (units beyond `units` are not sent). */
  readonly hiddenSize: number;
  /** 'h' first, then 'c' (LSTM) and the gates (LSTM input, forget, output, candidate; GRU reset, update, candidate). Values [steps, units] row-major. */
  readonly series: readonly { readonly name: string; readonly values: Float32Array }[];
  /** ‖∂L/∂H_t‖ per step, [steps]. */
  readonly gradNorm: Float32Array;
}

export interface TelemetryFrameMessage {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly layers: readonly LayerFrameMessage[];
  readonly probeInput?: Float32Array;
  readonly probeInputShape?: readonly number[];
  readonly probeOutput?: Float32Array;
  /** The probe's computational graph in forward order: each op's output and dL/d(output). */
  readonly probeOps?: readonly {
    readonly layer: number;
    readonly name: string;
    /** Forward and backward formulas, one a line (the engine's Operation.equation); absent in older frame.json files. */
    readonly equation?: string;
    readonly shape: readonly number[];
    readonly value?: Float32Array;
    readonly grad?: Float32Array;
  }[];
  /** The probe's loss. */
  readonly probeLoss?: number;
  /** A text model's probe window decoded with the vocabulary, one character per time step. */
  readonly probeText?: readonly string[];
  /** A text model's vocabulary: the characters of the probe output's columns ([T, vocab] logits). */
  readonly probeVocabulary?: readonly string[];
  /** The first operation whose output was NaN/Inf in the sampled batch. */
  readonly firstNonFinite?: { readonly layer: number; readonly op: string };
  /** Where the probe came from (absent: the first test row, as before any Probe tab request). */
  readonly probeSource?: ProbeSource;
  /** ∂(output `probeSaliencyClass`)/∂input for the probe, in the input's shape (saliency.ts). */
  readonly probeSaliency?: Float32Array;
  readonly probeSaliencyClass?: number;
}

/**
 * The probe's origin: a test row (with its class when the data has classes) or the user's own
 * input (drawn, or slider values); `id`: the Probe tab request that set it.
 */
export type ProbeSource = {
  readonly id?: number;
  /** Wall-clock ms (Date.now) when the worker took the request and when it built this frame: where latency goes. */
  readonly takenAt?: number;
  readonly builtAt?: number;
  /** Probe tab answers: when the extension host got the request, and its answer (Date.now). */
  readonly hostInAt?: number;
  readonly hostOutAt?: number;
} & (
  | { readonly kind: 'test'; readonly row: number; readonly label?: number }
  | { readonly kind: 'drawn' }
  | { readonly kind: 'values' }
);

/** A text model's generated sample (the engine's TextSample): `text` continues `seedText`. */
export interface TextSampleMessage {
  /** 1-based iteration (batch) count of the run after which the sample was drawn. */
  readonly iteration: number;
  readonly epoch: number;
  readonly seedText: string;
  readonly temperature: number;
  readonly text: string;
}

/** latent.json as the Latent tab draws it (src/runs/latentRecord.ts has the full record). */
export interface LatentMessage {
  readonly layer: string;
  readonly width: number;
  readonly method: 'pca' | 'tsne';
  readonly rows: number;
  readonly points: readonly (readonly [number, number])[];
  readonly labels?: readonly number[];
  readonly explainedVariance?: readonly [number, number];
  /** t-SNE: every pair ('exact') or a quadtree ('barnesHut'). */
  readonly algorithm?: 'exact' | 'barnesHut';
  /**
   * Each row's input as a greyscale image (image datasets): 16 levels, two pixels a byte (the first
   * in the high nibble), row i at byte i·⌈height·width/2⌉ of the base64 `data`. At most 10,000
   * rows of 28 × 28: 5.2 MB of base64.
   */
  readonly images?: { readonly height: number; readonly width: number; readonly levels: 16; readonly data: string };
  /** Set while training: a quick projection of the first rows after this batch, not latent.json's. */
  readonly live?: { readonly step: number; readonly epoch: number };
}

/** The frame without the recurrent layers' sequences, the probe text and the vocabulary (for views that do not draw them). */
export function withoutSequence(frame: TelemetryFrameMessage): TelemetryFrameMessage {
  if (!frame.probeText && !frame.probeVocabulary && !frame.layers.some((l) => l.sequence)) return frame;
  return {
    ...frame,
    probeText: undefined,
    probeVocabulary: undefined,
    layers: frame.layers.map((l) => (l.sequence ? { ...l, sequence: undefined } : l)),
  };
}
