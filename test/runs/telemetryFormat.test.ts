import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerFrameMessage, TelemetryFrameMessage } from '../../src/protocol/telemetry';
import { TelemetryRecorder } from '../../src/runs/telemetryRecord';

/** telemetry.json as the recorder wrote it before it shared LayerHistory with the RunStore (9effdbc). */
class ReferenceRecorder {
  readonly record: { format: string; layers: { name: string; samples: unknown[]; gradientHistogram?: unknown }[] } = {
    format: 'glassbox-telemetry/1',
    layers: [],
  };
  add(frame: TelemetryFrameMessage): void {
    const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
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
      const n = entry.samples.length;
      if (n > 512) entry.samples.splice(0, n, ...entry.samples.filter((_, i) => (n - 1 - i) % 2 === 0));
      if (l.gradientHistogram)
        entry.gradientHistogram = {
          min: num(l.gradientHistogram.min),
          max: num(l.gradientHistogram.max),
          counts: Array.from(l.gradientHistogram.counts),
        };
    }
  }
}

/** A small deterministic generator (the test must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('telemetry.json', () => {
  it('is byte for byte what the recorder wrote before LayerHistory (NaN/Inf, missing tensors, sparse layers, thinning)', () => {
    const rand = lcg(42);
    const odd = () => {
      const r = rand();
      return r < 0.05 ? NaN : r < 0.1 ? Infinity : r < 0.12 ? -Infinity : rand() * 10;
    };
    const stat = () => ({
      mean: odd(),
      std: odd(),
      min: odd(),
      max: odd(),
      norm: odd(),
      zeroFraction: rand(),
      nanCount: rand() < 0.1 ? 3 : 0,
      infCount: rand() < 0.1 ? 1 : 0,
    });
    const layer = (index: number): LayerFrameMessage => ({
      index,
      name: `layer${index}`,
      kind: 'Dense',
      activation: stat(),
      activationHistogram: { min: 0, max: 1, counts: new Uint32Array(4) },
      weight: index === 1 ? undefined : stat(),
      gradient: index === 1 ? undefined : stat(),
      gradientHistogram:
        index === 1 || rand() < 0.3 ? undefined : { min: odd(), max: odd(), counts: Uint32Array.from([1, 2, 3]) },
      updateRatio: odd(),
      deadFraction: 0,
      saturatedFraction: 0,
    });
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-telemetry-format-'));
    try {
      const ours = new TelemetryRecorder();
      const reference = new ReferenceRecorder();
      for (let step = 1; step <= 1400; step++) {
        // Layer 2 is never sampled (a hole); layer 3 only in some frames.
        const frame: TelemetryFrameMessage = {
          step,
          epoch: 1,
          loss: 1,
          layers: [layer(0), layer(1), ...(step % 3 === 0 ? [layer(3)] : [])],
        };
        ours.add(frame);
        reference.add(frame);
        if (step % 350 === 0 || step === 513 || step === 1) {
          ours.write(dir);
          assert.equal(
            readFileSync(join(dir, 'telemetry.json'), 'utf8'),
            JSON.stringify(reference.record) + '\n',
            `after ${step} frames`,
          );
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
