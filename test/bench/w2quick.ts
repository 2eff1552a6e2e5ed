import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--experimental-wasm-relaxed-simd');
import { loadMnist } from '../../src/data/mnist';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { enableKernelThreads } from '../../src/util/kernelThreads';
import { w2Run } from './cnnBench';
const data = loadMnist({ scaling: 'unit', layout: 'image', dtype: 'float32' });
const n = Number(process.argv[2] ?? 100);
const threads = Number(process.argv[3] ?? 1);
console.log('threads', enableKernelThreads(threads));
for (const t of [1, threads]) {
  setKernelThreads(t);
  w2Run(data, 20, false);
  const r = w2Run(data, n, false);
  console.log(t, 'threads', n, 'batches', r.wall.toFixed(3), 'wall', r.cpu.toFixed(3), 'cpu', 'loss', r.losses.slice(-3));
}
