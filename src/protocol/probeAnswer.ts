import type { ProbeSource, TelemetryFrameMessage } from './telemetry';

/*
 * The answer to a Probe tab request (worker → host → webview): the probe part of a telemetry
 * frame and nothing else. A full frame also summarises the batch (statistics and histograms per
 * layer, ~20 ms for mnist-cnn while training, since every probe comes after a new batch) and
 * carries every op's value and gradient for the Network tab (176 of its ~300 KB). The answer is
 * what the Probe tab and the Feature Maps view draw: ~100 KB, ~1 ms to build. The next full frame
 * (the worker keeps probing the same input) brings the Network tab's values.
 */

/** One layer's part of the probe: its activation and gradient (a feature-map layer's last [c, h, w]). */
export interface ProbeLayerAnswer {
  readonly index: number;
  readonly probeShape: readonly number[];
  readonly probeActivation: Float32Array;
  readonly probeGradient: Float32Array;
  /** Feature-map layers: per map, Σ activation × ∂(saliency output)/∂activation. */
  readonly probeMapImportance?: Float32Array;
}

/** The probe part of a frame, on the weights after batch `step` (or during the evaluation after it). */
export interface ProbeAnswerMessage {
  readonly step: number;
  readonly epoch: number;
  /** Always set: the request this answers, with the worker's timestamps. */
  readonly probeSource: ProbeSource;
  readonly probeInput: Float32Array;
  readonly probeInputShape: readonly number[];
  readonly probeOutput: Float32Array;
  readonly probeLoss: number;
  readonly probeSaliency?: Float32Array;
  readonly probeSaliencyClass?: number;
  readonly layers: readonly ProbeLayerAnswer[];
}

/**
 * `frame` with its probe part replaced by `answer`'s: what the Probe tab, the Feature Maps view
 * and a later snapshot show. The batch part (statistics, histograms, filters) stays the frame's.
 * The op graph (Network tab) and recurrent sequences are dropped unless the frame probed the same
 * request: the values of another input must not be drawn beside this one; the next full frame
 * brings them.
 */
export function withProbeAnswer(frame: TelemetryFrameMessage, answer: ProbeAnswerMessage): TelemetryFrameMessage {
  const byIndex = new Map(answer.layers.map((l) => [l.index, l]));
  const sameProbe = frame.probeSource?.id !== undefined && frame.probeSource.id === answer.probeSource.id;
  return {
    ...frame,
    probeSource: answer.probeSource,
    probeInput: answer.probeInput,
    probeInputShape: answer.probeInputShape,
    probeOutput: answer.probeOutput,
    probeLoss: answer.probeLoss,
    probeSaliency: answer.probeSaliency,
    probeSaliencyClass: answer.probeSaliencyClass,
    probeOps: sameProbe ? frame.probeOps : undefined,
    layers: frame.layers.map((l) => {
      const p = byIndex.get(l.index);
      return {
        ...l,
        probeShape: p?.probeShape,
        probeActivation: p?.probeActivation,
        probeGradient: p?.probeGradient,
        probeMapImportance: p?.probeMapImportance,
        // A recurrent layer's internals over the probe (Sequence tab) come with full frames only.
        sequence: sameProbe ? l.sequence : undefined,
      };
    }),
  };
}

/**
 * Whether a frame that arrives after `answer` probed an older input: the worker posts an answer
 * before the next batch, and every frame built after it probes that request, so on the way to a
 * view (in order) only a frame built before the answer can carry another probe.
 */
export function probesOlderInput(frame: TelemetryFrameMessage, answer: ProbeAnswerMessage | undefined): boolean {
  return answer !== undefined && frame.probeSource?.id !== answer.probeSource.id;
}
