/*
 * Per-layer history of a run, bounded: the one implementation behind the run record's
 * telemetry.json (src/runs/telemetryRecord.ts) and the extension's RunStore (hover sparklines,
 * inlay hints, the doctor, the Layers tab's snapshot). No imports beyond src/protocol: the host, the
 * worker and the CLI may all use it.
 */
import type { LayerFrameMessage, StatsMessage, TelemetryFrameMessage } from './telemetry';

/** Most samples kept per layer; past it the history is thinned 2:1. */
export const MAX_LAYER_SAMPLES = 512;

/** A layer's norms at one sampled step (NaN where the layer has no such tensor). */
export interface LayerSample {
  readonly step: number;
  readonly gradNorm: number;
  readonly weightNorm: number;
  readonly updateRatio: number;
  /** NaN/Inf values in the layer's weights, gradients or activations at this step. */
  readonly nonFinite: number;
}

/** A layer's distribution summaries at one sampled step (the Layers tab). */
export interface LayerStatsSample {
  readonly step: number;
  readonly activation: StatsMessage;
  readonly weight?: StatsMessage;
  readonly gradient?: StatsMessage;
}

/**
 * Samples per layer index, each list bounded by `capacity`: when a list grows past it, every other
 * sample is dropped — the later of each pair, paired from the end, is kept, so the newest sample
 * always stays and the list keeps its shape at half the resolution.
 */
export class LayerHistory<T extends { readonly step: number }> {
  private readonly lists: T[][] = [];

  constructor(readonly capacity = MAX_LAYER_SAMPLES) {}

  add(layer: number, sample: T): void {
    const list = (this.lists[layer] ??= []);
    list.push(sample);
    if (list.length > this.capacity) thinKeepingNewest(list);
  }

  /** The samples of one layer, oldest first (a live view: do not modify). */
  layer(index: number): readonly T[] | undefined {
    return this.lists[index];
  }

  /** Per layer index (holes where a layer has no sample), oldest first (live views). */
  get layers(): readonly (readonly T[])[] {
    return this.lists;
  }

  /** A copy of every layer's list (for a snapshot that must not change afterwards). */
  copy(): T[][] {
    return Array.from(this.lists, (l) => (l ? l.slice() : []));
  }

  /** Replaces everything with `layers` (each cut to its newest `capacity` samples). */
  replace(layers: readonly (readonly T[])[]): void {
    this.lists.length = 0;
    layers.forEach((l, i) => (this.lists[i] = l.slice(-this.capacity)));
  }

  clear(): void {
    this.lists.length = 0;
  }
}

/** Keeps every other element in place: the later of each pair, pairing from the end. */
export function thinKeepingNewest<T>(a: T[]): void {
  let w = 0;
  for (let i = (a.length + 1) % 2; i < a.length; i += 2) a[w++] = a[i];
  a.length = w;
}

const badCount = (x?: { nanCount: number; infCount: number }): number => (x ? x.nanCount + x.infCount : 0);

/** One layer of a frame as a norm sample (what the hover, the doctor and telemetry.json keep). */
export function layerSample(step: number, l: LayerFrameMessage): LayerSample {
  return {
    step,
    gradNorm: l.gradient?.norm ?? NaN,
    weightNorm: l.weight?.norm ?? NaN,
    updateRatio: l.updateRatio,
    nonFinite: badCount(l.gradient) + badCount(l.weight) + badCount(l.activation),
  };
}

/** One layer of a frame as a distribution sample (the Layers tab). */
export function layerStatsSample(step: number, l: LayerFrameMessage): LayerStatsSample {
  return { step, activation: l.activation, weight: l.weight, gradient: l.gradient };
}

/** Adds every layer of `frame` to a norm history. */
export function addFrame(history: LayerHistory<LayerSample>, frame: TelemetryFrameMessage): void {
  for (const l of frame.layers) history.add(l.index, layerSample(frame.step, l));
}
