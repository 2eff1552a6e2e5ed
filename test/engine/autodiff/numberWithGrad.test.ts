import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e6_6Graph, experimentE6_6 } from '../../../src/engine/autodiff/experimentE6_6';
import { NumberWithGrad } from '../../../src/engine/autodiff/numberWithGrad';

describe("NumberWithGrad: the book's scalar autodiff (Autograd_Simple, E6.6)", () => {
  it('prints 4, 1 and 35 as the notebook does', () => {
    const r = experimentE6_6();
    assert.deepEqual(r.printed, ['4', '1', '35']);
    assert.equal(r.second.eNum, 75);
  });
  it('records its operands and the op that made it; numbers are wrapped', () => {
    const a = new NumberWithGrad(3);
    const b = a.mul(4);
    assert.equal(b.num, 12);
    assert.equal(b.creationOp, 'mul');
    assert.equal(b.dependsOn[0], a);
    assert.ok(b.dependsOn[1] instanceof NumberWithGrad);
    assert.equal(b.dependsOn[1].num, 4);
    // The wrapped constant gets a gradient too: ∂(a·4)/∂4 = a.
    b.backward();
    assert.equal(b.dependsOn[1].grad, 3);
  });
  it('quirk: an intermediate reached twice re-sends its accumulated grad (y = x + x, x = 2a: 6, not 4)', () => {
    const a = new NumberWithGrad(3);
    const x = a.mul(2);
    x.add(x).backward();
    assert.equal(x.grad, 2);
    assert.equal(a.grad, 6);
    // The tensor autodiff on the same expression: var.test.ts ("a node used twice") gives 4.
  });
  it('quirk: nothing is reset, so a second backward() on the same output grows the gradients', () => {
    const a = new NumberWithGrad(3);
    const c = a.mul(4).add(3);
    c.backward();
    assert.equal(a.grad, 4);
    c.backward();
    assert.equal(a.grad, 12);
  });
  it('the tensor autodiff gives the same gradients on the E6.6 expression', () => {
    const g = e6_6Graph();
    g.e.backward();
    assert.equal(g.e.value.data[0], 75);
    assert.equal(g.a.grad?.data[0], 35);
    assert.equal(g.c.grad?.data[0], 5);
    assert.equal(g.d.grad?.data[0], 15);
    assert.equal(g.b.grad?.data[0], 5);
  });
});
