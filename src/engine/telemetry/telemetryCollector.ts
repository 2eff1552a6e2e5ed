import type { NeuralNetwork } from '../network/neuralNetwork';
import { softmaxRows } from '../ops/softmax';
import { SoftmaxCrossEntropy } from '../losses/softmaxCrossEntropy';
import { RecurrentOperation, SequenceTrace } from '../recurrent/recurrentOperation';
import type { Tensor, TensorData } from '../tensor/tensor';
import type { BatchEnd, TrainingObserver } from '../train/observer';
import type { LayerTelemetry, ParamTelemetry, ProbeTelemetry, TelemetryFrame } from './telemetryFrame';
import { differenceNorm, type Histogram, histogram, tensorStats, type TensorStats } from './tensorStats';
import { saliency, saliencyApplies } from './saliency';

export interface TelemetryOptions {
  /** Sample every this many steps (≥ 1). The driver tunes it to keep the cost small. */
  every: number;
  /** Histogram bins. Default 32. */
  bins?: number;
  /** Weights with at most this many values are copied into frames (filters to draw). Default 4096. */
  maxWeightCopy?: number;
  /** Probe op outputs with at most this many values are copied (computational-graph view). Default 16384. */
  maxOpValues?: number;
  /** A fixed sample whose path through the network is recorded: x [1, ...], y [1, outputs]. */
  probe?: { x: Tensor; y: Tensor };
  /**
   * The output whose saliency (saliency.ts) frames carry for the probe: an index, or −1 (the
   * default) for the largest output (the predicted class).
   */
  saliencyClass?: number;
  /** Recurrent layers' internals over the probe: at most this many time steps. Default 128. */
  maxSequenceSteps?: number;
  /** ... and this many hidden units. Default 64. */
  maxSequenceUnits?: number;
  /** Receives each frame; the engine does not know who listens (worker, test, CLI). */
  onFrame: (frame: TelemetryFrame) => void;
  /** A clock in ms (the engine has none of its own): when given, each frame's cost is measured (`takeCost`). */
  clock?: () => number;
}

/**
 * Summarises training at the source: every `every` steps, per layer, statistics and histograms
 * of activations, weights and gradients, the update-to-weight ratio, and the probe sample's
 * activations and gradients. Between samples it costs one comparison per batch, plus one copy of
 * the weights on the step before a sample (for the update ratio).
 */
export class TelemetryCollector implements TrainingObserver {
  private previous: TensorData[] | null = null;
  private previousStep = -1;
  /** The cost of the frame taken since the last takeCost(), snapshot on the step before included. */
  private cost: number | undefined;
  private snapshotCost = 0;

  constructor(private readonly options: TelemetryOptions) {
    if (!(Number.isInteger(options.every) && options.every >= 1))
      throw new RangeError(`TelemetryCollector: every must be an integer >= 1, got ${options.every}`);
  }

  /** Another probe sample (a text the user typed), used by every frame from now on. */
  setProbe(probe: { x: Tensor; y: Tensor }, saliencyClass = -1): void {
    this.options.probe = probe;
    this.options.saliencyClass = saliencyClass;
  }

  setEvery(every: number): void {
    if (Number.isInteger(every) && every >= 1) this.options.every = every;
  }

  onBatchEnd(e: BatchEnd): void {
    const every = this.options.every;
    const clock = this.options.clock;
    if ((e.step + 1) % every === 0 || every === 1) {
      const t0 = clock?.() ?? 0;
      this.previous = e.network.snapshot();
      this.previousStep = e.step;
      if (clock) this.snapshotCost = clock() - t0;
    }
    if (e.step % every !== 0) return;
    const t0 = clock?.() ?? 0;
    this.options.onFrame(this.sample(e));
    if (clock) {
      this.cost = clock() - t0 + this.snapshotCost;
      this.snapshotCost = 0;
    }
  }

  /** What the last frame cost (ms on `clock`) if one was taken since the last call; then forgets it. */
  takeCost(): number | undefined {
    const c = this.cost;
    this.cost = undefined;
    return c;
  }

  /**
   * The batch part of the last frame (per-layer statistics of the batch's tape and the weights),
   * kept for more frames of the same batch: a probe between two batches (the Probe tab, drawing)
   * changes only the probe. Summarising an mnist-cnn batch takes ~20 ms, its probe under 1 ms.
   */
  private batchPart:
    { tape: BatchEnd['tape']; layers: LayerTelemetry[]; firstNonFinite: TelemetryFrame['firstNonFinite'] } | undefined;

  /** Forgets the kept batch part (the weights changed without a batch: best weights restored). */
  forgetBatch(): void {
    this.batchPart = undefined;
  }

  /**
   * The probe alone on the network's weights as they are (a Probe tab request answered between
   * batches, or between the chunks of an evaluation): no batch summaries, no op values (the
   * Network tab's, sent with the next frame). Inference passes only, as in a frame. Undefined
   * without a probe.
   */
  probeOnly(net: NeuralNetwork): ProbeTelemetry | undefined {
    const probe = this.options.probe;
    return probe ? net.keepingState(() => this.runProbe(net, probe.x, probe.y, false)) : undefined;
  }

  /** Builds a frame from the batch that just trained (call right after the optimizer step). */
  sample(e: BatchEnd): TelemetryFrame {
    const kept = this.batchPart?.tape === e.tape ? this.batchPart : undefined;
    const net = e.network;
    // The probe's forward must not change the layers' state (a carried recurrent state, book profile).
    const probe = this.options.probe
      ? net.keepingState(() => this.runProbe(net, this.options.probe!.x, this.options.probe!.y))
      : undefined;
    const layers = kept ? kept.layers.map(copyLayer) : this.summariseBatch(e);
    const firstNonFinite = kept ? kept.firstNonFinite : findFirstNonFinite(e);
    if (!kept) this.batchPart = { tape: e.tape, layers: layers.map(copyLayer), firstNonFinite };
    return {
      step: e.step,
      epoch: e.epoch,
      batch: e.batch,
      loss: e.loss,
      lr: e.lr,
      layers,
      probe,
      firstNonFinite,
    };
  }

  private summariseBatch(e: BatchEnd): LayerTelemetry[] {
    const bins = this.options.bins ?? 32;
    const net = e.network;
    const prev = this.previousStep === e.step - 1 ? this.previous : null;
    let pIndex = 0;
    const layers: LayerTelemetry[] = net.layers.map((layer, index) => {
      const act = e.tape.layers[index].y.data;
      const params: ParamTelemetry[] = layer.params().map((p) => {
        const before = prev?.[pIndex++];
        const value = tensorStats(p.value.data);
        const grad = tensorStats(p.grad.data);
        return {
          name: p.name,
          shape: p.value.shape,
          value,
          grad,
          valueHistogram: histogram(p.value.data, bins, statsRange(value)),
          gradHistogram: histogram(p.grad.data, bins, statsRange(grad)),
          updateRatio: before ? differenceNorm(p.value.data, before) / value.norm : NaN,
        };
      });
      const actStats = tensorStats(act);
      const w = layer.params()[0];
      const small = w && w.value.size <= (this.options.maxWeightCopy ?? 4096);
      return {
        index,
        name: layer.name,
        kind: layer.kind,
        weights: small
          ? { shape: w.value.shape, values: Float32Array.from(w.value.data), grads: Float32Array.from(w.grad.data) }
          : undefined,
        activation: actStats,
        activationHistogram: histogram(act, bins, statsRange(actStats)),
        params,
        gradNorm: params[0]?.grad.norm ?? NaN,
        weightNorm: params[0]?.value.norm ?? NaN,
        deadFraction: deadFraction(e.tape.layers[index].y),
        saturatedFraction: saturatedFraction(act),
      };
    });
    return layers;
  }

  /**
   * Inference forward of the probe, then the gradient at every layer without touching param
   * grads. For a layer whose operations produce feature maps (rank 4: a conv, perhaps followed
   * by flatten and dropout), the recorded activation and gradient are those of its last [1, c, h, w]
   * output, so the maps are drawn as maps; otherwise the layer's output. `opValues`: copy each
   * op's value and gradient (the Network tab's graph); without, the ops are listed bare.
   */
  private runProbe(net: NeuralNetwork, x: Tensor, y: Tensor, opValues = true): ProbeTelemetry {
    const f = net.forward(x, false);
    const target = y.dtype === f.y.dtype ? y : y.astype(f.y.dtype);
    const l = net.loss.forward(f.y, target);
    const layers: ProbeTelemetry['layers'][number][] = new Array(net.layers.length);
    const ops: ProbeTelemetry['ops'][number][] = [];
    const maxOp = this.options.maxOpValues ?? 16384;
    let g = net.loss.backward(l.ctx);
    const sequences: (SequenceTrace | undefined)[] = new Array(net.layers.length);
    for (let i = net.layers.length - 1; i >= 0; i--) {
      const ctxs = f.tape.layers[i].ops;
      const layerOps = net.layers[i].ops;
      let pick = ctxs.length - 1;
      for (let k = ctxs.length - 1; k >= 0; k--)
        if (ctxs[k].y.rank === 4) {
          pick = k;
          break;
        }
      for (let k = layerOps.length - 1; k >= 0; k--) {
        const y = ctxs[k].y;
        if (k === pick)
          layers[i] = {
            shape: y.shape.slice(1),
            activation: Float32Array.from(y.data),
            gradient: Float32Array.from(g.data),
          };
        const small = opValues && y.size <= maxOp;
        ops.push({
          layer: i,
          name: layerOps[k].name,
          equation: layerOps[k].equation,
          shape: y.shape.slice(1),
          value: small ? Float32Array.from(y.data) : undefined,
          grad: small ? Float32Array.from(g.data) : undefined,
        });
        // A recurrent op's backward also measures ‖∂L/∂H_t‖ over time, so it runs even as the first op.
        const op = layerOps[k];
        const recurrent = op instanceof RecurrentOperation ? op : undefined;
        if (k > 0 || i > 0 || recurrent) g = layerOps[k].backwardInput(g, ctxs[k]);
        if (recurrent)
          sequences[i] = recurrent.sequenceTrace(
            ctxs[k],
            this.options.maxSequenceSteps ?? 128,
            this.options.maxSequenceUnits ?? 64,
          );
      }
      if (!layers[i]) {
        const t = f.tape.layers[i];
        layers[i] = {
          shape: t.y.shape.slice(1),
          activation: Float32Array.from(t.y.data),
          gradient: new Float32Array(t.y.size),
        };
      }
    }
    sequences.forEach((sequence, i) => {
      if (sequence) layers[i] = { ...layers[i], sequence };
    });
    let output = Float32Array.from(f.y.data);
    if (net.loss instanceof SoftmaxCrossEntropy && f.y.rank === 2) {
      const p = new Float64Array(f.y.size);
      softmaxRows(f.y.data, p, f.y.shape[0], f.y.shape[1]);
      output = Float32Array.from(p);
    }
    return {
      input: Float32Array.from(x.data),
      inputShape: x.shape.slice(1),
      layers,
      ops: ops.reverse(),
      output,
      loss: l.loss,
      saliency: saliencyApplies(net.layers, f.y)
        ? saliency(net.layers, f.y, f.tape, this.options.saliencyClass ?? -1)
        : undefined,
    };
  }
}

/** tensorStats' finite min and max as a histogram's range (undefined without finite values). */
function statsRange(s: TensorStats): { min: number; max: number } | undefined {
  return Number.isFinite(s.min) ? { min: s.min, max: s.max } : undefined;
}

/** Units (last axis of [batch, units], or channels of [batch, c, h, w]) that are 0 for every example. */
function deadFraction(y: Tensor): number {
  if (y.rank < 2 || y.size === 0) return 0;
  const batch = y.shape[0];
  const units = y.rank === 4 ? y.shape[1] : y.size / batch;
  const inner = y.rank === 4 ? y.shape[2] * y.shape[3] : 1;
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let alive = false;
    for (let b = 0; b < batch && !alive; b++) {
      const base = y.rank === 4 ? (b * units + u) * inner : b * units + u;
      for (let k = 0; k < inner; k++)
        if (y.data[base + k] !== 0) {
          alive = true;
          break;
        }
    }
    if (!alive) dead++;
  }
  return dead / units;
}

/** Saturated activations: |a| > 0.99 when values go below 0 (tanh-like), else outside [0.01, 0.99]. */
function saturatedFraction(a: TensorData): number {
  let min = Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] < min) min = a[i];
  let n = 0;
  if (min < 0) for (let i = 0; i < a.length; i++) n += Math.abs(a[i]) > 0.99 ? 1 : 0;
  else for (let i = 0; i < a.length; i++) n += a[i] < 0.01 || a[i] > 0.99 ? 1 : 0;
  return a.length ? n / a.length : 0;
}

function hasNonFinite(d: TensorData): boolean {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return true;
  return false;
}

/** Walks the batch's forward record in order and names the first op whose output is not finite. */
function findFirstNonFinite(e: BatchEnd): { layer: number; op: string } | undefined {
  const layers = e.network.layers;
  for (let i = 0; i < layers.length; i++) {
    const ctxs = e.tape.layers[i].ops;
    if (!hasNonFinite(e.tape.layers[i].y.data) && !ctxs.some((c) => hasNonFinite(c.y.data))) continue;
    for (let k = 0; k < ctxs.length; k++)
      if (hasNonFinite(ctxs[k].y.data)) return { layer: i, op: layers[i].ops[k].name };
  }
  for (let i = 0; i < layers.length; i++)
    for (const p of layers[i].params()) if (hasNonFinite(p.value.data)) return { layer: i, op: `${p.name} (weights)` };
  return undefined;
}

/** A copy of a layer's telemetry whose arrays are its own (frames transfer their arrays to the host). */
function copyLayer(l: LayerTelemetry): LayerTelemetry {
  const hist = (h: Histogram): Histogram => ({ ...h, counts: h.counts.slice() });
  return {
    ...l,
    activationHistogram: hist(l.activationHistogram),
    params: l.params.map((p) => ({
      ...p,
      valueHistogram: hist(p.valueHistogram),
      gradHistogram: hist(p.gradHistogram),
    })),
    weights: l.weights && { shape: l.weights.shape, values: l.weights.values.slice(), grads: l.weights.grads.slice() },
  };
}
