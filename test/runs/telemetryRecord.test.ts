import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelemetryFrameMessage } from '../../src/protocol/telemetry';
import { readTelemetryRecord, TelemetryRecorder } from '../../src/runs/telemetryRecord';

const stat = (norm: number) => ({ mean: 0, std: 1, min: -1, max: 1, norm, zeroFraction: 0, nanCount: 0, infCount: 0 });
const frame = (step: number): TelemetryFrameMessage => ({
  step,
  epoch: 1,
  loss: 1,
  layers: [
    {
      index: 0,
      name: 'dense1',
      kind: 'Dense',
      activation: stat(1),
      activationHistogram: { min: 0, max: 1, counts: new Uint32Array(4) },
      weight: stat(2),
      gradient: stat(step),
      updateRatio: 0.001,
      deadFraction: 0,
      saturatedFraction: 0,
    },
  ],
});

describe('TelemetryRecorder', () => {
  it('bounds the samples per layer and always keeps the newest (the hover and a restored run show the final norms)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-telemetry-'));
    try {
      const r = new TelemetryRecorder();
      // 513 samples is the first thinning; 770 the second; 1027 the third.
      for (let step = 1; step <= 1027; step++) {
        r.add(frame(step));
        if (step === 513 || step === 770 || step === 1027 || step === 600) {
          r.write(dir);
          const samples = readTelemetryRecord(dir)!.layers[0].samples;
          assert.ok(samples.length <= 512, `${samples.length} samples after ${step} frames`);
          assert.equal(samples[samples.length - 1].step, step, `the newest sample after ${step} frames`);
          assert.equal(samples[samples.length - 1].gradNorm, step);
          assert.ok(
            samples.every((s, i) => i === 0 || s.step > samples[i - 1].step),
            'in step order',
          );
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
