import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { kernelArena, setKernelPreference } from '../../../src/engine/kernels/kernelBackend';
import { lstmBackwardKernel, lstmForwardKernel, lstmFusable } from '../../../src/engine/kernels/lstmKernel';
import { RandomState } from '../../../src/engine/random/randomState';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const hasWasm = (() => {
  setKernelPreference('auto');
  return kernelArena() !== null;
})();

/*
 * The fused LSTM step kernels (elementwise.wat's lstmForward / lstmBackward) against the cell's
 * formulas in float64 (recurrent/lstmCell.ts), on random values wide enough to reach the
 * activations' saturated ends.
 */
describe('LSTM step kernels', { skip: hasWasm ? false : 'this runtime has no WebAssembly backend' }, () => {
  const rows = 5,
    hidden = 12,
    size = rows * hidden;
  const rng = new RandomState(3);
  const arena = () => {
    const a = kernelArena();
    if (!a) throw new Error('no arena');
    return a;
  };
  const values = (n: number, scale: number) => {
    const x = arena().float32(n);
    for (let i = 0; i < n; i++) x[i] = (rng.double() * 2 - 1) * scale;
    return x;
  };
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const close = (x: ArrayLike<number>, ref: ArrayLike<number>, tol: number, what: string) => {
    for (let i = 0; i < ref.length; i++)
      assert.ok(Math.abs(x[i] - ref[i]) <= tol, `${what}[${i}]: ${x[i]} vs ${ref[i]}`);
  };

  it('forward: gates, cell state, tanh(c) and h within 1e-6 of the float64 formulas', () => {
    // The gate products as column blocks of one [rows, 4·hidden] product.
    const block = values(4 * size, 20);
    const view = (k: number) => block.subarray(k * hidden);
    const sAt = (k: number, e: number) => block[Math.floor(e / hidden) * 4 * hidden + k * hidden + (e % hidden)];
    const b = [values(hidden, 1), values(hidden, 1), values(hidden, 1), values(hidden, 1)] as const;
    const cPrev = values(size, 3);
    const gates = [values(size, 1), values(size, 1), values(size, 1), values(size, 1)] as const;
    const out = { c: values(size, 1), tc: values(size, 1), h: values(size, 1) };
    lstmForwardKernel([view(0), view(1), view(2), view(3)], 4 * hidden, b, cPrev, gates, out, rows, hidden);
    const ref = { f: [] as number[], i: [] as number[], g: [] as number[], o: [] as number[], c: [] as number[] };
    const tc: number[] = [],
      h: number[] = [];
    for (let e = 0; e < size; e++) {
      const j = e % hidden;
      const f = sigmoid(sAt(0, e) + b[0][j]),
        i = sigmoid(sAt(1, e) + b[1][j]),
        g = Math.tanh(sAt(2, e) + b[2][j]),
        o = sigmoid(sAt(3, e) + b[3][j]);
      // The cell state from the kernel's own gates (float32), so its error is the products' alone.
      const c = gates[0][e] * cPrev[e] + gates[1][e] * gates[2][e];
      ref.f.push(f);
      ref.i.push(i);
      ref.g.push(g);
      ref.o.push(o);
      ref.c.push(c);
      tc.push(Math.tanh(out.c[e]));
      h.push(gates[3][e] * out.tc[e]);
    }
    close(gates[0], ref.f, 1e-6, 'f');
    close(gates[1], ref.i, 1e-6, 'i');
    close(gates[2], ref.g, 1e-6, 'g');
    close(gates[3], ref.o, 1e-6, 'o');
    close(out.c, ref.c, 1e-6, 'c');
    close(out.tc, tc, 1e-6, 'tc');
    close(out.h, h, 1e-6, 'h');
    // Saturation: σ is exactly 0 or 1 and tanh exactly ±1 far out, never beyond.
    for (const g of gates) for (const v of g) assert.ok(v >= -1 && v <= 1);
  });

  it('backward: gate gradients, dCPrev and the bias gradients (added row after row) within 1e-6 of float64', () => {
    const dH = values(size, 2),
      dCNext = values(size, 2);
    const f = values(size, 1).map(Math.abs),
      i = values(size, 1).map(Math.abs),
      g = values(size, 1),
      o = values(size, 1).map(Math.abs);
    const gates = [arena().float32(size), arena().float32(size), arena().float32(size), arena().float32(size)] as const;
    [f, i, g, o].forEach((x, k) => gates[k].set(x));
    const cPrev = values(size, 3),
      tc = values(size, 1);
    // The gate gradients as column blocks of one [rows, 4·hidden] matrix (the backward's dZ·Wᵀ reads it whole).
    const dsBlock = values(4 * size, 1);
    const ds = [0, 1, 2, 3].map((k) => dsBlock.subarray(k * hidden)) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const dsAt = (k: number, e: number) => dsBlock[Math.floor(e / hidden) * 4 * hidden + k * hidden + (e % hidden)];
    const dCPrev = values(size, 1);
    const db = [values(hidden, 1), values(hidden, 1), values(hidden, 1), values(hidden, 1)] as const;
    const db0 = db.map((x) => Float64Array.from(x));
    lstmBackwardKernel(dH, dCNext, gates, cPrev, tc, ds, 4 * hidden, dCPrev, db, rows, hidden);
    const ref = [new Float64Array(size), new Float64Array(size), new Float64Array(size), new Float64Array(size)];
    const refCPrev = new Float64Array(size);
    for (let e = 0; e < size; e++) {
      const [vf, vi, vg, vo, t] = [gates[0][e], gates[1][e], gates[2][e], gates[3][e], tc[e]];
      const dC = dCNext[e] + dH[e] * vo * (1 - t * t);
      ref[0][e] = dC * cPrev[e] * vf * (1 - vf);
      ref[1][e] = dC * vg * vi * (1 - vi);
      ref[2][e] = dC * vi * (1 - vg * vg);
      ref[3][e] = dH[e] * t * vo * (1 - vo);
      refCPrev[e] = dC * vf;
    }
    ref.forEach((r, k) =>
      close(
        r.map((_, e) => dsAt(k, e)),
        r,
        1e-6,
        `ds${k}`,
      ),
    );
    close(dCPrev, refCPrev, 1e-6, 'dCPrev');
    db.forEach((x, k) => {
      const want = db0[k].map((v, j) => {
        let sum = v;
        for (let r = 0; r < rows; r++) sum += dsAt(k, r * hidden + j);
        return sum;
      });
      close(x, want, 1e-6, `dB${k}`);
    });
    // Without bias gradients nothing else is written.
    const before = db.map((x) => Float32Array.from(x));
    lstmBackwardKernel(dH, dCNext, gates, cPrev, tc, ds, 4 * hidden, dCPrev, null, rows, hidden);
    db.forEach((x, k) => assert.deepEqual(x, before[k]));
  });

  it('fusable only for float32 arrays in the arena and a hidden size that is a multiple of 4', () => {
    const inArena = arena().float32(8);
    assert.equal(lstmFusable(8, [inArena]), true);
    assert.equal(lstmFusable(6, [inArena]), false);
    assert.equal(lstmFusable(8, [new Float32Array(8)]), false);
    assert.equal(lstmFusable(8, [new Float64Array(8)]), false);
  });
});
