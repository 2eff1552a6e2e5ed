/*
 * The optimizers' updates side by side: plain SGD's and Adam's JavaScript loops (as optim/sgd.ts
 * and optim/adam.ts ran them before the kernels) against elementwise.wat's `sgd` and `adam`, on the same
 * arena-resident parameters of W4's LSTM (vocabulary 62, hidden 256: four gate matrices
 * [318, 256] and biases, the output layer [256, 62] and its bias, 342,590 floats), alternating
 * the two in rounds in this process. Checks first that both give the same bits.
 *
 *   node out/test/bench/optimizerBench.js [--rounds=15] [--reps=50 (updates per timed round)]
 */
import { loadavg } from 'node:os';
import { WasmArena } from '../../src/engine/kernels/wasm/wasmArena';
import { WasmElementwise } from '../../src/engine/kernels/wasm/wasmElementwise';
import { RandomState } from '../../src/engine/random/randomState';

const arg = (name: string, def: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const rounds = arg('rounds', 15),
  reps = arg('reps', 50);

const SHAPES = [...Array(4).fill(318 * 256), ...Array(4).fill(256), 256 * 62, 62];
const arena = WasmArena.create();
const kernels = arena && WasmElementwise.create(arena);
if (!arena || !kernels) throw new Error('optimizerBench: this runtime has no WebAssembly SIMD with shared memory');
const rng = new RandomState(1);
/** Each parameter with its gradient and Adam's moments, all in the arena as the optimizers keep them. */
const params = SHAPES.map((n) => {
  const [w, g, m, v] = [0, 1, 2, 3].map(() => arena.float32(n));
  rng.fillNormal(w, 0, 0.1);
  rng.fillNormal(g, 0, 1e-3);
  return { w, g, m, v };
});
type Param = (typeof params)[number];
const lr = 0.01;
const adam = { b1: 0.9, b2: 0.999, c1: 1 - 0.9 ** 10, c2: 1 - 0.999 ** 10, lr: 0.001, eps: 1e-8 };

/** [name, the JavaScript loop, the kernel] per optimizer. */
const CONTENDERS: [string, (p: Param) => void, (p: Param) => void][] = [
  [
    'SGD',
    ({ w, g }) => {
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
    },
    ({ w, g }) => {
      if (!kernels.sgd(w, g, lr)) throw new Error('sgd kernel refused arena operands');
    },
  ],
  [
    'Adam',
    ({ w, g, m, v }) => {
      const { b1, b2, c1, c2, eps } = adam;
      for (let i = 0; i < w.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        w[i] -= (adam.lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    },
    ({ w, g, m, v }) => {
      if (!kernels.adam(w, g, m, v, adam)) throw new Error('adam kernel refused arena operands');
    },
  ],
];

/** Same bits: one update each way from the same state. */
function checkBits(js: (p: Param) => void, kernel: (p: Param) => void): void {
  for (const p of params) {
    const saved = [p.w, p.m, p.v].map((x) => Float32Array.from(x));
    js(p);
    const want = [p.w, p.m, p.v].map((x) => Float32Array.from(x));
    [p.w, p.m, p.v].forEach((x, i) => x.set(saved[i]));
    kernel(p);
    [p.w, p.m, p.v].forEach((x, k) => {
      for (let i = 0; i < x.length; i++)
        if (!Object.is(x[i], want[k][i])) throw new Error(`bits differ at ${i}: ${want[k][i]} vs ${x[i]}`);
    });
  }
}

function time(update: (p: Param) => void): number {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) for (const p of params) update(p);
  return (performance.now() - t0) / reps;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const range = (a: number[]) => `rounds ${Math.min(...a).toFixed(3)}–${Math.max(...a).toFixed(3)}`;
const floats = SHAPES.reduce((a, n) => a + n, 0);
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(
  `Optimizer updates of W4's parameters (${floats} floats), ${rounds} alternating rounds of ${reps} updates; load ${load}`,
);
for (const [name, js, kernel] of CONTENDERS) {
  checkBits(js, kernel);
  for (let i = 0; i < 3; i++) {
    time(js);
    time(kernel);
  }
  const a: number[] = [],
    b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(time(js));
    b.push(time(kernel));
  }
  console.log(
    `  ${name}: JavaScript loop ${median(a).toFixed(3)} ms (${range(a)}), wasm kernel ${median(b).toFixed(3)} ms (${range(b)}): ${(median(b) / median(a)).toFixed(3)}× (same bits: checked)`,
  );
}
