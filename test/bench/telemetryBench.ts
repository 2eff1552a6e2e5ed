/*
 * W5: the cost of live telemetry. Trains the E4.12 architecture (784 → Dense(89, tanh, keep 0.8)
 * → Dense(10), softmax cross-entropy, SGD momentum, batch 60, modern profile, float32) on full
 * MNIST for the same batches with telemetry off and at the default rate (the glassbox.telemetryRate setting's default, 5 frames per second,
 * with the probe sample), alternating the two in one process, and reports CPU time per run.
 * Used by runBench (--only=w5) and by telemetryOverhead.ts (`npm run bench:telemetry`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuUsage } from 'node:process';
import { loadMnist } from '../../src/data/mnist';
import { packageRoot } from '../../src/data/packageRoot';
import {
  Dataset,
  Dense,
  FrameRate,
  NeuralNetwork,
  SGDMomentum,
  SoftmaxCrossEntropy,
  TelemetryCollector,
  Tensor,
  Trainer,
} from '../../src/engine';

/** The product's default rate: the `glassbox.telemetryRate` setting's default in package.json. */
export const DEFAULT_HZ: number = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).contributes
  .configuration.properties['glassbox.telemetryRate'].default;

export interface TelemetryOverheadResult {
  readonly workload: 'W5';
  readonly steps: number;
  readonly rounds: number;
  readonly hz: number;
  /** CPU milliseconds per run, telemetry off and on (one pair per round). */
  readonly offMs: number[];
  readonly onMs: number[];
  readonly framesPerRun: number;
  /** median(on) / median(off) − 1. */
  readonly overhead: number;
  readonly msPerFrame: number;
}

function subset(d: Dataset, rows: number): Dataset {
  const take = (t: Tensor, n: number) =>
    new Tensor([n, ...t.shape.slice(1)], t.data.subarray(0, n * (t.size / t.shape[0])));
  return {
    xTrain: take(d.xTrain, rows),
    yTrain: take(d.yTrain, rows),
    xTest: take(d.xTest, 1000),
    yTest: take(d.yTest, 1000),
  };
}

function run(data: Dataset, steps: number, hz: number, telemetry: boolean): { cpuMs: number; frames: number } {
  const net = new NeuralNetwork({
    layers: [
      new Dense({ units: 89, activation: 'tanh', init: 'glorot', keepProb: 0.8 }),
      new Dense({ units: 10, init: 'glorot' }),
    ],
    loss: new SoftmaxCrossEntropy(),
    seed: 20190119,
  });
  const trainer = new Trainer(net, new SGDMomentum({ lr: 0.05, momentum: 0.9 }));
  let frames = 0;
  const row = (t: Tensor) => new Tensor([1, ...t.shape.slice(1)], t.data.slice(0, t.size / t.shape[0]));
  // As the worker does (FrameRate: frames per second → every N steps from the measured step rate), but on
  // the process's CPU clock, so a machine shared with other jobs does not inflate the frame count:
  // on an idle machine the two clocks agree.
  const collector = new TelemetryCollector({
    every: 1_000_000,
    probe: { x: row(data.xTest), y: row(data.yTest) },
    onFrame: () => frames++,
  });
  if (telemetry) trainer.addObserver(collector);
  const cpuNow = () => {
    const u = cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const rate = new FrameRate(hz);
  trainer.addObserver({
    onBatchEnd: (e) => {
      const every = rate.update(e.step, cpuNow());
      if (every !== undefined) collector.setEvery(every);
    },
  });
  const start = cpuUsage();
  const it = trainer.steps(data, { epochs: 1, batchSize: 60, evalEvery: 1000, earlyStopping: false, seed: 1 });
  for (let i = 0; i < steps && !it.next().done; i++);
  const used = cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, frames };
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** Runs W5: `rounds` pairs of runs (off, on) of `steps` batches each, after one warm-up run. */
export function runTelemetryOverhead(
  opts: { steps?: number; rounds?: number; hz?: number; data?: Dataset } = {},
): TelemetryOverheadResult {
  const steps = opts.steps ?? 1000,
    rounds = opts.rounds ?? 3,
    hz = opts.hz ?? DEFAULT_HZ;
  const data = subset(opts.data ?? loadMnist({ scaling: 'book', layout: 'flat', dtype: 'float32' }), steps * 60);
  run(data, steps, hz, false); // warm-up (JIT)
  const offMs: number[] = [],
    onMs: number[] = [];
  let frames = 0;
  for (let r = 0; r < rounds; r++) {
    offMs.push(run(data, steps, hz, false).cpuMs);
    const t = run(data, steps, hz, true);
    onMs.push(t.cpuMs);
    frames += t.frames;
  }
  const framesPerRun = Math.round(frames / rounds);
  return {
    workload: 'W5',
    steps,
    rounds,
    hz,
    offMs,
    onMs,
    framesPerRun,
    overhead: median(onMs) / median(offMs) - 1,
    msPerFrame: (median(onMs) - median(offMs)) / Math.max(1, framesPerRun),
  };
}

/** The W5 lines of the report. */
export function telemetryReport(r: TelemetryOverheadResult): string[] {
  return [
    `W5 telemetry overhead: ${r.steps} steps × ${r.rounds} rounds, ${r.hz} frames/s (${r.framesPerRun} frames per run)`,
    `  off: ${median(r.offMs).toFixed(0)} ms CPU (${r.offMs.map((v) => v.toFixed(0)).join(', ')})`,
    `  on:  ${median(r.onMs).toFixed(0)} ms CPU (${r.onMs.map((v) => v.toFixed(0)).join(', ')})`,
    `  overhead: ${(r.overhead * 100).toFixed(2)}% (${r.msPerFrame.toFixed(2)} ms CPU per frame)`,
  ];
}
