import type { SequenceTrace } from '../recurrent/recurrentOperation';
import type { Histogram, TensorStats } from './tensorStats';
import type { Saliency } from './saliency';

/** Statistics of one parameter tensor (W or B) of a layer at one sampled step. */
export interface ParamTelemetry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: TensorStats;
  readonly grad: TensorStats;
  readonly valueHistogram: Histogram;
  readonly gradHistogram: Histogram;
  /** ‖Δw‖/‖w‖ of the last optimizer step (NaN when unknown). Healthy training: around 1e-3. */
  readonly updateRatio: number;
}

/** One layer at one sampled step. */
export interface LayerTelemetry {
  readonly index: number;
  readonly name: string;
  readonly kind: string;
  /** Statistics of the layer's output over the training batch. */
  readonly activation: TensorStats;
  readonly activationHistogram: Histogram;
  readonly params: readonly ParamTelemetry[];
  /** ‖∂L/∂W‖ of the layer's weights (the first parameter); NaN for parameter-free layers. */
  readonly gradNorm: number;
  readonly weightNorm: number;
  /** Fraction of units (features, or channels of a map) that are exactly 0 for every example of the batch. */
  readonly deadFraction: number;
  /** Fraction of activations with |a| > 0.99 (tanh) or outside [0.01, 0.99] (sigmoid-like, in [0, 1]). */
  readonly saturatedFraction: number;
  /**
   * Copies of the first parameter (the weights) and its gradient when it is small enough to draw
   * (conv filters: [out, in, kh, kw]); absent for large weight matrices.
   */
  readonly weights?: { readonly shape: readonly number[]; readonly values: Float32Array; readonly grads: Float32Array };
}

/** The probe sample's path through the network: each layer's output and dL/d(output). */
export interface ProbeTelemetry {
  /** Input of the probe, flattened. */
  readonly input: Float32Array;
  readonly inputShape: readonly number[];
  readonly layers: readonly {
    readonly shape: readonly number[];
    readonly activation: Float32Array;
    readonly gradient: Float32Array;
    /** A recurrent layer's internals over the probe's time steps (H_t, C_t, gates, ‖∂L/∂H_t‖). */
    readonly sequence?: SequenceTrace;
  }[];
  /**
   * The computational graph of the probe, operation by operation in forward order: each op's
   * output and dL/d(output). Ops with more than `maxOpValues` outputs are listed without values.
   */
  readonly ops: readonly {
    readonly layer: number;
    readonly name: string;
    /** The operation's forward and backward formulas (Operation.equation), one a line. */
    readonly equation: string;
    readonly shape: readonly number[];
    readonly value?: Float32Array;
    readonly grad?: Float32Array;
  }[];
  /** Network output for the probe (probabilities when the loss is softmax cross-entropy). */
  readonly output: Float32Array;
  readonly loss: number;
  /** What drives the chosen output (classifiers and regressions of one example; saliency.ts). */
  readonly saliency?: Saliency;
}

/** Everything sampled at one training step. Bulk fields are typed arrays (transferable). */
export interface TelemetryFrame {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  readonly lr: number;
  readonly layers: readonly LayerTelemetry[];
  readonly probe?: ProbeTelemetry;
  /** The first operation (in forward order) whose output held NaN or ±Inf in this batch. */
  readonly firstNonFinite?: { readonly layer: number; readonly op: string };
}
