import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker } from '../../src/protocol/workerProtocol';
import { ControlWord } from '../../src/worker/controlWord';
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
});
