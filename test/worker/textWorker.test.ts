import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker } from '../../src/protocol/workerProtocol';
import { Control, ControlWord } from '../../src/worker/controlWord';
import { ProbeMailbox } from '../../src/worker/probeMailbox';
import { tempDir, writeFile } from '../helpers/tempDir';
import { TEXT, textModel } from '../helpers/textModel';

const WORKER = resolve(__dirname, '../../src/worker/engineWorker.js');

describe('engine worker: a text model', () => {
  it('trains through the same path as the CLI: rounds as epochs, each sample sent to the host and kept in samples.json', async () => {
    const dir = tempDir();
    writeFile(dir, 'text.txt', TEXT);
    const modelText = textModel();
    const modelPath = writeFile(dir, 'model.nn.json', modelText);
    const control = new ControlWord();
    const worker = new Worker(WORKER, { workerData: { control: control.buffer } });
    const messages: FromWorker[] = [];
    const done = new Promise<Extract<FromWorker, { type: 'done' }>>((res) => {
      worker.on('message', (posted: FromWorker) => {
        for (const m of posted.type === 'batch' ? posted.messages : [posted]) {
          messages.push(m);
          if (m.type === 'done') res(m);
        }
      });
    });
    worker.postMessage({
      type: 'start',
      runId: 't',
      modelPath,
      modelText,
      runsDir: join(dir, 'runs'),
      telemetryHz: 20,
      paused: false,
    });
    const d = await done;
    await worker.terminate();
    const errors = messages.filter((m) => m.type === 'error');
    assert.deepEqual(errors, []);
    assert.equal(d.reason, 'finished');
    assert.equal(d.epochsRun, 2);
    assert.equal(d.steps, 40);
    const started = messages.find((m) => m.type === 'started') as Extract<FromWorker, { type: 'started' }>;
    assert.equal(started.summary.batchesPerEpoch, 20);
    assert.equal(messages.filter((m) => m.type === 'evaluation').length, 2);
    const sent = messages
      .filter((m): m is Extract<FromWorker, { type: 'sample' }> => m.type === 'sample')
      .map((m) => m.sample);
    assert.equal(sent.length, 2);
    const samples = JSON.parse(readFileSync(join(d.runDir, 'samples.json'), 'utf8'));
    assert.deepEqual(
      samples.samples.map((s: { iteration: number; text: string }) => [s.iteration, [...s.text].length]),
      [
        [20, 30],
        [40, 30],
      ],
    );
    assert.deepEqual(
      sent.map((s) => [s.iteration, s.text]),
      samples.samples.map((s: { iteration: number; text: string }) => [s.iteration, s.text]),
      'the host gets the recorded samples',
    );
    assert.ok(existsSync(join(d.runDir, 'final.gbw')));
  });

  it('runs a typed probe text while training (paused) and after the run; a character it never saw is refused', async () => {
    const dir = tempDir();
    writeFile(dir, 'text.txt', TEXT);
    const modelText = textModel({
      training: { iterations: 400, batchSize: 4, evalEvery: 200, sampleEvery: 1000, sampleLength: 10 },
    });
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
      throw new Error(
        `timed out; got ${messages.map((m) => m.type + (m.type === 'telemetry' ? JSON.stringify(m.frame.probeText) : '')).join(',')}`,
      );
    };
    const probeFrame =
      (text: string) =>
      (m: FromWorker): m is Extract<FromWorker, { type: 'telemetry' }> =>
        m.type === 'telemetry' && m.frame.probeText?.join('') === text;
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
      // Paused: the probe runs on the paused weights, at once (the host wakes the paused worker).
      let from = messages.length;
      probes.post('the night');
      control.wake();
      const f = await until(probeFrame('the nigh'), from);
      const lstm = f.frame.layers[0].sequence;
      assert.equal(lstm?.steps, 8, 'one time step per character read');
      assert.equal(Array.from(lstm!.gradNorm).filter(Number.isFinite).length, 8);
      from = messages.length;
      probes.post('a\u2603b');
      control.wake();
      const refused = await until(
        (m): m is Extract<FromWorker, { type: 'probeError' }> => m.type === 'probeError',
        from,
      );
      assert.match(refused.message, /does not know "☃"/);
      // Trained to the end, then a text model's worker still answers (the panel's Sequence tab after the run).
      control.set(Control.Run);
      await until((m): m is FromWorker => m.type === 'done');
      from = messages.length;
      probes.post('Little Lamb');
      const afterRun = await until(probeFrame('Little Lam'), from);
      assert.ok(afterRun.frame.step >= 399, `probed at step ${afterRun.frame.step}`);
    } finally {
      await worker.terminate();
    }
  });
});
