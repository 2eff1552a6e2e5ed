import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker } from '../../src/protocol/workerProtocol';
import { Control, ControlWord } from '../../src/worker/controlWord';
import { ProbeMailbox } from '../../src/worker/probeMailbox';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';
import { WORKER } from '../helpers/workerRun';

type Telemetry = Extract<FromWorker, { type: 'telemetry' }>;
type Answer = Extract<FromWorker, { type: 'probe' }>;

describe('engine worker: Probe tab requests', () => {
  it('answers while paused, refuses a bad one with a message, and after the run still answers on the final weights', async () => {
    const dir = tempDir();
    const modelText = bostonModel({ training: { epochs: 40, batchSize: 32, evalEvery: 10, earlyStopping: false } });
    const modelPath = writeFile(dir, 'model.nn.json', modelText);
    const control = new ControlWord();
    const probes = new ProbeMailbox();
    const worker = new Worker(WORKER, { workerData: { control: control.buffer, probe: probes.buffer } });
    const messages: FromWorker[] = [];
    const waiters: (() => void)[] = [];
    worker.on('message', (posted: FromWorker) => {
      for (const m of posted.type === 'batch' ? posted.messages : [posted]) messages.push(m);
      waiters.splice(0).forEach((w) => w());
    });
    const until = async <T extends FromWorker>(pred: (m: FromWorker) => m is T, from = 0): Promise<T> => {
      for (const t0 = Date.now(); Date.now() - t0 < 30_000;) {
        const hit = messages.slice(from).find(pred);
        if (hit) return hit;
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
      throw new Error(`timed out; got ${messages.map((m) => m.type).join(',')}`);
    };
    const answer =
      (id: number) =>
      (m: FromWorker): m is Answer =>
        m.type === 'probe' && m.answer.probeSource.id === id;
    const frameOf =
      (id: number) =>
      (m: FromWorker): m is Telemetry =>
        m.type === 'telemetry' && m.frame.probeSource?.id === id;
    worker.postMessage({
      type: 'start',
      runId: 't',
      modelPath,
      modelText,
      runsDir: join(dir, 'runs'),
      telemetryHz: 0,
      paused: true,
    });
    try {
      await until((m): m is FromWorker => m.type === 'paused');
      probes.postRequest({ kind: 'row', row: 3, id: 1 });
      control.wake();
      const paused = await until(answer(1));
      assert.deepEqual(paused.answer.probeSource.kind, 'test');
      assert.equal(paused.answer.probeOutput.length, 1);
      assert.equal(paused.answer.probeSaliency?.length, 13, '∂output/∂feature for each of the 13 inputs');
      // Paused, no frame would follow: the full frame of the probe (the Network tab's op graph) comes once the requests stop.
      const full = await until(frameOf(1));
      assert.ok(full.frame.probeOps?.some((o) => o.value));
      assert.ok(messages.indexOf(full) > messages.indexOf(paused), 'after the answer');
      let from = messages.length;
      probes.postRequest({ kind: 'features', values: [1, 2], id: 2 });
      control.wake();
      const refused = await until(
        (m): m is Extract<FromWorker, { type: 'probeError' }> => m.type === 'probeError',
        from,
      );
      assert.match(refused.message, /^Probe: 2 feature values given, the model takes 13\.$/);
      control.set(Control.Run);
      const done = await until((m): m is Extract<FromWorker, { type: 'done' }> => m.type === 'done');
      assert.equal(done.reason, 'finished');
      from = messages.length;
      probes.postRequest({ kind: 'features', values: new Array(13).fill(0.5), id: 3 });
      const after = await until(answer(3), from);
      assert.ok(after.answer.step >= paused.answer.step + 100, `probed at step ${after.answer.step}`);
      assert.deepEqual(after.answer.probeSource.kind, 'values');
      await until(frameOf(3), from);
    } finally {
      await worker.terminate();
    }
  });

  it('while training, a request that follows an answer within DRAWING_WAIT_MS is answered before the next batch, later ones after a rest of one batch', async () => {
    const dir = tempDir();
    const modelText = bostonModel({ training: { epochs: 5000, batchSize: 32, evalEvery: 1000, earlyStopping: false } });
    const modelPath = writeFile(dir, 'model.nn.json', modelText);
    const control = new ControlWord();
    const probes = new ProbeMailbox();
    const worker = new Worker(WORKER, { workerData: { control: control.buffer, probe: probes.buffer } });
    const answers = new Map<number, Answer>();
    let step = 0;
    let framed = false;
    const values = new Array(13).fill(0.5);
    worker.on('message', (posted: FromWorker) => {
      for (const m of posted.type === 'batch' ? posted.messages : [posted]) {
        if (m.type === 'progress') step = m.step;
        if (m.type === 'telemetry') framed = true;
        if (m.type !== 'probe') continue;
        answers.set(m.answer.probeSource.id ?? -1, m);
        // The user draws on: the next request 15 ms after the answer (boston trains a dozen batches or more in that time).
        const id = m.answer.probeSource.id!;
        if (id % 2 === 1) setTimeout(() => probes.postRequest({ kind: 'features', values, id: id + 1 }), 15);
      }
    });
    const wait = async (done: () => boolean) => {
      for (const t0 = Date.now(); !done(); await new Promise((r) => setTimeout(r, 5)))
        assert.ok(Date.now() - t0 < 30_000, 'timed out');
    };
    worker.postMessage({ type: 'start', runId: 't', modelPath, modelText, runsDir: join(dir, 'runs'), telemetryHz: 5 });
    try {
      control.set(Control.Run);
      // After a frame: answers are then the probe part alone ('probe').
      await wait(() => step > 50 && framed);
      const pairs: [number, number][] = [];
      for (let id = 1; id <= 9; id += 2) {
        probes.postRequest({ kind: 'features', values, id });
        await wait(() => answers.has(id + 1));
        pairs.push([answers.get(id)!.answer.step, answers.get(id + 1)!.answer.step]);
        await new Promise((r) => setTimeout(r, 60)); // training goes on between the strokes
      }
      // Without the wait each second request is taken dozens of batches later; a busy machine may
      // deliver an answer late, so at least one of the five pairs must have come within it.
      assert.ok(
        pairs.some(([a, b]) => a === b),
        `each second request was answered after more batches: ${JSON.stringify(pairs)}`,
      );
      // Later in the drawing (past the wait, within DRAWING_WINDOW_MS): a rest after every batch,
      // so a request 100 ms after an answer finds the worker a few batches on, not hundreds.
      const gaps: number[] = [];
      let prev = answers.get(10)!;
      for (let ask = 200; ask <= 208; ask += 2) {
        // Even ids: no follow-up request from the listener above.
        await new Promise((r) => setTimeout(r, 100));
        probes.postRequest({ kind: 'features', values, id: ask });
        await wait(() => answers.has(ask));
        gaps.push(answers.get(ask)!.answer.step - prev.answer.step);
        prev = answers.get(ask)!;
      }
      assert.ok(
        gaps.some((g) => g <= 20),
        `batches between answers 100 ms apart: ${gaps.join(', ')}`,
      );
      const before = step;
      await wait(() => step > before + 20);
    } finally {
      await worker.terminate();
    }
  });
});
