import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Control } from '../../src/worker/controlWord';
import { glassbox } from '../cli/cliProcess';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';
import { TEXT, textModel } from '../helpers/textModel';
import { startWorkerRun } from '../helpers/workerRun';

/*
 * The CLI and the extension's worker are two front ends of one TrainingSession: the same model
 * file gives the same run record (file names, metrics, summary) from either, and a run stopped in
 * the worker and resumed through the worker ends exactly as the uninterrupted run.
 */
// Dropout draws from the shared stream every batch: telemetry frames (20 a second in the worker,
// 1 in the CLI) would change the losses if they consumed random numbers.
const text = bostonModel({
  precision: 'float32',
  seed: 11,
  layers: [
    { type: 'dense', name: 'hidden', units: 8, activation: 'tanh', keepProb: 0.8 },
    { type: 'dense', units: 1 },
  ],
  training: { epochs: 120, batchSize: 16, evalEvery: 10, earlyStopping: false, seed: 4 },
  // latent.json (a PCA of the hidden layer on the test rows) is part of the record too.
  latent: 'hidden',
});
const dir = tempDir();
const modelPath = writeFile(dir, 'tiny.nn.json', text);

const files = (run: string) =>
  readdirSync(run)
    .filter((f) => !f.includes('.tmp-'))
    .sort();
const json = (run: string, f: string) => JSON.parse(readFileSync(join(run, f), 'utf8'));

describe('one training session, two front ends', () => {
  const cli = glassbox(['train', modelPath, '--json'], dir);
  assert.equal(cli.code, 0, cli.stderr);
  const cliDone = JSON.parse(cli.stdout.trim().split('\n').pop() as string);
  const cliRun = resolve(dir, cliDone.run);

  it('glassbox train and the worker write the same run-record files with the same metrics', async () => {
    const w = startWorkerRun({
      modelPath,
      modelText: text,
      runsDir: join(dir, 'worker'),
      telemetryHz: 20,
      paused: false,
    });
    const done = await w.done();
    assert.equal(done.reason, 'finished');
    assert.deepEqual(files(done.runDir), files(cliRun));
    for (const f of ['summary.json', 'telemetry.json', 'frame.json', 'latent.json', 'checkpoint.gbw', 'final.gbw'])
      assert.ok(files(cliRun).includes(f), `no ${f} in the CLI's record`);
    assert.equal(done.evalLosses.length, 12);
    assert.deepEqual(done.evalLosses, cliDone.evalLosses);
    const [a, b] = [json(cliRun, 'run.json'), json(done.runDir, 'run.json')];
    assert.deepEqual(b.result, a.result);
    // Evaluations agree but for how long each took (`seconds`, a measured time).
    const evaluations = (run: string) =>
      (json(run, 'metrics.json').evaluations as { seconds: number }[]).map(({ seconds: _, ...e }) => e);
    assert.deepEqual(evaluations(done.runDir), evaluations(cliRun));
    assert.deepEqual(json(done.runDir, 'summary.json'), json(cliRun, 'summary.json'));
    const latent = (run: string) => ({ ...json(run, 'latent.json'), seconds: 0 });
    assert.deepEqual(latent(done.runDir), latent(cliRun));
    assert.deepEqual(readFileSync(join(done.runDir, 'final.gbw')), readFileSync(join(cliRun, 'final.gbw')));
  });

  it('a run stopped in the worker and resumed through the worker ends as the uninterrupted run', async () => {
    const runsDir = join(dir, 'stopped');
    const w = startWorkerRun({ modelPath, modelText: text, runsDir, telemetryHz: 5, paused: true });
    await w.until((m) => m.type === 'paused');
    // 26 batches an epoch: stop in epoch 4, after three checkpointed epochs.
    for (let i = 0; i < 26 * 3 + 5; i++) await w.step();
    w.control.set(Control.Stop);
    const stopped = await w.done();
    assert.equal(stopped.reason, 'stopped');
    const rec = json(stopped.runDir, 'run.json');
    assert.equal(rec.status, 'interrupted');
    assert.equal(rec.checkpointEpoch, 3);

    const r = startWorkerRun({
      modelPath,
      modelText: '',
      runsDir: '',
      telemetryHz: 20,
      paused: false,
      resumeFrom: stopped.runDir,
    });
    const started = await r.until((m) => m.type === 'started');
    const resumed = await r.done();
    assert.equal(resumed.reason, 'finished');
    assert.equal(started.type === 'started' && started.runDir, resumed.runDir);
    assert.equal(resolve(resumed.runDir, '..'), resolve(runsDir), 'the new record goes beside the one it resumes');
    assert.deepEqual(resumed.evalLosses, cliDone.evalLosses);
    assert.equal(json(resumed.runDir, 'run.json').resumedFrom, stopped.runDir);
    assert.deepEqual(readFileSync(join(resumed.runDir, 'final.gbw')), readFileSync(join(cliRun, 'final.gbw')));
    assert.deepEqual(files(resumed.runDir), files(cliRun));
  });

  it('a text model: the same files (samples.json too), losses and samples from either front end', async () => {
    writeFile(dir, 'text.txt', TEXT);
    const textPath = writeFile(dir, 'text.nn.json', textModel());
    const c = glassbox(['train', textPath, '--json'], dir);
    assert.equal(c.code, 0, c.stderr);
    const cRun = resolve(dir, JSON.parse(c.stdout.trim().split('\n').pop() as string).run);
    const w = startWorkerRun({
      modelPath: textPath,
      modelText: textModel(),
      runsDir: join(dir, 'worker-text'),
      telemetryHz: 20,
      paused: false,
    });
    const done = await w.done();
    assert.equal(done.reason, 'finished');
    assert.deepEqual(files(done.runDir), files(cRun));
    assert.ok(files(cRun).includes('samples.json'));
    assert.deepEqual(json(done.runDir, 'run.json').result, json(cRun, 'run.json').result);
    assert.deepEqual(json(done.runDir, 'samples.json'), json(cRun, 'samples.json'));
    assert.deepEqual(json(done.runDir, 'summary.json'), json(cRun, 'summary.json'));
  });
});
