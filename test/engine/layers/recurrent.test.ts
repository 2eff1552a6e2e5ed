import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../../src/engine/errors';
import { formatFailures, gradCheck } from '../../../src/engine/gradcheck/gradCheck';
import { GRU } from '../../../src/engine/layers/gru';
import { LSTM } from '../../../src/engine/layers/lstm';
import type { RecurrentArgs, RecurrentLayer } from '../../../src/engine/layers/recurrentLayer';
import { RNN } from '../../../src/engine/layers/rnn';
import type { ForwardMode } from '../../../src/engine/ops/operation';
import { BOOK, MODERN, Profile } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { randn } from '../helpers/gradHelpers';

const KINDS = { RNN, LSTM, GRU } as const;
type Kind = keyof typeof KINDS;
const T = 4,
  F = 3,
  HIDDEN = 5,
  OUT = 4;

function built(kind: Kind, args: Partial<RecurrentArgs> = {}, profile: Profile = MODERN, seed = 5): RecurrentLayer {
  const layer = new KINDS[kind]({ hiddenSize: HIDDEN, outputSize: OUT, ...args });
  layer.build([T, F], { rng: new RandomState(seed), profile, dtype: 'float64', seed });
  return layer;
}

function mode(profile: Profile = MODERN): ForwardMode {
  return { training: true, rng: new RandomState(1), profile };
}

/**
 * Gradient check of dL/dx and every parameter through all T steps (BPTT). `carried` is the
 * state each call starts from in 'carry' mode, restored before every forward because a forward
 * replaces it.
 */
function checkRecurrent(layer: RecurrentLayer, x: Tensor, carried?: Tensor[]): void {
  const params = layer.params();
  const tensors: Record<string, Tensor> = { x };
  params.forEach((p) => (tensors[p.name] = p.value));
  const forward = () => {
    if (carried) layer.carriedState = carried.map((c) => c.clone());
    return layer.forward(x, mode());
  };
  const failures = gradCheck(
    tensors,
    () => forward().y,
    (dy) => {
      for (const p of params) p.grad.data.fill(0);
      const out: Record<string, Tensor> = { x: layer.backward(dy, forward().tape) };
      params.forEach((p) => (out[p.name] = p.grad.clone()));
      return out;
    },
    { maxPoints: 40 },
  );
  assert.equal(failures.length, 0, `${layer.kind} gradient check failed:\n${formatFailures(failures)}`);
  for (const p of params)
    assert.ok(
      p.grad.data.some((v) => v !== 0),
      `${layer.kind}: ${p.name} got no gradient`,
    );
}

/** The carried state, read through a call (TypeScript narrows the property after `= null`). */
function stateOf(layer: RecurrentLayer): Tensor[] {
  const s = layer.carriedState;
  assert.ok(s);
  return s;
}

function carriedState(kind: Kind, seed: number): Tensor[] {
  return Array.from({ length: kind === 'LSTM' ? 2 : 1 }, (_, k) => randn([1, HIDDEN], seed + k, 0.8));
}

describe('recurrent layers: numeric gradient checks through time (float64, batch 3, T 4)', () => {
  for (const kind of Object.keys(KINDS) as Kind[]) {
    it(`${kind}, zero initial state (modern)`, () => checkRecurrent(built(kind), randn([3, T, F], 1)));
    it(`${kind}, carried non-zero initial state (book profile)`, () => {
      const layer = built(kind, { weightScale: 0.4 }, BOOK);
      assert.equal(layer.stateMode, 'carry');
      checkRecurrent(layer, randn([3, T, F], 2), carriedState(kind, 9));
    });
  }
});

describe('recurrent layers: behaviour', () => {
  for (const kind of Object.keys(KINDS) as Kind[]) {
    it(`${kind}: [batch, T, features] → [batch, T, outputSize]`, () => {
      const { y } = built(kind).forward(randn([2, T, F], 1), mode());
      assert.deepEqual(y.shape, [2, T, OUT]);
    });
    it(`${kind}: backwardInput leaves parameter gradients untouched; backwardParamsOnly matches backward`, () => {
      const layer = built(kind);
      const x = randn([2, T, F], 1),
        dy = randn([2, T, OUT], 2);
      const { tape } = layer.forward(x, mode());
      layer.params().forEach((p) => p.grad.data.fill(0));
      const dx = layer.backward(dy, tape);
      const grads = layer.params().map((p) => p.grad.clone().data);
      layer.params().forEach((p) => p.grad.data.fill(0));
      assert.deepEqual(layer.backwardInput(dy, tape).data, dx.data);
      assert.ok(layer.params().every((p) => p.grad.data.every((v) => v === 0)));
      layer.backwardParamsOnly(dy, tape);
      layer.params().forEach((p, i) => assert.deepEqual(p.grad.data, grads[i], p.name));
    });
    it(`${kind}: carry mode with batch 1 continues a sequence split across two calls exactly`, () => {
      const layer = built(kind, { state: 'carry' });
      const x = randn([1, T, F], 3);
      const whole = layer.forward(x, mode()).y;
      layer.carriedState = null;
      const first = layer.forward(new Tensor([1, 2, F], x.data.slice(0, 2 * F)), mode()).y;
      const second = layer.forward(new Tensor([1, 2, F], x.data.slice(2 * F)), mode()).y;
      const split = [...first.data, ...second.data];
      whole.data.forEach((v, i) => assert.ok(Math.abs(v - split[i]) < 1e-12, `${i}: ${v} vs ${split[i]}`));
    });
    it(`${kind}: carry mode keeps the batch mean of the final state; zero mode ignores it`, () => {
      const layer = built(kind, { state: 'carry' });
      const x = randn([2, T, F], 4);
      const rowState = (r: number) => {
        layer.carriedState = null;
        layer.forward(new Tensor([1, T, F], x.data.slice(r * T * F, (r + 1) * T * F)), mode());
        return stateOf(layer);
      };
      const s0 = rowState(0),
        s1 = rowState(1);
      layer.carriedState = null;
      layer.forward(x, mode());
      const mean = stateOf(layer);
      mean.forEach((m, k) =>
        m.data.forEach((v, j) => assert.ok(Math.abs(v - (s0[k].data[j] + s1[k].data[j]) / 2) < 1e-12)),
      );
      const again = layer.forward(x, mode()).y;
      layer.stateMode = 'zero';
      const fresh = layer.forward(x, mode()).y;
      layer.carriedState = null;
      layer.stateMode = 'carry';
      const first = layer.forward(x, mode()).y;
      assert.deepEqual(fresh.data, first.data, 'zero mode starts where a carry-mode call with no state does');
      assert.notDeepEqual(again.data, first.data, 'a carried state changes the next call');
    });
    it(`${kind}: refuses an input that is not [batch, T, ${F}]`, () => {
      assert.throws(
        () => built(kind).forward(randn([2, F], 1), mode()),
        (e: unknown) => e instanceof ShapeError && e.message.includes(kind) && e.message.includes('[2, 3]'),
      );
    });
  }
});

describe('recurrent layers: initialisation', () => {
  /** The values N(0, std_k) draws of these shapes give, in order, from a fresh stream. */
  function expectedDraws(seed: number, shapes: number[][], stds: number[]): Float64Array[] {
    const rng = new RandomState(seed);
    return shapes.map((s, k) => {
      const d = new Float64Array(s.reduce((a, b) => a * b, 1));
      rng.fillNormal(d, 0, stds[k]);
      return d;
    });
  }
  const zh = [F + HIDDEN, HIDDEN],
    bh = [1, HIDDEN],
    wv = [HIDDEN, OUT],
    bv = [1, OUT];

  it('book LSTM draws W_f, B_f, W_i, B_i, W_c, B_c, W_o, B_o, W_v, B_v with std 0.01 (RNN_DLFS LSTMLayer)', () => {
    const layer = built('LSTM', {}, BOOK, 42);
    const params = layer.params();
    assert.deepEqual(
      params.map((p) => p.name),
      ['W_f', 'B_f', 'W_i', 'B_i', 'W_c', 'B_c', 'W_o', 'B_o', 'W_v', 'B_v'],
    );
    const want = expectedDraws(42, [zh, bh, zh, bh, zh, bh, zh, bh, wv, bv], Array(10).fill(0.01));
    params.forEach((p, i) => assert.deepEqual(p.value.data, want[i], p.name));
  });
  it('book RNN draws W_f, B_f, W_v, B_v with std 2/(features + outputSize)', () => {
    const params = built('RNN', {}, BOOK, 42).params();
    assert.deepEqual(
      params.map((p) => p.name),
      ['W_f', 'B_f', 'W_v', 'B_v'],
    );
    const want = expectedDraws(42, [zh, bh, wv, bv], Array(4).fill(2 / (F + OUT)));
    params.forEach((p, i) => assert.deepEqual(p.value.data, want[i], p.name));
  });
  it('book GRU draws in the book order, with B_h, W_v and B_v at std 1 whatever the weight scale', () => {
    const params = built('GRU', { weightScale: 0.1 }, BOOK, 42).params();
    assert.deepEqual(
      params.map((p) => p.name),
      ['W_xr', 'W_hr', 'B_r', 'W_xu', 'W_hu', 'B_u', 'W_xh', 'W_hh', 'B_h', 'W_v', 'B_v'],
    );
    const x = [F, HIDDEN],
      h = [HIDDEN, HIDDEN];
    const want = expectedDraws(
      42,
      [x, h, bh, x, h, bh, x, h, bh, wv, bv],
      [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1, 1, 1],
    );
    params.forEach((p, i) => assert.deepEqual(p.value.data, want[i], p.name));
  });
  it('modern layers start from zero state, zero biases and Glorot weights', () => {
    const layer = built('LSTM');
    assert.equal(layer.stateMode, 'zero');
    for (const p of layer.params()) {
      if (p.name.startsWith('B'))
        assert.ok(
          p.value.data.every((v) => v === 0),
          p.name,
        );
      else
        assert.ok(
          p.value.data.some((v) => v !== 0),
          p.name,
        );
    }
  });
});
