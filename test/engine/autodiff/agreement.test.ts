import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { concatColumns, sliceColumns } from '../../../src/engine/autodiff/columns';
import { add, multiply, subtract } from '../../../src/engine/autodiff/elementwise';
import { matmul } from '../../../src/engine/autodiff/matmul';
import { sum } from '../../../src/engine/autodiff/reduce';
import { relu, sigmoid, tanh } from '../../../src/engine/autodiff/unary';
import { constant, Var, variable } from '../../../src/engine/autodiff/var';
import { Dense } from '../../../src/engine/layers/dense';
import { GRU } from '../../../src/engine/layers/gru';
import { LSTM } from '../../../src/engine/layers/lstm';
import type { RecurrentLayer } from '../../../src/engine/layers/recurrentLayer';
import { RNN } from '../../../src/engine/layers/rnn';
import type { ForwardMode, Param } from '../../../src/engine/ops/operation';
import { BOOK, MODERN, Profile } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import type { DrawParam, RecurrentCell } from '../../../src/engine/recurrent/recurrentCell';
import { GRUCell } from '../../../src/engine/recurrent/gruCell';
import { LSTMCell } from '../../../src/engine/recurrent/lstmCell';
import { RNNCell } from '../../../src/engine/recurrent/rnnCell';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { randn } from '../helpers/gradHelpers';

/*
 * The same computation twice: once with the engine's layers and cells and their hand-written
 * backward passes, once from autodiff primitives with copies of the same weights. Every
 * parameter gradient and the input gradient must agree to 1e-10 (float64).
 */
const TOL = 1e-10;
const B = 3,
  F = 4,
  H = 5;

const mode = (profile: Profile = MODERN): ForwardMode => ({ training: true, rng: new RandomState(1), profile });

function maxAbsDiff(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

/** Compares named gradients; returns the largest difference (reported as a test diagnostic). */
function compare(engine: Record<string, Tensor>, auto: Record<string, Var>): number {
  let worst = 0;
  for (const [name, g] of Object.entries(engine)) {
    const v = auto[name];
    assert.ok(v?.grad, `autodiff has no gradient for ${name}`);
    assert.ok(
      g.data.some((x) => x !== 0),
      `${name}: the engine's gradient is all zero (nothing compared)`,
    );
    const d = maxAbsDiff(g, v.grad);
    assert.ok(d <= TOL, `${name}: max |engine − autodiff| = ${d}`);
    worst = Math.max(worst, d);
  }
  return worst;
}

/** Autodiff leaves over copies of the engine's parameter values, by name. */
function leaves(params: readonly Param[]): Record<string, Var> {
  const out: Record<string, Var> = {};
  for (const p of params) out[p.name] = variable(p.value.clone(), p.name);
  return out;
}

function paramGrads(params: readonly Param[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const p of params) out[p.name] = p.grad.clone();
  return out;
}

/** L = Σ y ⊙ dy: its gradient with respect to y is dy, the upstream gradient given to the engine. */
const dot = (y: Var, dy: Tensor): Var => sum(multiply(y, constant(dy)));

describe('autodiff agrees with the hand-written backward passes (float64, ≤ 1e-10)', () => {
  for (const act of ['linear', 'sigmoid', 'tanh', 'relu'] as const) {
    it(`Dense: act(x·W + B), ${act}`, (t) => {
      const layer = new Dense({ units: H, activation: act });
      layer.build([F], { rng: new RandomState(3), profile: MODERN, dtype: 'float64', seed: 3 });
      const params = layer.params();
      params.forEach((p, k) => p.value.data.set(randn(p.value.shape as number[], 40 + k).data));
      const x = randn([B, F], 4),
        dy = randn([B, H], 5);
      const { tape } = layer.forward(x, mode());
      const dx = layer.backward(dy, tape);
      const v = leaves(params);
      const xv = variable(x.clone(), 'x');
      const pre = add(matmul(xv, v.W), v.B);
      const y = act === 'linear' ? pre : { sigmoid, tanh, relu }[act](pre);
      assert.ok(maxAbsDiff(y.value, tape.y) <= TOL);
      dot(y, dy).backward();
      t.diagnostic(`max abs diff ${compare({ ...paramGrads(params), x: dx }, { ...v, x: xv })}`);
    });
  }

  /** One step of each cell, from autodiff primitives, in the engine's parameter layout. */
  const steps: Record<string, (x: Var, s: Var[], p: Record<string, Var>) => Var[]> = {
    RNN: (x, [h], p) => [tanh(add(matmul(concatColumns([x, h]), p.W_f), p.B_f))],
    LSTM: (x, [h, c], p) => {
      const z = concatColumns([x, h]);
      const gate = (k: string) => add(matmul(z, p[`W_${k}`]), p[`B_${k}`]);
      const f = sigmoid(gate('f')),
        i = sigmoid(gate('i')),
        cBar = tanh(gate('c')),
        o = sigmoid(gate('o'));
      const cNew = add(multiply(f, c), multiply(i, cBar));
      return [multiply(o, tanh(cNew)), cNew];
    },
    GRU: (x, [h], p) => {
      const gate = (k: string, hIn: Var) => add(add(matmul(x, p[`W_x${k}`]), matmul(hIn, p[`W_h${k}`])), p[`B_${k}`]);
      const r = sigmoid(gate('r', h)),
        u = sigmoid(gate('u', h));
      const hBar = tanh(gate('h', multiply(r, h)));
      return [add(hBar, multiply(u, subtract(h, hBar)))];
    },
  };

  const cells: Record<string, (draw: DrawParam) => RecurrentCell> = {
    RNN: (draw) => new RNNCell(F, H, draw),
    LSTM: (draw) => new LSTMCell(F, H, draw),
    GRU: (draw) => new GRUCell(F, H, draw),
  };

  for (const kind of ['RNN', 'LSTM', 'GRU']) {
    it(`${kind} cell, one step: dL/dx, dL/d(state in) and every parameter`, (t) => {
      let seed = 100;
      const cell = cells[kind]((_n, shape) => randn([...shape], seed++, 0.6));
      const x = randn([B, F], 1);
      const state = Array.from({ length: cell.stateCount }, (_, k) => randn([B, H], 2 + k));
      const dState = Array.from({ length: cell.stateCount }, (_, k) => randn([B, H], 7 + k));
      const out = cell.step(x, state, mode());
      const back = cell.backStep(dState, out.tape, true);
      const v = leaves(cell.params);
      const xv = variable(x.clone(), 'x');
      const sv = state.map((s, k) => variable(s.clone(), `s${k}`));
      const next = steps[kind](xv, sv, v);
      next.forEach((n, k) => assert.ok(maxAbsDiff(n.value, out.state[k]) <= TOL));
      next
        .map((n, k) => dot(n, dState[k]))
        .reduce((a, b) => add(a, b))
        .backward();
      const engine: Record<string, Tensor> = { ...paramGrads(cell.params), x: back.dx };
      back.dState.forEach((d, k) => (engine[`s${k}`] = d));
      const auto: Record<string, Var> = { ...v, x: xv };
      sv.forEach((s, k) => (auto[`s${k}`] = s));
      t.diagnostic(`max abs diff ${compare(engine, auto)}`);
    });
  }

  it('LSTM step with the four gates fused into one product and sliced apart (concat + slice)', (t) => {
    let seed = 200;
    const cell = new LSTMCell(F, H, (_n, shape) => randn([...shape], seed++, 0.6));
    const x = randn([B, F], 1),
      h = randn([B, H], 2),
      c = randn([B, H], 3),
      dH = randn([B, H], 4),
      dC = randn([B, H], 5);
    const out = cell.step(x, [h, c], mode());
    const back = cell.backStep([dH, dC], out.tape, true);
    const v = leaves(cell.params);
    const gates = ['f', 'i', 'c', 'o'];
    // [in + H, 4H] and [1, 4H]: one matrix product for all gates, as fused LSTM kernels do.
    const w = concatColumns(gates.map((k) => v[`W_${k}`]));
    const b = concatColumns(gates.map((k) => v[`B_${k}`]));
    const xv = variable(x.clone(), 'x'),
      hv = variable(h.clone(), 'h'),
      cv = variable(c.clone(), 'c');
    const pre = add(matmul(concatColumns([xv, hv]), w), b);
    const [f, i, cBar, o] = gates.map((_, k) => sliceColumns(pre, k * H, (k + 1) * H));
    const cNew = add(multiply(sigmoid(f), cv), multiply(sigmoid(i), tanh(cBar)));
    const hNew = multiply(sigmoid(o), tanh(cNew));
    add(dot(hNew, dH), dot(cNew, dC)).backward();
    const [dHIn, dCIn] = back.dState;
    t.diagnostic(
      `max abs diff ${compare({ ...paramGrads(cell.params), x: back.dx, h: dHIn, c: dCIn }, { ...v, x: xv, h: hv, c: cv })}`,
    );
  });

  const layers = { RNN, LSTM, GRU } as const;
  for (const kind of ['RNN', 'LSTM', 'GRU'] as const) {
    for (const profile of [MODERN, BOOK]) {
      const T = 4,
        OUT = 3;
      it(`${kind} layer over T = ${T} steps (BPTT, output projection, ${profile === BOOK ? 'carried non-zero initial state, book profile' : 'zero initial state'})`, (t) => {
        const layer: RecurrentLayer = new layers[kind]({ hiddenSize: H, outputSize: OUT, weightScale: 0.5 });
        layer.build([T, F], { rng: new RandomState(9), profile, dtype: 'float64', seed: 9 });
        const params = layer.params();
        params.forEach((p, k) => p.value.data.set(randn(p.value.shape as number[], 60 + k, 0.5).data));
        const stateCount = kind === 'LSTM' ? 2 : 1;
        // The book profile starts each call from the batch mean of the last one: [1, H], a constant.
        const initial =
          profile === BOOK
            ? Array.from({ length: stateCount }, (_, k) => randn([1, H], 30 + k))
            : Array.from({ length: stateCount }, () => Tensor.zeros([B, H], 'float64'));
        if (profile === BOOK) layer.carriedState = initial.map((s) => s.clone());
        const x = randn([B, T, F], 11),
          dy = randn([B, T, OUT], 12);
        const { y, tape } = layer.forward(x, mode(profile));
        for (const p of params) p.grad.data.fill(0);
        const dx = layer.backward(dy, tape);

        const v = leaves(params);
        const at = (s: Tensor, t: number, w: number) => {
          const o = Tensor.zeros([B, w], 'float64');
          for (let r = 0; r < B; r++) o.data.set(s.data.subarray((r * T + t) * w, (r * T + t + 1) * w), r * w);
          return o;
        };
        const xs = Array.from({ length: T }, (_, t) => variable(at(x, t, F), `x${t}`));
        // The book's np.repeat(start_H, batch): concatColumns needs equal leading axes.
        const repeat = (s: Tensor) => {
          const o = Tensor.zeros([B, H], 'float64');
          for (let r = 0; r < B; r++) o.data.set(s.data.subarray(0, H), r * H);
          return o;
        };
        let state: Var[] = initial.map((s) => constant(repeat(s)));
        let loss: Var | null = null;
        for (let s = 0; s < T; s++) {
          state = steps[kind](xs[s], state, v);
          const out = add(matmul(state[0], v.W_v), v.B_v);
          assert.ok(maxAbsDiff(out.value, at(y, s, OUT)) <= TOL);
          const term = dot(out, at(dy, s, OUT));
          loss = loss ? add(loss, term) : term;
        }
        assert.ok(loss);
        loss.backward();
        const engine: Record<string, Tensor> = paramGrads(params);
        const auto: Record<string, Var> = { ...v };
        xs.forEach((xt, s) => {
          engine[`x${s}`] = at(dx, s, F);
          auto[`x${s}`] = xt;
        });
        t.diagnostic(`max abs diff ${compare(engine, auto)}`);
      });
    }
  }
});
