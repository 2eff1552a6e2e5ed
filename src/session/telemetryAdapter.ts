import type { BatchEnd, Histogram, ProbeTelemetry, TelemetryFrame, TensorStats } from '../engine';
import type { ProbeAnswerMessage } from '../protocol/probeAnswer';
import type {
  HistogramMessage,
  LayerFrameMessage,
  ProbeSource,
  StatsMessage,
  TelemetryFrameMessage,
} from '../protocol/telemetry';

/*
 * The one place that maps the engine's telemetry types to protocol messages, so either side can
 * change without the other. Returns the frame and the buffers to transfer (zero-copy).
 */
const stats = (s: TensorStats): StatsMessage => ({
  mean: s.mean,
  std: s.std,
  min: s.min,
  max: s.max,
  norm: s.norm,
  zeroFraction: s.zeroFraction,
  nanCount: s.nanCount,
  infCount: s.infCount,
});
const hist = (h: Histogram): HistogramMessage => ({ min: h.min, max: h.max, counts: h.counts });

/**
 * `chars`: a text model's vocabulary, to decode the probe window (one-hot [T, vocab]) into the
 * characters the Sequence tab labels its time axis with.
 */
export function toFrameMessage(
  f: TelemetryFrame,
  chars?: readonly string[],
): { frame: TelemetryFrameMessage; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const keep = <T extends { buffer: ArrayBufferLike }>(a: T): T => {
    transfer.push(a.buffer as ArrayBuffer);
    return a;
  };
  const layers: LayerFrameMessage[] = f.layers.map((l, i) => {
    const w = l.params[0];
    const probe = f.probe?.layers[i];
    return {
      index: l.index,
      name: l.name,
      kind: l.kind,
      activation: stats(l.activation),
      activationHistogram: hist(l.activationHistogram),
      weight: w ? stats(w.value) : undefined,
      gradient: w ? stats(w.grad) : undefined,
      weightHistogram: w ? hist(w.valueHistogram) : undefined,
      gradientHistogram: w ? hist(w.gradHistogram) : undefined,
      updateRatio: w ? w.updateRatio : NaN,
      deadFraction: l.deadFraction,
      saturatedFraction: l.saturatedFraction,
      probeShape: probe?.shape,
      probeActivation: probe ? keep(probe.activation) : undefined,
      probeGradient: probe ? keep(probe.gradient) : undefined,
      weightShape: l.weights?.shape,
      weightValues: l.weights ? keep(l.weights.values) : undefined,
      weightGrads: l.weights ? keep(l.weights.grads) : undefined,
      probeMapImportance: f.probe?.saliency?.maps[i] && keep(f.probe.saliency.maps[i]),
      sequence: probe?.sequence && {
        kind: probe.sequence.kind,
        steps: probe.sequence.steps,
        totalSteps: probe.sequence.totalSteps,
        units: probe.sequence.units,
        hiddenSize: probe.sequence.hiddenSize,
        series: probe.sequence.series.map((v) => ({ name: v.name, values: keep(v.values) })),
        gradNorm: keep(probe.sequence.gradNorm),
      },
    };
  });
  const probeText = chars && f.probe ? decodeOneHot(f.probe.input, f.probe.inputShape, chars) : undefined;
  for (const l of layers) {
    for (const h of [l.activationHistogram, l.weightHistogram, l.gradientHistogram]) if (h) keep(h.counts);
  }
  return {
    frame: {
      step: f.step,
      epoch: f.epoch,
      loss: f.loss,
      layers,
      probeInput: f.probe ? keep(f.probe.input) : undefined,
      probeInputShape: f.probe?.inputShape,
      probeOutput: f.probe ? keep(f.probe.output) : undefined,
      firstNonFinite: f.firstNonFinite,
      probeOps: f.probe?.ops.map((o) => ({
        layer: o.layer,
        name: o.name,
        equation: o.equation,
        shape: o.shape,
        value: o.value && keep(o.value),
        grad: o.grad && keep(o.grad),
      })),
      probeLoss: f.probe?.loss,
      probeText,
      probeVocabulary: probeText && chars,
      probeSaliency: f.probe?.saliency && keep(f.probe.saliency.input),
      probeSaliencyClass: f.probe?.saliency?.cls,
    },
    transfer,
  };
}

/** A Probe tab request's answer: the probe part of a frame (probeAnswer.ts), its arrays to transfer. */
export function toProbeAnswer(
  p: ProbeTelemetry,
  e: Pick<BatchEnd, 'step' | 'epoch'>,
  source: ProbeSource,
): { answer: ProbeAnswerMessage; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const keep = <T extends { buffer: ArrayBufferLike }>(a: T): T => {
    transfer.push(a.buffer as ArrayBuffer);
    return a;
  };
  const answer: ProbeAnswerMessage = {
    step: e.step,
    epoch: e.epoch,
    probeSource: source,
    probeInput: keep(p.input),
    probeInputShape: p.inputShape,
    probeOutput: keep(p.output),
    probeLoss: p.loss,
    probeSaliency: p.saliency && keep(p.saliency.input),
    probeSaliencyClass: p.saliency?.cls,
    layers: p.layers.map((l, index) => ({
      index,
      probeShape: l.shape,
      probeActivation: keep(l.activation),
      probeGradient: keep(l.gradient),
      probeMapImportance: p.saliency?.maps[index] && keep(p.saliency.maps[index]),
    })),
  };
  return { answer, transfer };
}

/** Each row of a one-hot [T, vocab] input as its character (the largest entry's); undefined for other shapes. */
function decodeOneHot(x: Float32Array, shape: readonly number[], chars: readonly string[]): string[] | undefined {
  if (shape.length !== 2 || shape[1] !== chars.length) return undefined;
  const [steps, v] = shape;
  const out: string[] = [];
  for (let t = 0; t < steps; t++) {
    let best = 0;
    for (let k = 1; k < v; k++) if (x[t * v + k] > x[t * v + best]) best = k;
    out.push(chars[best]);
  }
  return out;
}
