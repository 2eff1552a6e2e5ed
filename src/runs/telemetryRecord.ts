import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TelemetryFrameMessage } from '../protocol/telemetry';
import { writeFileAtomic } from './atomicWrite';

/** Most samples kept per layer in telemetry.json (thinned 2:1 beyond it). */
const MAX_SAMPLES = 512;

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

/** Accumulates frames in memory and writes telemetry.json atomically when asked. */
export class TelemetryRecorder {
  private readonly record: TelemetryRecord = { format: 'glassbox-telemetry/1', layers: [] };

  add(frame: TelemetryFrameMessage): void {
    for (const l of frame.layers) {
      const entry = (this.record.layers[l.index] ??= { name: l.name, samples: [] });
      const bad = (x?: { nanCount: number; infCount: number }) => (x ? x.nanCount + x.infCount : 0);
      entry.samples.push({
        step: frame.step,
        gradNorm: l.gradient ? num(l.gradient.norm) : null,
        weightNorm: l.weight ? num(l.weight.norm) : null,
        updateRatio: num(l.updateRatio),
        nonFinite: bad(l.gradient) + bad(l.weight) + bad(l.activation),
      });
      // Thinned 2:1 keeping the later of each pair, paired from the end: the newest sample stays.
      const n = entry.samples.length;
      if (n > MAX_SAMPLES) entry.samples.splice(0, n, ...entry.samples.filter((_, i) => (n - 1 - i) % 2 === 0));
      if (l.gradientHistogram)
        entry.gradientHistogram = {
          min: num(l.gradientHistogram.min),
          max: num(l.gradientHistogram.max),
          counts: Array.from(l.gradientHistogram.counts),
        };
    }
  }

  write(folder: string): void {
    writeFileAtomic(join(folder, 'telemetry.json'), JSON.stringify(this.record) + '\n');
  }
}

/** Reads telemetry.json; a missing file gives undefined, another format a clear error. */
export function readTelemetryRecord(folder: string): TelemetryRecord | undefined {
  const file = join(folder, 'telemetry.json');
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as TelemetryRecord;
  if (data.format !== 'glassbox-telemetry/1')
    throw new Error(
      `${file}: unsupported telemetry format '${String(data.format)}' (this Glassbox reads glassbox-telemetry/1)`,
    );
  return data;
}

/** A stored value back to a number: null (NaN or Inf when written) reads as NaN. */
export function storedNumber(v: number | null): number {
  return v === null ? NaN : v;
}
