/*
 * W5: the cost of live telemetry. Trains the E4.12 architecture (784 → Dense(89, tanh, keep 0.8)
 * → Dense(10), softmax cross-entropy, SGD momentum, batch 60, modern profile, float32) on full
 * MNIST for the same batches with telemetry off and at the default rate (the glassbox.telemetryRate setting's default, 5 frames per second,
 * with the probe sample), alternating the two in one process, and reports CPU time per run.
 * Used by runBench (--only=w5) and by telemetryOverhead.ts (`npm run bench:telemetry`).
 *
 * `recurrent: true` measures the same on W4's LSTM character model (vocabulary 62, hidden 256, 25
 * steps, batch 32, SGD, seeded random sequences) instead, whose frames also carry the recurrent
 * sequence (h_t, c_t, the gates and ‖∂L/∂h_t‖ over the probe's steps: the Sequence tab).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuUsage } from 'node:process';
import { loadMnist } from '../../src/data/mnist';
import { packageRoot } from '../../src/data/packageRoot';
import { SessionTelemetry } from '../../src/session/sessionTelemetry';
import {
  Dataset,
  Dense,
  LSTM,
  NeuralNetwork,
  RandomState,
  SequenceSoftmaxCrossEntropy,
  SGD,
  SGDMomentum,
  SoftmaxCrossEntropy,
  Tensor,
  Trainer,
  type TrainingObserver,
} from '../../src/engine';

/** The product's default rate: the `glassbox.telemetryRate` setting's default in package.json. */
export const DEFAULT_HZ: number = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).contributes
  .configuration.properties['glassbox.telemetryRate'].default;

export interface TelemetryOverheadResult {
  /** W5, or W5-LSTM (the same measurement on W4's LSTM). */
  readonly workload: 'W5' | 'W5-LSTM';
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
  /** CPU ms per frame as the frame's own clock measured it (what FrameRate caps the rate with). */
  readonly clockMsPerFrame: number;
}

export function subset(d: Dataset, rows: number): Dataset {
  const take = (t: Tensor, n: number) =>
    new Tensor([n, ...t.shape.slice(1)], t.data.subarray(0, n * (t.size / t.shape[0])));
  return {
    xTrain: take(d.xTrain, rows),
    yTrain: take(d.yTrain, rows),
    xTest: take(d.xTest, 1000),
    yTest: take(d.yTest, 1000),
  };
}

/** W4's shape (test/bench/lstmBench.ts): seeded random one-hot sequences, next-character targets. */
const LSTM_W = { vocab: 62, hidden: 256, seq: 25, batch: 32 } as const;
/** A vocabulary for its frames' probe text (0-9, A-Z, a-z). */
const LSTM_CHARS = Array.from({ length: LSTM_W.vocab }, (_, i) =>
  String.fromCharCode(i < 10 ? 48 + i : i < 36 ? 55 + i : 61 + i),
);

function sequences(rows: number, seed: number): Tensor[] {
  const { vocab, seq } = LSTM_W;
  const rng = new RandomState(seed);
  const x = Tensor.zeros([rows, seq, vocab], 'float32'),
    y = Tensor.zeros([rows, seq, vocab], 'float32');
  for (let r = 0; r < rows; r++) {
    let c = rng.randint(0, vocab);
    for (let t = 0; t < seq; t++) {
      const next = rng.randint(0, vocab);
      x.data[(r * seq + t) * vocab + c] = 1;
      y.data[(r * seq + t) * vocab + next] = 1;
      c = next;
    }
  }
  return [x, y];
}

export function lstmData(steps: number): Dataset {
  const [xTrain, yTrain] = sequences(Math.min(steps, 100) * LSTM_W.batch, 20190606);
  const [xTest, yTest] = sequences(64, 1);
  return { xTrain, yTrain, xTest, yTest };
}

/** Observers around the run's telemetry (telemetryAccounting.ts): `before` sees each batch end first, `after` last. */
export interface RunHooks {
  readonly before: TrainingObserver;
  readonly after: TrainingObserver;
}

/** One run of W5 (or W5-LSTM) for `steps` batches; the figures of telemetryBench and telemetryAccounting. */
export function run(
  data: Dataset,
  steps: number,
  hz: number,
  telemetry: boolean,
  recurrent: boolean,
  /** > 0: telemetry on in even blocks of this many steps, off in odd ones (runTelemetryInterleaved). */
  blockSteps = 0,
  hooks?: RunHooks,
): { cpuMs: number; frames: number; clockMs: number; blockMs: number[] } {
  const net = recurrent
    ? new NeuralNetwork({
        layers: [new LSTM({ hiddenSize: LSTM_W.hidden, outputSize: LSTM_W.vocab })],
        loss: new SequenceSoftmaxCrossEntropy(),
        seed: 20190606,
      })
    : new NeuralNetwork({
        layers: [
          new Dense({ units: 89, activation: 'tanh', init: 'glorot', keepProb: 0.8 }),
          new Dense({ units: 10, init: 'glorot' }),
        ],
        loss: new SoftmaxCrossEntropy(),
        seed: 20190119,
      });
  const optimizer = recurrent ? new SGD({ lr: 0.01 }) : new SGDMomentum({ lr: 0.05, momentum: 0.9 });
  const trainer = new Trainer(net, optimizer);
  // Also kept here: the recurrent loop below calls them itself.
  const observers: TrainingObserver[] = [];
  const observe = (o: TrainingObserver) => {
    trainer.addObserver(o);
    observers.push(o);
  };
  // As the worker does: the product's SessionTelemetry (FrameRate turns frames per second into every N
  // steps and caps them at their measured cost; each frame becomes its message), with a post that
  // serialises it as the worker's postMessage does. On the process's CPU clock, not wall time, so a
  // machine shared with other jobs does not inflate the frame count: on an idle machine they agree.
  const cpuNow = () => {
    const u = cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let frames = 0;
  let step = 0;
  const on = () => blockSteps <= 0 || Math.floor(step / blockSteps) % 2 === 0;
  if (hooks) observe(hooks.before);
  // Interleaved: the collector sees the batches of the "on" blocks only (its frames come from there).
  const gated = (o: TrainingObserver): TrainingObserver => ({ onBatchEnd: (e) => on() && o.onBatchEnd?.(e) });
  const session = new SessionTelemetry(
    { addObserver: (o) => (telemetry ? observe(blockSteps > 0 ? gated(o) : o) : undefined) },
    data,
    hz,
    (frame, transfer) => {
      frames++;
      structuredClone(frame, { transfer });
    },
    recurrent ? LSTM_CHARS : undefined,
    cpuNow,
  );
  observe({ onBatchEnd: (e) => session.afterBatch(e) });
  const blockMs: number[] = [];
  let blockStart = cpuNow();
  observe({
    onBatchEnd: () => {
      step++;
      if (blockSteps > 0 && step % blockSteps === 0) {
        const now = cpuNow();
        blockMs.push(now - blockStart);
        blockStart = now;
      }
    },
  });
  if (hooks) observe(hooks.after);
  const start = cpuUsage();
  if (recurrent) {
    // The Trainer's text schedule wants a TextDataset: the same loop by hand, over fixed batches.
    const { batch, seq, vocab } = LSTM_W;
    const rows = data.xTrain.shape[0] / batch;
    const slice = (t: Tensor, b: number) =>
      new Tensor([batch, seq, vocab], t.data.subarray(b * batch * seq * vocab, (b + 1) * batch * seq * vocab));
    for (let i = 0; i < steps; i++) {
      const input = slice(data.xTrain, i % rows),
        target = slice(data.yTrain, i % rows);
      const { loss, tape } = net.trainBatch(input, target);
      optimizer.step(net.params());
      const e = { epoch: 1, batch: i, batchesPerEpoch: steps, step: i + 1, batchSize: batch, loss, lr: 0.01 };
      for (const o of observers) o.onBatchEnd?.({ ...e, network: net, tape, input, target });
    }
  } else {
    // One epoch of MNIST is 1000 batches; longer runs (telemetryAccounting) train more epochs.
    const epochs = Math.ceil(steps / Math.floor(data.xTrain.shape[0] / 60));
    const it = trainer.steps(data, { epochs, batchSize: 60, evalEvery: 1000, earlyStopping: false, seed: 1 });
    for (let i = 0; i < steps && !it.next().done; i++);
  }
  const used = cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, frames, clockMs: session.frameRate.spentMs, blockMs };
}

/** Telemetry on and off in alternating blocks of one run (runTelemetryInterleaved). */
export interface InterleavedOverhead {
  readonly workload: 'W5' | 'W5-LSTM';
  readonly steps: number;
  readonly blockSteps: number;
  readonly hz: number;
  /** CPU ms of each "on" block and of the "off" block after it (the first pair left out: warm-up). */
  readonly onMs: number[];
  readonly offMs: number[];
  readonly frames: number;
  /** Σ on / Σ off − 1, and the median over the pairs of on / off − 1. */
  readonly overhead: number;
  readonly medianPairOverhead: number;
  readonly clockMsPerFrame: number;
}

/**
 * The overhead measured inside one run: telemetry on for a block of steps, off for the next, and so
 * on. This machine's CPU time for the same work drifts by ±10–20% from one run to the next (three
 * runs of W4's LSTM without telemetry: 48.1, 39.4, 51.3 s), more than the 3% to be measured by
 * comparing runs; adjacent blocks of one run share the drift. A frame's garbage collected in the
 * next block is counted against "off" there, so blocks are long (many steps per frame's garbage).
 */
export function runTelemetryInterleaved(
  opts: { steps?: number; blockSteps?: number; hz?: number; recurrent?: boolean } = {},
): InterleavedOverhead {
  const recurrent = opts.recurrent ?? false,
    hz = opts.hz ?? DEFAULT_HZ,
    blockSteps = opts.blockSteps ?? (recurrent ? 50 : 40),
    // The MLP trains one epoch of MNIST at most (1000 batches of 60).
    steps = Math.min(opts.steps ?? blockSteps * 24, recurrent ? Infinity : 1000);
  const data = recurrent
    ? lstmData(steps)
    : subset(loadMnist({ scaling: 'book', layout: 'flat', dtype: 'float32' }), steps * 60);
  run(data, Math.min(steps, 4 * blockSteps), hz, false, recurrent); // warm-up (JIT)
  const r = run(data, steps, hz, true, recurrent, blockSteps);
  const onMs: number[] = [],
    offMs: number[] = [];
  for (let k = 2; k + 1 < r.blockMs.length; k += 2) {
    onMs.push(r.blockMs[k]);
    offMs.push(r.blockMs[k + 1]);
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return {
    workload: recurrent ? 'W5-LSTM' : 'W5',
    steps,
    blockSteps,
    hz,
    onMs,
    offMs,
    frames: r.frames,
    overhead: sum(onMs) / sum(offMs) - 1,
    medianPairOverhead: median(onMs.map((v, i) => v / offMs[i] - 1)),
    clockMsPerFrame: r.clockMs / Math.max(1, r.frames),
  };
}

/** The interleaved measurement's lines of the report. */
export function interleavedReport(r: InterleavedOverhead): string[] {
  return [
    `${r.workload} telemetry overhead, interleaved in one run: ${r.steps} steps in blocks of ${r.blockSteps}, telemetry on in every other block, ${r.hz} frames/s (${r.frames} frames, ${r.clockMsPerFrame.toFixed(2)} ms CPU each by the frame's own clock)`,
    `  on blocks:  ${r.onMs.map((v) => v.toFixed(0)).join(', ')} ms CPU`,
    `  off blocks: ${r.offMs.map((v) => v.toFixed(0)).join(', ')} ms CPU`,
    `  overhead: ${(r.overhead * 100).toFixed(2)}% (Σ on / Σ off over ${r.onMs.length} pairs after the first); median pair ${(r.medianPairOverhead * 100).toFixed(2)}%`,
  ];
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** Runs W5: `rounds` pairs of runs (off, on) of `steps` batches each, after one warm-up run. */
export function runTelemetryOverhead(
  opts: { steps?: number; rounds?: number; hz?: number; data?: Dataset; recurrent?: boolean } = {},
): TelemetryOverheadResult {
  const steps = opts.steps ?? 1000,
    rounds = opts.rounds ?? 3,
    hz = opts.hz ?? DEFAULT_HZ,
    recurrent = opts.recurrent ?? false;
  const data = recurrent
    ? lstmData(steps)
    : subset(opts.data ?? loadMnist({ scaling: 'book', layout: 'flat', dtype: 'float32' }), steps * 60);
  run(data, steps, hz, false, recurrent); // warm-up (JIT)
  const offMs: number[] = [],
    onMs: number[] = [];
  let frames = 0,
    clockMs = 0;
  for (let r = 0; r < rounds; r++) {
    offMs.push(run(data, steps, hz, false, recurrent).cpuMs);
    const t = run(data, steps, hz, true, recurrent);
    onMs.push(t.cpuMs);
    frames += t.frames;
    clockMs += t.clockMs;
  }
  const framesPerRun = Math.round(frames / rounds);
  return {
    workload: recurrent ? 'W5-LSTM' : 'W5',
    steps,
    rounds,
    hz,
    offMs,
    onMs,
    framesPerRun,
    overhead: median(onMs) / median(offMs) - 1,
    msPerFrame: (median(onMs) - median(offMs)) / Math.max(1, framesPerRun),
    clockMsPerFrame: clockMs / Math.max(1, frames),
  };
}

/** The W5 lines of the report. */
export function telemetryReport(r: TelemetryOverheadResult): string[] {
  return [
    `${r.workload} telemetry overhead: ${r.steps} steps × ${r.rounds} rounds, ${r.hz} frames/s (${r.framesPerRun} frames per run)`,
    `  off: ${median(r.offMs).toFixed(0)} ms CPU (${r.offMs.map((v) => v.toFixed(0)).join(', ')})`,
    `  on:  ${median(r.onMs).toFixed(0)} ms CPU (${r.onMs.map((v) => v.toFixed(0)).join(', ')})`,
    `  overhead: ${(r.overhead * 100).toFixed(2)}% (${r.msPerFrame.toFixed(2)} ms CPU per frame; ${r.clockMsPerFrame.toFixed(2)} ms by the frame's own clock)`,
  ];
}
