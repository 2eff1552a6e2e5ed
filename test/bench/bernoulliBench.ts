// Dropout masks: RandomState.fillBernoulli (JavaScript) against bernoulliKernel (WebAssembly), side by
// side in one process, alternating, on a W2-sized float32 mask in the arena (batch 32 × 12,544).
//   node out/test/bench/bernoulliBench.js [--rounds=4]
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--experimental-wasm-relaxed-simd');
import { bernoulliKernel } from '../../src/engine/kernels/bernoulliKernel';
import { kernelArena } from '../../src/engine/kernels/kernelBackend';
import { RandomState } from '../../src/engine/random/randomState';

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? '4');
const arena = kernelArena();
if (!arena) throw new Error('bernoulliBench: no WebAssembly backend');
const out = arena.float32(32 * 12544);
const rng = new RandomState(1);
const contenders: [string, () => void][] = [
  ['javascript (fillBernoulli)', () => rng.fillBernoulli(out, 0.8, 1.25)],
  ['webassembly (bernoulliKernel)', () => bernoulliKernel(rng, out, 0.8, 1.25)],
];
const results = new Map<string, number[]>();
for (let r = 0; r < rounds; r++) {
  for (const [name, fill] of contenders) {
    for (let i = 0; i < 3; i++) fill();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) fill();
    const ns = Number(process.hrtime.bigint() - t0) / 20 / out.length;
    results.set(name, [...(results.get(name) ?? []), ns]);
  }
}
for (const [name, ns] of results) {
  const sorted = [...ns].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(30)} ${sorted[sorted.length >> 1].toFixed(2)} ns per mask element (median of ${ns.length} rounds; ${sorted.map((x) => x.toFixed(2)).join(', ')})`,
  );
}
