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
});
