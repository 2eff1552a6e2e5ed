// `npm run bench`: Glassbox against TensorFlow.js (cpu and wasm backends) and, when Debian's
// python3-torch is installed, PyTorch, on the same workloads in one run. Prints ratio tables and
// writes the whole record to bench-results/bench-<time>.json (and latest.json).
//
//   node out/test/bench/runBench.js [--only=w1,w3,heap] [--quick] [--runs=N] [--clock=wall|cpu] [--no-pytorch] [--no-reference]
//
// heap: W1 for 10 epochs on the fast path, memory after each epoch (after a full GC).
// --quick: fewer timed runs, and the slow contenders (reference kernels, tfjs cpu) train 100 batches
// of W1 whose time is scaled to an epoch (marked * in the table). --clock picks the figures the tables
// and checks use: wall (default) or CPU time, the steadier one for one-thread runs on a loaded
// machine; the JSON has both.
import { setFlagsFromString } from 'node:v8';
// Relaxed SIMD must be enabled before the first WebAssembly compile (Node 20 has it behind a flag).
setFlagsFromString('--experimental-wasm-relaxed-simd');

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '../../src/data/mnist';
import { kernelBackendName, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import type { Dataset } from '../../src/engine/train/dataset';
import { HeapSample, runHeapBench } from './heapBench';
import { MatmulResult, runMatmulBench } from './matmulBench';
import { curveDifference, glassboxMlp, MlpResult, tfjsMlp } from './mlpBench';
import { ClockName, matmulTable, mlpTable, table } from './report';
import { pytorchAvailable, PytorchResults, runPytorchBench } from './pytorchBench';
import { tfjsInfo, useTfjs } from './tfjsBackend';

const root = join(__dirname, '..', '..', '..');

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function option(name: string, fallback: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const only = option('only', 'w1,w3,heap').split(',');
  const quick = flag('quick');
  const runs = Number(option('runs', quick ? '1' : '3'));
  const withReference = !flag('no-reference');
  const clock = option('clock', 'wall') as ClockName;
  if (clock !== 'wall' && clock !== 'cpu') throw new Error(`--clock must be wall or cpu, got ${clock}`);
  const log = (s: string) => console.log(s);
  let data: Dataset | undefined;
  const mnist = () => (data ??= loadMnist({ scaling: 'unit', layout: 'flat', dtype: 'float32' }));
  setKernelPreference('auto');
  const engineBackend = kernelBackendName();
  const glassbox = engineBackend === 'wasm-relaxed-simd' ? 'glassbox-wasm-relaxedSimd' : engineBackend === 'wasm-simd128' ? 'glassbox-wasm-simd128' : 'glassbox-reference';
  await useTfjs('wasm');
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadavgStart: loadavg(),
    glassboxBackend: engineBackend,
    glassboxThreads: 1,
    tfjs: tfjsInfo(),
    args: process.argv.slice(2),
  };
  log(`Glassbox bench — ${meta.cpu}, ${meta.cores} cores, Node ${meta.node}; load ${meta.loadavgStart.map((x) => x.toFixed(2)).join(' ')}`);
  log(`Glassbox float32 backend: ${engineBackend} (one thread); TensorFlow.js ${JSON.stringify(meta.tfjs)}`);

  const hasTorch = !flag('no-pytorch') && pytorchAvailable();
  const torchThreads = [...new Set([1, cpus().length])];
  const torch: PytorchResults[] = [];
  if (!hasTorch) log('PyTorch: not run (needs Debian python3-torch; pass nothing, or --no-pytorch to skip on purpose)');

  let w3: MatmulResult[] = [];
  if (only.includes('w3')) {
    log('\nW3: float32 matrix products');
    w3 = await runMatmulBench({ reference: withReference, timing: quick ? { warmup: 2, minRuns: 3, minSeconds: 0.2 } : {}, log });
  }
  const w1: MlpResult[] = [];
  let curveDiff: number | undefined;
  if (only.includes('w1')) {
    log('\nW1: MNIST MLP, one epoch (1000 batches of 60)');
    const data = mnist();
    const slowBatches = quick ? 100 : 1000;
    const add = (r: MlpResult) => {
      w1.push(r);
      log(`  ${r.contender.padEnd(34)} ${r.epochSeconds.toFixed(3)} s/epoch wall, ${r.epochCpuSeconds.toFixed(3)} s CPU${r.extrapolated ? ` (scaled from ${r.batches} batches)` : ''}`);
    };
    const fast = await glassboxMlp('glassbox', 'auto', data, runs, 1000);
    add(fast);
    if (engineBackend === 'wasm-relaxed-simd') add(await glassboxMlp('glassbox', 'wasm-simd128', data, runs, 1000));
    if (withReference) {
      const ref = await glassboxMlp('glassbox', 'reference', data, 1, slowBatches);
      add(ref);
      curveDiff = curveDifference(fast.losses, ref.losses);
      log(`  loss curves, WebAssembly vs reference kernels: largest relative difference ${curveDiff.toExponential(2)} over ${Math.min(fast.losses.length, ref.losses.length)} batches`);
    }
    add(await tfjsMlp('wasm', data, runs, 1000));
    add(await tfjsMlp('cpu', data, 1, slowBatches));
  }
  let heap: { backend: string; samples: HeapSample[] } | undefined;
  if (only.includes('heap')) {
    log('\nMemory: W1 for 10 epochs in one fit (fast path), after a full GC at each epoch end');
    heap = runHeapBench(mnist(), 10);
    const mib = (x: number) => x.toFixed(1);
    log(table(['epoch', 'heap used MiB', 'array buffers MiB', 'arena MiB', 'epoch s'],
      heap.samples.map((s) => [String(s.epoch), mib(s.heapUsedMiB), mib(s.arrayBuffersMiB), mib(s.arenaReservedMiB), s.epochSeconds.toFixed(3)])));
  }
  if (hasTorch) {
    for (const t of torchThreads) {
      log(`\nPyTorch, ${t} thread(s)…`);
      const r = runPytorchBench(root, t, only, runs, quick);
      torch.push(r);
      w3.push(...r.w3);
      w1.push(...r.w1);
      for (const x of r.w1) log(`  ${x.contender.padEnd(34)} ${x.epochSeconds.toFixed(3)} s/epoch wall, ${x.epochCpuSeconds.toFixed(3)} s CPU`);
    }
  }

  const rivals = ['tfjs-wasm', ...(hasTorch ? ['pytorch-1t'] : [])];
  if (w3.length) log(`\nW3 (Glassbox = ${glassbox}, one thread; operands copied in and out as the engine does)\n${matmulTable(w3, glassbox, rivals, clock)}`);
  if (w1.length) log(`\n${mlpTable(w1, `glassbox (${engineBackend})`, clock)}\n(* scaled from ${quick ? 100 : 1000} batches)`);
  const checks = requirementChecks(w3, w1, glassbox, engineBackend, clock);
  if (checks.length) log(`\n${checks.join('\n')}`);

  const record = { meta: { ...meta, loadavgEnd: loadavg() }, w3, w1, w1CurveMaxRelDiff: curveDiff, heap, pytorch: torch.map(({ w1: _a, w3: _b, ...rest }) => rest), checks };
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${meta.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(record, null, 1));
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(record, null, 1));
  log(`\nload at end ${record.meta.loadavgEnd.map((x) => x.toFixed(2)).join(' ')}; wrote ${file}`);
}

/** The issue's targets, evaluated on this run's numbers (medians). */
function requirementChecks(w3: MatmulResult[], w1: MlpResult[], glassbox: string, backend: string, clock: ClockName): string[] {
  const out: string[] = [`(${clock} time)`];
  const gf = (r: MatmulResult) => (clock === 'cpu' ? r.gflopsCpuMedian : r.gflopsMedian);
  const epoch = (r: MlpResult) => (clock === 'cpu' ? r.epochCpuSeconds : r.epochSeconds);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  for (const r of w3.filter((x) => x.contender === glassbox && x.m === 512)) {
    out.push(`W3 512×784×512 ${r.layout} ≥ 30 GFLOP/s on one thread: ${gf(r).toFixed(1)} — ${verdict(gf(r) >= 30)}`);
  }
  const g = w1.find((r) => r.contender === `glassbox (${backend})`);
  const torch = w1.find((r) => r.contender === 'pytorch-1t');
  const tfw = w1.find((r) => r.contender === 'tfjs-wasm');
  if (g && torch) out.push(`W1 ≤ 2× PyTorch (one thread each): ${(epoch(g) / epoch(torch)).toFixed(2)}× — ${verdict(epoch(g) <= 2 * epoch(torch))}`);
  if (g && tfw) out.push(`W1 ≥ 10× faster than TF.js wasm: ${(epoch(tfw) / epoch(g)).toFixed(1)}× — ${verdict(epoch(tfw) >= 10 * epoch(g))}`);
  return out.length > 1 ? out : [];
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
