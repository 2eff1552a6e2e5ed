import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bookPatchOrder } from '../../../src/engine/ops/conv2d';

describe('bookPatchOrder (lincoln _param_grad pairing, E5.4 book profile)', () => {
  it('puts the patch of example r mod B at position ⌊r/B⌋ in row r = b·N + hw, for every patch row', () => {
    for (const [batch, k, n] of [
      [1, 3, 4],
      [3, 2, 5],
      [60, 25, 784],
      [7, 1, 9],
    ]) {
      const cols = Float64Array.from({ length: batch * k * n }, (_, i) => i + 0.5);
      const out = bookPatchOrder(cols, batch, k, n);
      assert.ok(out instanceof Float64Array && out.length === cols.length);
      for (let r = 0; r < batch * n; r++)
        for (let row = 0; row < k; row++) {
          const b = Math.floor(r / n),
            hw = r % n;
          const src = r % batch,
            pos = Math.floor(r / batch);
          assert.equal(out[(b * k + row) * n + hw], cols[(src * k + row) * n + pos], `B=${batch} r=${r} row=${row}`);
        }
    }
  });
});
