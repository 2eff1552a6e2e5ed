// One vs N kernel threads on W2 (and W1), alternating short runs in one process so that a
// fluctuating machine load hits both alike: the medians of per-pair ratios are the speed-up.
//
//   node out/test/bench/threadsAlternating.js [--batches=200] [--pairs=5] [--threads=2] [--workload=w2|w1]
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--experimental-wasm-relaxed-simd');
import { loadavg } from 'node:os';
import { loadMnist } from '../../src/data/mnist';
import { enableKernelThreads } from '../../src/util/kernelThreads';
import { glassboxCnn } from './cnnBench';
import { glassboxMlp } from './mlpBench';

const arg = (name: string, def: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def;

async function main(): Promise<void> {
  const batches = Number(arg('batches', '200')),
    pairs = Number(arg('pairs', '5')),
    workload = arg('workload', 'w2');
  const threads = enableKernelThreads(Number(arg('threads', '2')));
  const flat = loadMnist({ scaling: 'unit', layout: 'flat', dtype: 'float32' });
  const images = {
    ...flat,
    xTrain: flat.xTrain.reshape([flat.xTrain.shape[0], 1, 28, 28]),
    xTest: flat.xTest.reshape([flat.xTest.shape[0], 1, 28, 28]),
  };
  const run = async (t: number) =>
    workload === 'w1' ? await glassboxMlp('glassbox', 'auto', flat, 1, batches, t) : glassboxCnn(images, 1, batches, t);
  const load0 = loadavg();
  const ratios: number[] = [],
    cpuRatios: number[] = [];
  const rows: string[] = [];
  for (let p = 0; p < pairs; p++) {
    const one = await run(1),
      many = await run(threads);
    ratios.push(one.seconds.median / many.seconds.median);
    cpuRatios.push(many.seconds.cpuMedian / one.seconds.cpuMedian);
    rows.push(
      `  pair ${p + 1}: 1 thread ${one.seconds.median.toFixed(3)} s wall (${one.seconds.cpuMedian.toFixed(3)} CPU), ${threads} threads ${many.seconds.median.toFixed(3)} s wall (${many.seconds.cpuMedian.toFixed(3)} CPU)`,
    );
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(
    `${workload.toUpperCase()}, ${batches} batches per run, ${pairs} pairs; load ${load0.map((x) => x.toFixed(2)).join(' ')} → ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  for (const r of rows) console.log(r);
  console.log(
    `speed-up (wall, 1 thread ÷ ${threads} threads): median ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); CPU time ${threads} threads ÷ 1: ${median(cpuRatios).toFixed(2)}×`,
  );
  console.log(
    JSON.stringify({ workload, batches, pairs, threads, ratios, cpuRatios, loadStart: load0, loadEnd: loadavg() }),
  );
}
void main();
