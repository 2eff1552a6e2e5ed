/*
 * What a finished run's worker holds while it stays to answer the Probe tab (engineWorker.ts):
 * trains examples/mnist-mlp for one epoch in the real engine worker, waits for `done`, takes two
 * heap snapshots of the worker (each a full garbage collection of its heap) and prints the
 * process's resident memory. Compare a build that keeps the training set
 * (TrainingSession.releaseTrainingData not called) with one that drops it.
 *
 *   node out/test/bench/servingMemoryBench.js
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../src/data/packageRoot';
import type { FromWorker } from '../../src/protocol/workerProtocol';
import { Control, ControlWord } from '../../src/worker/controlWord';
import { ProbeMailbox } from '../../src/worker/probeMailbox';
import { WORKER } from '../helpers/workerRun';

async function main(): Promise<void> {
  const modelPath = join(packageRoot(), 'examples', 'mnist-mlp.nn.json');
  const modelText = readFileSync(modelPath, 'utf8').replace(/"epochs": \d+/, '"epochs": 1');
  const dir = mkdtempSync(join(tmpdir(), 'serving-'));
  const control = new ControlWord();
  const probes = new ProbeMailbox();
  const worker = new Worker(WORKER, { workerData: { control: control.buffer, probe: probes.buffer } });
  const collect = async (): Promise<void> => {
    const snapshot = await worker.getHeapSnapshot();
    snapshot.resume();
    await new Promise((r) => snapshot.on('end', r));
  };
  const done = new Promise<void>((resolve) =>
    worker.on('message', (m: FromWorker) => {
      const all = m.type === 'batch' ? m.messages : [m];
      if (all.some((x) => x.type === 'started')) control.set(Control.Run);
      if (all.some((x) => x.type === 'done')) resolve();
    }),
  );
  worker.postMessage({ type: 'start', runId: 'm', modelPath, modelText, runsDir: dir, telemetryHz: 5 });
  await done;
  await new Promise((r) => setTimeout(r, 1500)); // the worker reaches its serving loop
  await collect();
  await collect();
  const mb = (v: number) => (v / 2 ** 20).toFixed(0);
  console.log(`serving worker after mnist-mlp's run, collected: process RSS ${mb(process.memoryUsage().rss)} MB`);
  await worker.terminate();
  rmSync(dir, { recursive: true, force: true });
}

void main();
