import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TelemetryFrameMessage } from '../protocol/telemetry';
import { addFrame, LayerHistory, type LayerSample } from '../protocol/layerHistory';
import { writeFileAtomic } from './atomicWrite';
import { t } from '../l10n';

export interface LayerNormSample {
  readonly step: number;
  readonly gradNorm: number | null;
  readonly weightNorm: number | null;
  readonly updateRatio: number | null;
  readonly nonFinite: number;
}

/**
 * telemetry.json in a run folder: per layer, the gradient and weight norms over the run (so the
 * editor's hover works after the run and after a reload), and the last gradient histogram.
 * NaN/Inf are stored as null in JSON and read back as NaN, never as 0.
 */
export interface TelemetryRecord {
  readonly format: 'glassbox-telemetry/1';
  readonly layers: {
    readonly name: string;
    readonly samples: LayerNormSample[];
    gradientHistogram?: { min: number | null; max: number | null; counts: number[] };
  }[];
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Accumulates frames in memory (per layer a LayerHistory of norm samples, bounded and thinned as the
 * RunStore's is) and writes telemetry.json atomically when asked.
 */
export class TelemetryRecorder {
  private readonly history = new LayerHistory<LayerSample>();
  private readonly names: string[] = [];
  private readonly histograms: TelemetryRecord['layers'][number]['gradientHistogram'][] = [];

  add(frame: TelemetryFrameMessage): void {
    addFrame(this.history, frame);
    for (const l of frame.layers) {
      this.names[l.index] ??= l.name;
      if (l.gradientHistogram)
        this.histograms[l.index] = {
          min: num(l.gradientHistogram.min),
          max: num(l.gradientHistogram.max),
          counts: Array.from(l.gradientHistogram.counts),
        };
    }
  }

  /** The record as written: NaN/Inf become null; layers never sampled stay holes (null in JSON). */
  record(): TelemetryRecord {
    const layers: TelemetryRecord['layers'][number][] = [];
    this.history.layers.forEach((samples, i) => {
      const entry: TelemetryRecord['layers'][number] = {
        name: this.names[i],
        samples: samples.map((s) => ({
          step: s.step,
          gradNorm: num(s.gradNorm),
          weightNorm: num(s.weightNorm),
          updateRatio: num(s.updateRatio),
          nonFinite: s.nonFinite,
        })),
      };
      if (this.histograms[i]) entry.gradientHistogram = this.histograms[i];
      layers[i] = entry;
    });
    return { format: 'glassbox-telemetry/1', layers };
  }

  write(folder: string): void {
    writeFileAtomic(join(folder, 'telemetry.json'), JSON.stringify(this.record()) + '\n');
  }
}

/** Reads telemetry.json; a missing file gives undefined, another format a clear error. */
export function readTelemetryRecord(folder: string): TelemetryRecord | undefined {
  const file = join(folder, 'telemetry.json');
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as TelemetryRecord;
  if (data.format !== 'glassbox-telemetry/1')
    throw new Error(
      t(
        "{0}: unsupported telemetry format '{1}' (this Glassbox reads glassbox-telemetry/1)",
        file,
        String(data.format),
      ),
    );
  return data;
}

/** A stored value back to a number: null (NaN or Inf when written) reads as NaN. */
export function storedNumber(v: number | null): number {
  return v === null ? NaN : v;
}
