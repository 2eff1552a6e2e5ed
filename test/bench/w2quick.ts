// Quick W2 probe for development: node out/test/bench/w2quick.js [batches] [threads] [tfjs-wasm|tfjs-cpu]
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--experimental-wasm-relaxed-simd');
import { loadMnist } from '../../src/data/mnist';
import { enableKernelThreads } from '../../src/util/kernelThreads';
import { glassboxCnn, tfjsCnn } from './cnnBench';

async function main(): Promise<void> {
  const data = loadMnist({ scaling: 'unit', layout: 'image', dtype: 'float32' });
  const n = Number(process.argv[2] ?? 100);
  const threads = Number(process.argv[3] ?? 1);
  const tf = process.argv[4];
  if (tf) {
    const r = await tfjsCnn(tf === 'tfjs-cpu' ? 'cpu' : 'wasm', data, 1, n);
    console.log(r.contender, n, 'batches', r.epochSeconds.toFixed(2), 's/epoch wall', r.epochCpuSeconds.toFixed(2), 'CPU', r.losses.slice(-3));
    return;
  }
  enableKernelThreads(threads);
  for (const t of [...new Set([1, threads])]) {
    const r = glassboxCnn(data, 1, n, t);
    console.log(r.contender, n, 'batches', r.epochSeconds.toFixed(2), 's/epoch wall', r.epochCpuSeconds.toFixed(2), 'CPU', r.losses.slice(-3));
  }
}
void main();
