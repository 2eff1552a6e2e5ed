import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameRate, NO_FRAMES } from '../../../src/engine/telemetry/frameRate';

describe('FrameRate', () => {
  it('takes no frame before measuring 100 ms of steps, then samples at the asked rate, re-estimated every second', () => {
    const r = new FrameRate(5);
    // The first step is slow (allocation, JIT): it must not set the rate.
    assert.equal(r.update(1, 0), NO_FRAMES);
    assert.equal(r.update(2, 50), undefined);
    // 100 steps in the next 100 ms: 1000 steps/s at 5 frames/s → every 200 steps.
    assert.equal(r.update(101, 100), 200);
    assert.equal(r.update(600, 600), undefined, 'not re-estimated within the second');
    assert.equal(r.update(1101, 1100), 200, 'a second later: still 1000 steps/s');
    // The model slows to 100 steps/s: every 20 steps.
    assert.equal(r.update(1201, 2100), 20);
  });

  it('rate 0 means no frames; slow steps still get at least one frame per step', () => {
    const off = new FrameRate(0);
    off.update(1, 0);
    assert.equal(off.update(3, 200), NO_FRAMES);
    const slow = new FrameRate(20);
    slow.update(1, 0);
    assert.equal(slow.update(2, 2000), 1);
  });
});
