import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TelemetryFrameMessage } from '../../src/protocol/telemetry';
import { decodeFrame, encodeFrame, readFrameRecord, writeFrameRecord } from '../../src/runs/frameRecord';
import { tempDir } from '../helpers/tempDir';

const stat = (norm: number) => ({ mean: 0, std: 1, min: -1, max: 1, norm, zeroFraction: 0, nanCount: 0, infCount: 0 });
const frame = (): TelemetryFrameMessage => ({
  step: 7,
  epoch: 1,
  loss: NaN,
  layers: [
    {
      index: 0,
      name: 'dense',
      kind: 'Dense',
      activation: stat(1),
      activationHistogram: { min: 0, max: 1, counts: Uint32Array.of(1, 2, 3) },
      gradient: stat(Infinity),
      updateRatio: 0.5,
      deadFraction: 0,
      saturatedFraction: 0,
      probeShape: [3],
      probeActivation: Float32Array.of(1.5, NaN, -Infinity),
    },
  ],
  probeOps: [
    {
      layer: 0,
      name: 'WeightMultiply',
      shape: [3],
      value: Float32Array.of(0.1, 0.2, 0.3),
      grad: Float32Array.of(-0, 1e-30, 3),
    },
  ],
  firstNonFinite: { layer: 0, op: 'WeightMultiply' },
});

describe("frame.json (the run's last telemetry frame)", () => {
  it('round-trips a frame exactly: typed arrays bit for bit, NaN and Inf as NaN and Inf (never 0)', () => {
    const dir = tempDir();
    writeFrameRecord(dir, encodeFrame(frame()));
    const back = readFrameRecord(dir);
    assert.ok(back);
    assert.ok(Number.isNaN(back.loss));
    assert.equal(back.layers[0].gradient?.norm, Infinity);
    assert.ok(back.layers[0].probeActivation instanceof Float32Array);
    assert.deepEqual(Array.from(back.layers[0].probeActivation!), [1.5, NaN, -Infinity]);
    assert.deepEqual(back.layers[0].activationHistogram.counts, Uint32Array.of(1, 2, 3));
    assert.deepEqual(back.probeOps?.[0].grad, Float32Array.of(-0, 1e-30, 3));
    assert.deepEqual(back.firstNonFinite, { layer: 0, op: 'WeightMultiply' });
  });

  it('a record without frame.json has no frame; another format is reported, not crashed on', () => {
    const dir = tempDir();
    assert.equal(readFrameRecord(dir), undefined);
    writeFileSync(join(dir, 'frame.json'), JSON.stringify({ format: 'glassbox-frame/9', frame: {} }));
    assert.throws(() => readFrameRecord(dir), /frame\.json: unsupported frame format 'glassbox-frame\/9'/);
    assert.throws(
      () => decodeFrame({ format: 'glassbox-frame/1', frame: { a: { __typed: 'BigInt64Array', base64: '' } } }),
      /unknown array type BigInt64Array/,
    );
  });
});
