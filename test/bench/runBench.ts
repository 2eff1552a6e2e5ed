// `npm run bench`: Glassbox against TensorFlow.js (cpu and wasm backends) and, when Debian's
// python3-torch is installed, PyTorch, on the same workloads in one run. Prints ratio tables and
// writes the whole record to bench-results/bench-<time>.json (and latest.json).
//
//   node out/test/bench/runBench.js [--only=w1,w2,w3,w5,heap,f64] [--quick] [--runs=N] [--clock=wall|cpu] [--threads=N]
//                                   [--no-pytorch] [--no-reference] [--no-tfjs] [--slow-batches=N]
//
// w1: MNIST MLP; w2: MNIST CNN (cnnBench.ts); w3: matrix products; w5: telemetry overhead
// (telemetryBench.ts); heap: W1 for 10 epochs and W2 for 3 on the fast path, memory and GCs per epoch (after a
// full GC); f64: the book profile's float64 kernels, reference vs WebAssembly (float64Bench.ts); vs, product,
// worker: issue 17 (issue17Bench.ts: against PyTorch, the CLI against the bench, the VS Code worker against the CLI).
// Glassbox runs on one thread and on --threads kernel threads (default min(2, cores)).
// W2 on TF.js is slow (~70 ms a batch on wasm, ~3 s on cpu): those contenders train
// --slow-batches batches (default 100 for wasm, 50 for cpu; --quick 30 and 10) and the time is
// scaled to an epoch, marked * in the tables and `extrapolated` in the JSON.
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
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { defaultKernelThreads, enableKernelThreads } from '../../src/util/kernelThreads';
import { glassboxCnn, tfjsCnn, W2_EPOCH_BATCHES } from './cnnBench';
import { HeapSample, runHeapBench } from './heapBench';
import { glassboxLstm, StepResult, tfjsLstm, W4 } from './lstmBench';
import { MatmulResult, runMatmulBench } from './matmulBench';
import { curveDifference, glassboxMlp, MlpResult, tfjsMlp } from './mlpBench';
import { ClockName, matmulTable, mlpTable, stepTable, table } from './report';
import { pytorchAvailable, PytorchResults, runPytorchBench } from './pytorchBench';
import { runTelemetryOverhead, telemetryReport, TelemetryOverheadResult } from './telemetryBench';
import { tfjsInfo, useTfjs } from './tfjsBackend';
import { Float64Row, runFloat64Bench } from './float64Bench';
import { runIssue17 } from './issue17Bench';

const root = join(__dirname, '..', '..', '..');

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function option(name: string, fallback: string): string {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : fallback;
}

async function main(): Promise<void> {
  const only = option('only', 'w1,w2,w3,w4,w5,heap,f64,vs,product,worker').split(',');
  const quick = flag('quick');
  const runs = Number(option('runs', quick ? '1' : '3'));
  const withReference = !flag('no-reference');
  const clock = option('clock', 'wall') as ClockName;
  if (clock !== 'wall' && clock !== 'cpu') throw new Error(`--clock must be wall or cpu, got ${clock}`);
  const log = (s: string) => console.log(s);
  let data: Dataset | undefined, images: Dataset | undefined;
  const mnist = () => (data ??= loadMnist({ scaling: 'unit', layout: 'flat', dtype: 'float32' }));
  // The same arrays as images [N, 1, 28, 28] (a reshape, no copy) for W2.
  const mnistImages = () =>
    (images ??= (() => {
      const d = mnist();
      const image = (t: Dataset['xTrain']) => t.reshape([t.shape[0], 1, 28, 28]);
      return { ...d, xTrain: image(d.xTrain), xTest: image(d.xTest) };
    })());
  setKernelPreference('auto');
  const engineBackend = kernelBackendName();
  // Kernel threads for the all-thread figures; every contender sets how many of them it uses.
  const threads = enableKernelThreads(Number(option('threads', String(defaultKernelThreads()))));
  setKernelThreads(1);
  const glassbox =
    engineBackend === 'wasm-relaxed-simd'
      ? 'glassbox-wasm-relaxedSimd'
      : engineBackend === 'wasm-simd128'
        ? 'glassbox-wasm-simd128'
        : 'glassbox-reference';
  await useTfjs('wasm');
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadavgStart: loadavg(),
    glassboxBackend: engineBackend,
    glassboxThreads: threads,
    tfjs: tfjsInfo(),
    args: process.argv.slice(2),
  };
  log(
    `Glassbox bench — ${meta.cpu}, ${meta.cores} cores, Node ${meta.node}; load ${meta.loadavgStart.map((x) => x.toFixed(2)).join(' ')}`,
  );
  log(
    `Glassbox float32 backend: ${engineBackend}, one thread and ${threads} threads; TensorFlow.js ${JSON.stringify(meta.tfjs)}`,
  );

  const hasTorch = !flag('no-pytorch') && pytorchAvailable();
  const torchThreads = [...new Set([1, cpus().length])];
  const torch: PytorchResults[] = [];
  if (!hasTorch) log('PyTorch: not run (needs Debian python3-torch; pass nothing, or --no-pytorch to skip on purpose)');

  let w3: MatmulResult[] = [];
  if (only.includes('w3')) {
    log('\nW3: float32 matrix products');
    w3 = await runMatmulBench({
      reference: withReference,
      threads,
      timing: quick ? { warmup: 2, minRuns: 3, minSeconds: 0.2 } : {},
      log,
    });
  }
  // float64 (book profile): reference vs WebAssembly kernels, side by side.
  let f64: Float64Row[] = [];
  if (only.includes('f64')) {
    log('\nF64: book-profile float64 kernels, reference TypeScript vs WebAssembly (f64x2)');
    f64 = runFloat64Bench({ root, threads, quick, log });
  }
  const w1: MlpResult[] = [];
  let curveDiff: number | undefined, w1ThreadCurveDiff: number | undefined, w2ThreadCurveDiff: number | undefined;
  if (only.includes('w1')) {
    log('\nW1: MNIST MLP, one epoch (1000 batches of 60)');
    const data = mnist();
    const slowBatches = quick ? 100 : 1000;
    const add = (r: MlpResult) => {
      w1.push(r);
      log(
        `  ${r.contender.padEnd(34)} ${r.epochSeconds.toFixed(3)} s/epoch wall, ${r.epochCpuSeconds.toFixed(3)} s CPU${r.extrapolated ? ` (scaled from ${r.batches} batches)` : ''}`,
      );
    };
    const fast = await glassboxMlp('glassbox', 'auto', data, runs, 1000);
    add(fast);
    if (threads > 1) {
      const par = await glassboxMlp('glassbox', 'auto', data, runs, 1000, threads);
      add(par);
      w1ThreadCurveDiff = curveDifference(par.losses, fast.losses);
      log(
        `  loss curves, ${threads} threads vs one: largest relative difference ${w1ThreadCurveDiff.toExponential(2)} over ${Math.min(fast.losses.length, par.losses.length)} batches`,
      );
    }
    if (engineBackend === 'wasm-relaxed-simd') add(await glassboxMlp('glassbox', 'wasm-simd128', data, runs, 1000));
    if (withReference) {
      const ref = await glassboxMlp('glassbox', 'reference', data, 1, slowBatches);
      add(ref);
      curveDiff = curveDifference(fast.losses, ref.losses);
      log(
        `  loss curves, WebAssembly vs reference kernels: largest relative difference ${curveDiff.toExponential(2)} over ${Math.min(fast.losses.length, ref.losses.length)} batches`,
      );
    }
    if (!flag('no-tfjs')) {
      add(await tfjsMlp('wasm', data, runs, 1000));
      add(await tfjsMlp('cpu', data, 1, slowBatches));
    }
  }
  const w2: MlpResult[] = [];
  if (only.includes('w2')) {
    log(`\nW2: MNIST CNN, Conv2d(16, 5×5, same, tanh) → Dense(10), one epoch (${W2_EPOCH_BATCHES} batches of 60)`);
    const data = mnistImages();
    const add = (r: MlpResult) => {
      w2.push(r);
      log(
        `  ${r.contender.padEnd(34)} ${r.epochSeconds.toFixed(3)} s/epoch wall, ${r.epochCpuSeconds.toFixed(3)} s CPU${r.extrapolated ? ` (scaled from ${r.batches} batches)` : ''}`,
      );
    };
    const one = glassboxCnn(data, runs, W2_EPOCH_BATCHES, 1);
    add(one);
    if (threads > 1) {
      const par = glassboxCnn(data, runs, W2_EPOCH_BATCHES, threads);
      add(par);
      w2ThreadCurveDiff = curveDifference(par.losses, one.losses);
      log(
        `  loss curves, ${threads} threads vs one: largest relative difference ${w2ThreadCurveDiff.toExponential(2)} over ${Math.min(one.losses.length, par.losses.length)} batches`,
      );
    }
    const slow = Number(option('slow-batches', '0'));
    if (!flag('no-tfjs')) {
      add(await tfjsCnn('wasm', data, 1, slow || (quick ? 30 : 100)));
      add(await tfjsCnn('cpu', data, 1, slow || (quick ? 10 : 50)));
    }
  }
  const w4: StepResult[] = [];
  const logStep = (r: StepResult) =>
    log(
      `  ${r.contender.padEnd(34)} ${(r.stepSeconds * 1000).toFixed(1)} ms/step wall, ${(r.stepCpuSeconds * 1000).toFixed(1)} ms CPU (${r.seconds.runs.length} steps timed; loss ${r.loss.toFixed(3)})`,
    );
  if (only.includes('w4')) {
    log(
      `\nW4: LSTM character model (vocabulary ${W4.vocab}, hidden ${W4.hidden}, sequence ${W4.seq}, batch ${W4.batch}), one training step`,
    );
    const add = (r: StepResult) => {
      w4.push(r);
      logStep(r);
    };
    add(glassboxLstm(1, quick));
    if (threads > 1) add(glassboxLstm(threads, quick));
    if (!flag('no-tfjs')) {
      // TF.js runs its LSTM as a loop of small ops per time step: ~1 s a step on wasm, so a few steps.
      add(await tfjsLstm('wasm', true));
      add(await tfjsLstm('cpu', true));
    }
  }
  let w5: TelemetryOverheadResult | undefined;
  if (only.includes('w5')) {
    log('\nW5: telemetry overhead (E4.12 MLP on MNIST, default 10 frames/s vs off; one thread, CPU time)');
    setKernelThreads(1);
    w5 = runTelemetryOverhead(quick ? { steps: 200, rounds: 3 } : {});
    for (const line of telemetryReport(w5)) log(`  ${line}`);
  }
  const heap: { backend: string; workload: string; samples: HeapSample[] }[] = [];
  if (only.includes('heap')) {
    setKernelThreads(1);
    for (const [workload, epochs] of [
      ['w1', 10],
      ['w2', 3],
    ] as const) {
      log(
        `\nMemory: ${workload.toUpperCase()} for ${epochs} epochs in one fit (fast path, one thread), after a full GC at each epoch end`,
      );
      const h = await runHeapBench(workload === 'w1' ? mnist() : mnistImages(), epochs, workload);
      heap.push(h);
      const mib = (x: number) => x.toFixed(1);
      log(
        table(
          ['epoch', 'heap used MiB', 'array buffers MiB', 'arena MiB', 'epoch s', 'GCs in epoch', 'GC ms'],
          h.samples.map((s) => [
            String(s.epoch),
            mib(s.heapUsedMiB),
            mib(s.arrayBuffersMiB),
            mib(s.arenaReservedMiB),
            s.epochSeconds.toFixed(3),
            String(s.gcCount),
            s.gcMs.toFixed(1),
          ]),
        ),
      );
    }
  }
  // Kernel threads spin briefly between tasks: leave them asleep while PyTorch runs.
  setKernelThreads(1);
  if (hasTorch && only.some((w) => /^w[1-4]$/.test(w))) {
    for (const t of torchThreads) {
      log(`\nPyTorch, ${t} thread(s)…`);
      const r = runPytorchBench(root, t, only, runs, quick);
      torch.push(r);
      w3.push(...r.w3);
      w1.push(...r.w1);
      w2.push(...r.w2);
      w4.push(...r.w4);
      for (const x of [...r.w1, ...r.w2])
        log(
          `  ${x.contender.padEnd(34)} ${x.epochSeconds.toFixed(3)} s/epoch wall, ${x.epochCpuSeconds.toFixed(3)} s CPU`,
        );
      for (const x of r.w4) logStep(x);
    }
  }

  const rivals = ['tfjs-wasm', ...(hasTorch ? ['pytorch-1t'] : [])];
  if (w3.length)
    log(
      `\nW3 (Glassbox = ${glassbox}, one thread; operands copied in and out as the engine does)\n${matmulTable(w3, glassbox, rivals, clock)}`,
    );
  if (w1.length)
    log(`\n${mlpTable(w1, `glassbox (${engineBackend})`, clock)}\n(* scaled from ${quick ? 100 : 1000} batches)`);
  if (w2.length)
    log(
      `\n${mlpTable(w2, `glassbox (${engineBackend})`, clock, 'W2 epoch')}\n(* scaled to ${W2_EPOCH_BATCHES} batches from the batches timed, see the JSON)`,
    );
  if (w4.length) log(`\n${stepTable(w4, 'glassbox', clock)}`);
  // Issue 17: alternating Glassbox/PyTorch pairs and the CLI's run records (issue17Bench.ts).
  const issue17 = await runIssue17({ root, only, quick, threads, hasTorch, flat: mnist, images: mnistImages, log });
  const checks = requirementChecks(w3, w1, w2, glassbox, engineBackend, clock, threads);
  if (checks.length) log(`\n${checks.join('\n')}`);

  const record = {
    meta: { ...meta, loadavgEnd: loadavg() },
    w3,
    w1,
    w1CurveMaxRelDiff: curveDiff,
    w1ThreadCurveMaxRelDiff: w1ThreadCurveDiff,
    w2,
    w2ThreadCurveMaxRelDiff: w2ThreadCurveDiff,
    w4,
    w5,
    heap,
    f64,
    pytorch: torch.map(({ w1: _a, w3: _b, ...rest }) => rest),
    ...issue17,
    checks,
  };
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${meta.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(record, null, 1));
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(record, null, 1));
  log(`\nload at end ${record.meta.loadavgEnd.map((x) => x.toFixed(2)).join(' ')}; wrote ${file}`);
}

/** The issue's targets, evaluated on this run's numbers (medians). */
function requirementChecks(
  w3: MatmulResult[],
  w1: MlpResult[],
  w2: MlpResult[],
  glassbox: string,
  backend: string,
  clock: ClockName,
  threads: number,
): string[] {
  const out: string[] = [`(${clock} time, except the thread speed-ups: wall time)`];
  const gf = (r: MatmulResult) => (clock === 'cpu' ? r.gflopsCpuMedian : r.gflopsMedian);
  const epoch = (r: MlpResult) => (clock === 'cpu' ? r.epochCpuSeconds : r.epochSeconds);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  for (const r of w3.filter((x) => x.contender === glassbox && x.m === 512)) {
    out.push(`W3 512×784×512 ${r.layout} ≥ 30 GFLOP/s on one thread: ${gf(r).toFixed(1)} — ${verdict(gf(r) >= 30)}`);
  }
  for (const [name, rs] of [
    ['W1', w1],
    ['W2', w2],
  ] as const) {
    const g = rs.find((r) => r.contender === `glassbox (${backend})`);
    const par = rs.find((r) => r.contender === `glassbox (${backend}, ${threads} threads)`);
    const torch = rs.find((r) => r.contender === 'pytorch-1t');
    const tfw = rs.find((r) => r.contender === 'tfjs-wasm');
    if (g && torch)
      out.push(
        `${name} ≤ 2× PyTorch (one thread each): ${(epoch(g) / epoch(torch)).toFixed(2)}× — ${verdict(epoch(g) <= 2 * epoch(torch))}`,
      );
    if (g && tfw)
      out.push(
        `${name} ≥ 10× faster than TF.js wasm${tfw.extrapolated ? ' (TF.js scaled from ' + tfw.batches + ' batches)' : ''}: ${(epoch(tfw) / epoch(g)).toFixed(1)}× — ${verdict(epoch(tfw) >= 10 * epoch(g))}`,
      );
    if (g && par) {
      const speedup = g.epochSeconds / par.epochSeconds;
      out.push(
        `${name} ${threads} threads vs one, wall time: ${speedup.toFixed(2)}×${name === 'W2' ? ` — target ≥ 1.3×: ${verdict(speedup >= 1.3)}` : ''} (CPU time ${(par.epochCpuSeconds / g.epochCpuSeconds).toFixed(2)}× one thread's)`,
      );
    }
  }
  return out.length > 1 ? out : [];
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
