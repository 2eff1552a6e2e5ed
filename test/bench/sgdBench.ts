/*
 * Plain SGD's update side by side: the optimizer's JavaScript loop (`w[i] -= lr * g[i]`, as
 * optim/sgd.ts ran it before the kernel) against elementwise.wat's `sgd` kernel, on the same
 * arena-resident parameters of W4's LSTM (vocabulary 62, hidden 256: four gate matrices
 * [318, 256] and biases, the output layer [256, 62] and its bias, 342,590 floats), alternating
 * the two in rounds in this process. Checks first that both give the same bits.
 *
 *   node out/test/bench/sgdBench.js [--rounds=15] [--reps=50 (updates per timed round)]
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
if (!arena || !kernels) throw new Error('sgdBench: this runtime has no WebAssembly SIMD with shared memory');
const rng = new RandomState(1);
const params = SHAPES.map((n) => {
  const w = arena.float32(n),
    g = arena.float32(n);
  rng.fillNormal(w, 0, 0.1);
  rng.fillNormal(g, 0, 1e-3);
  return { w, g };
});
const lr = 0.01;

function jsLoop(w: Float32Array, g: Float32Array): void {
  for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
}
const kernel = (w: Float32Array, g: Float32Array) => {
  if (!kernels.sgd(w, g, lr)) throw new Error('sgd kernel refused arena operands');
};

// Same bits: one update each on copies.
for (const { w, g } of params) {
  const a = Float32Array.from(w);
  jsLoop(a, g);
  const saved = Float32Array.from(w);
  kernel(w, g);
  for (let i = 0; i < w.length; i++)
    if (Object.is(a[i], w[i]) === false) throw new Error(`bits differ at ${i}: ${a[i]} vs ${w[i]}`);
  w.set(saved);
}

function time(update: (w: Float32Array, g: Float32Array) => void): number {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) for (const { w, g } of params) update(w, g);
  return (performance.now() - t0) / reps;
}
// Warm-up (JIT).
for (let i = 0; i < 3; i++) {
  time(jsLoop);
  time(kernel);
}
const js: number[] = [],
  wasm: number[] = [];
for (let r = 0; r < rounds; r++) {
  js.push(time(jsLoop));
  wasm.push(time(kernel));
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const floats = SHAPES.reduce((s, n) => s + n, 0);
console.log(
  `SGD update of W4's parameters (${floats} floats), ${rounds} alternating rounds of ${reps} updates; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `  JavaScript loop: ${median(js).toFixed(3)} ms per update (rounds ${Math.min(...js).toFixed(3)}–${Math.max(...js).toFixed(3)})`,
);
console.log(
  `  wasm kernel:     ${median(wasm).toFixed(3)} ms per update (rounds ${Math.min(...wasm).toFixed(3)}–${Math.max(...wasm).toFixed(3)})`,
);
console.log(`  kernel / loop:   ${(median(wasm) / median(js)).toFixed(3)}× (same bits: checked)`);
