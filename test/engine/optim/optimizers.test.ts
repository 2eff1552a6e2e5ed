import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeParam, Param } from '../../../src/engine/ops/operation';
import { AdaGrad } from '../../../src/engine/optim/adaGrad';
import { Adam } from '../../../src/engine/optim/adam';
import { SGD } from '../../../src/engine/optim/sgd';
import { SGDMomentum } from '../../../src/engine/optim/sgdMomentum';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { ValueError } from '../../../src/engine/errors';

function param(w: number, g: number): Param {
  const p = makeParam('W', Tensor.from([[w]]));
  p.grad.data[0] = g;
  return p;
}

describe('optimizer update rules (hand-computed)', () => {
  it('SGD: w ← w − lr·g', () => {
    const p = param(1, 0.5);
    new SGD({ lr: 0.1 }).step([p]);
    assert.equal(p.value.data[0], 1 - 0.05);
  });
  it('SGD momentum, book form: v = μv + lr·g; w −= v', () => {
    const p = param(1, 1);
    const o = new SGDMomentum({ lr: 0.1, momentum: 0.9, form: 'book' });
    o.step([p]); // v = 0.1, w = 0.9
    o.step([p]); // v = 0.09 + 0.1 = 0.19, w = 0.71
    assert.ok(Math.abs(p.value.data[0] - 0.71) < 1e-15);
  });
  it('SGD momentum, modern form: v = μv + g; w −= lr·v (same as book while lr is constant)', () => {
    const p = param(1, 1);
    const o = new SGDMomentum({ lr: 0.1, momentum: 0.9 });
    o.step([p]);
    o.step([p]);
    assert.ok(Math.abs(p.value.data[0] - 0.71) < 1e-15);
  });
  it('AdaGrad, book form: s += ε + g²; w −= lr/√s · g', () => {
    const p = param(1, 2);
    new AdaGrad({ lr: 0.01, form: 'book' }).step([p]);
    assert.ok(Math.abs(p.value.data[0] - (1 - (0.01 / Math.sqrt(1e-7 + 4)) * 2)) < 1e-15);
  });
  it('Adam: the first step moves each weight by about lr against its gradient sign', () => {
    const p = param(1, -3);
    new Adam({ lr: 0.001 }).step([p]);
    assert.ok(Math.abs(p.value.data[0] - 1.001) < 1e-9);
  });
  it('rejects non-finite or non-positive learning rates', () => {
    assert.throws(
      () => new SGD({ lr: NaN }),
      (e: unknown) =>
        e instanceof ValueError && /lr must be a positive finite number, got NaN/.test((e as Error).message),
    );
    assert.throws(() => new SGD({ lr: 0 }), /got 0/);
    assert.throws(() => new SGD({ lr: Infinity }), /got Infinity/);
    assert.throws(() => new SGDMomentum({ lr: 0.1, momentum: NaN }), /momentum/);
  });
});

describe('learning-rate decay per epoch (book-parity §3.6)', () => {
  it('linear: epoch k runs at lr₀ − (k−1)Δ and the last epoch at finalLr', () => {
    const o = new SGD({ lr: 0.15, finalLr: 0.05, decay: 'linear' });
    o.setupDecay(5);
    const lrs = [o.lr];
    for (let e = 1; e < 5; e++) {
      o.decayLr();
      lrs.push(o.lr);
    }
    assert.deepEqual(
      lrs.map((v) => v.toFixed(3)),
      ['0.150', '0.125', '0.100', '0.075', '0.050'],
    );
  });
  it('exponential: lr₀·d^(k−1) with d = (final/lr₀)^(1/(epochs−1))', () => {
    const o = new SGD({ lr: 0.2, finalLr: 0.05, decay: 'exponential' });
    o.setupDecay(3);
    o.decayLr();
    assert.ok(Math.abs(o.lr - 0.1) < 1e-15);
    o.decayLr();
    assert.ok(Math.abs(o.lr - 0.05) < 1e-15);
  });
  it("every: 'step' decays before each batch, from lr at the first to finalLr at the last, and not at epoch ends", () => {
    const lin = new SGD({ lr: 0.1, finalLr: 0.01, decay: 'linear', decayEvery: 'step' });
    lin.setupDecay(2, 3); // 6 steps: t = 0, 0.2, …, 1
    const lrs = [0, 1, 2, 3, 4, 5].map((k) => (lin.beforeStep(k), lin.lr));
    assert.deepEqual(
      lrs.map((v) => v.toFixed(3)),
      ['0.100', '0.082', '0.064', '0.046', '0.028', '0.010'],
    );
    lin.decayLr();
    assert.equal(lin.lr, lrs[5]);
    const exp = new SGD({ lr: 0.1, finalLr: 0.001, decay: 'exponential', decayEvery: 'step' });
    exp.setupDecay(1, 3);
    exp.beforeStep(1);
    assert.ok(Math.abs(exp.lr - 0.01) < 1e-15);
  });
  it('no decay when finalLr is 0, as the book', () => {
    const o = new SGD({ lr: 0.2, decay: 'linear' });
    o.setupDecay(10);
    o.decayLr();
    assert.equal(o.lr, 0.2);
  });
});

describe('gradient clipping (the chapter 6 RNNOptimizer, clip = 2)', () => {
  it('clips every gradient element to [−clip, clip] in place before an SGD update', () => {
    const p = makeParam('W', Tensor.from([[1, 1, 1]]));
    p.grad.data.set([5, -0.5, -7]);
    new SGD({ lr: 0.1, clip: 2 }).step([p]);
    assert.deepEqual(Array.from(p.grad.data), [2, -0.5, -2]);
    assert.deepEqual(Array.from(p.value.data), [1 - 0.2, 1 + 0.05, 1 + 0.2]);
  });
  it('AdaGrad (book form) accumulates the clipped gradient', () => {
    const p = param(1, 10);
    new AdaGrad({ lr: 0.01, form: 'book', clip: 2 }).step([p]);
    assert.ok(Math.abs(p.value.data[0] - (1 - (0.01 / Math.sqrt(1e-7 + 4)) * 2)) < 1e-15);
  });
  it('leaves gradients alone by default', () => {
    const p = param(1, 10);
    new SGD({ lr: 0.1 }).step([p]);
    assert.equal(p.value.data[0], 0);
  });
  it('rejects a non-positive clip', () => {
    assert.throws(() => new SGD({ lr: 0.1, clip: 0 }), ValueError);
  });
});
