/*
 * W5: the cost of live telemetry. Trains the E4.12 architecture (784 → Dense(89, tanh, keep 0.8)
 * → Dense(10), softmax cross-entropy, SGD momentum, batch 60, modern profile, float32) on full
 * MNIST for the same batches with telemetry off and at the default rate (10 frames per second,
 * with the probe sample), alternating the two in one process, and reports CPU time per step.
 *
 *   node out/test/bench/telemetryOverhead.js [--steps=400] [--rounds=3] [--hz=10]
 */
import { cpuUsage } from 'node:process';
import { loadMnist } from '../../src/data/mnist';
import { Dataset, Dense, NeuralNetwork, SGDMomentum, SoftmaxCrossEntropy, TelemetryCollector, Tensor, Trainer } from '../../src/engine';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const steps = arg('steps', 400), rounds = arg('rounds', 3), hz = arg('hz', 10);

function subset(d: Dataset, rows: number): Dataset {
  const take = (t: Tensor, n: number) => new Tensor([n, ...t.shape.slice(1)], t.data.subarray(0, n * (t.size / t.shape[0])));
  return { xTrain: take(d.xTrain, rows), yTrain: take(d.yTrain, rows), xTest: take(d.xTest, 1000), yTest: take(d.yTest, 1000) };
}

function run(data: Dataset, telemetry: boolean): { cpuMs: number; frames: number } {
  const net = new NeuralNetwork({
    layers: [new Dense({ units: 89, activation: 'tanh', init: 'glorot', keepProb: 0.8 }), new Dense({ units: 10, init: 'glorot' })],
    loss: new SoftmaxCrossEntropy(), seed: 20190119,
  });
  const trainer = new Trainer(net, new SGDMomentum({ lr: 0.05, momentum: 0.9 }));
  let frames = 0;
  const row = (t: Tensor) => new Tensor([1, ...t.shape.slice(1)], t.data.slice(0, t.size / t.shape[0]));
  // As the worker does (frames per second → every N steps from the measured step rate), but on
  // the process's CPU clock, so a machine shared with other jobs does not inflate the frame count:
  // on an idle machine the two clocks agree.
  const collector = new TelemetryCollector({ every: 1_000_000, probe: { x: row(data.xTest), y: row(data.yTest) }, onFrame: () => frames++ });
  if (telemetry) trainer.addObserver(collector);
  const cpuNow = () => {
    const u = cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let last = cpuNow(), lastStep = 0;
  trainer.addObserver({
    onBatchEnd: (e) => {
      const now = cpuNow();
      if (now - last >= 1000 || e.step === 1) {
        collector.setEvery(Math.max(1, Math.round(((e.step - lastStep) * 1000) / Math.max(1, now - last) / hz)));
        last = now;
        lastStep = e.step;
      }
    },
  });
  const start = cpuUsage();
  const it = trainer.steps(data, { epochs: 1, batchSize: 60, evalEvery: 1000, earlyStopping: false, seed: 1 });
  for (let i = 0; i < steps && !it.next().done; i++);
  const used = cpuUsage(start);
  return { cpuMs: (used.user + used.system) / 1000, frames };
}

const data = subset(loadMnist({ scaling: 'book', layout: 'flat', dtype: 'float32' }), steps * 60);
run(data, false); // warm-up (JIT)
const off: number[] = [], on: number[] = [];
let frames = 0;
for (let r = 0; r < rounds; r++) {
  off.push(run(data, false).cpuMs);
  const t = run(data, true);
  on.push(t.cpuMs);
  frames += t.frames;
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const ratio = median(on) / median(off);
console.log(`W5 telemetry overhead: ${steps} steps × ${rounds} rounds, ${hz} frames/s (${Math.round(frames / rounds)} frames per run)`);
console.log(`  off: ${median(off).toFixed(0)} ms CPU (${off.map((v) => v.toFixed(0)).join(', ')})`);
console.log(`  on:  ${median(on).toFixed(0)} ms CPU (${on.map((v) => v.toFixed(0)).join(', ')})`);
console.log(`  overhead: ${((ratio - 1) * 100).toFixed(2)}% (${((median(on) - median(off)) / Math.max(1, frames / rounds)).toFixed(2)} ms CPU per frame)`);
console.log(JSON.stringify({ workload: 'W5', steps, rounds, hz, offMs: off, onMs: on, overhead: ratio - 1 }));
