import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LayerHistory, MAX_LAYER_SAMPLES, thinKeepingNewest } from '../../src/protocol/layerHistory';

describe('LayerHistory', () => {
  it('bounds each layer at its capacity, thinning 2:1 and keeping the newest sample', () => {
    const h = new LayerHistory<{ step: number }>();
    for (let step = 1; step <= 5000; step++) {
      h.add(0, { step });
      h.add(2, { step: step * 10 });
      const l = h.layer(0)!;
      assert.ok(l.length <= MAX_LAYER_SAMPLES);
      assert.equal(l[l.length - 1].step, step);
    }
    assert.equal(h.layer(1), undefined);
    assert.equal(h.copy()[1].length, 0);
    const l = h.layer(0)!;
    assert.ok(l.every((s, i) => i === 0 || s.step > l[i - 1].step));
    // 513 → 257 kept; then +255 → 512; 513 → 257 ...: always more than half the capacity.
    assert.ok(l.length > MAX_LAYER_SAMPLES / 2);
  });

  it('thins like the telemetry.json writer always did: the later of each pair, paired from the end', () => {
    const a = [1, 2, 3, 4, 5];
    thinKeepingNewest(a);
    assert.deepEqual(a, [1, 3, 5]);
    const b = [1, 2, 3, 4];
    thinKeepingNewest(b);
    assert.deepEqual(b, [2, 4]);
    const ref = (x: number[]) => x.filter((_, i) => (x.length - 1 - i) % 2 === 0);
    for (let n = 0; n < 40; n++) {
      const x = Array.from({ length: n }, (_, i) => i);
      const y = x.slice();
      thinKeepingNewest(y);
      assert.deepEqual(y, ref(x));
    }
  });

  it('replace cuts to the newest `capacity` samples; copies do not change with the history', () => {
    const h = new LayerHistory<{ step: number }>(4);
    h.replace([Array.from({ length: 10 }, (_, i) => ({ step: i }))]);
    assert.deepEqual(
      h.layer(0)!.map((s) => s.step),
      [6, 7, 8, 9],
    );
    const c = h.copy();
    h.add(0, { step: 10 });
    assert.equal(c[0].length, 4);
    h.clear();
    assert.equal(h.layers.length, 0);
  });
});
