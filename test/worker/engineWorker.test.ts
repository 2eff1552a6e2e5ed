import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker } from '../../src/protocol/workerProtocol';
import { Control, ControlWord } from '../../src/worker/controlWord';
import { RunStore } from '../../src/extension/runStore';
import { latestRunFolder, restoreFromRecord } from '../../src/extension/runRestore';

/*
 * Drives the real worker entry (compiled to out/) in a worker_threads Worker, as the extension
 * host does: start, stop, pause/step, and failures.
 */
const WORKER = resolve(__dirname, '../../src/worker/engineWorker.js');
const E33 = resolve(__dirname, '../../../examples/E3.3.nn.json');

function startWorker(
  modelPath: string,
  modelText: string,
  opts: { paused?: boolean; held?: boolean; telemetryHz?: number; defaultPrecision?: 'float32' | 'float64' } = {},
) {
  const control = new ControlWord();
  // As RunController.start does for a run whose panel is still starting.
  if (opts.held) control.set(Control.Hold);
  const worker = new Worker(WORKER, { workerData: { control: control.buffer } });
  const messages: FromWorker[] = [];
  const raw: FromWorker[] = [];
  const listeners: ((m: FromWorker) => void)[] = [];
  worker.on('message', (posted: FromWorker) => {
    raw.push(posted);
    // The worker batches its reports (one cross-thread message at most every ~50 ms).
    for (const m of posted.type === 'batch' ? posted.messages : [posted]) {
      messages.push(m);
      listeners.forEach((l) => l(m));
    }
  });
  const runsDir = mkdtempSync(join(tmpdir(), 'glassbox-worker-'));
  worker.postMessage({
    type: 'start',
    runId: 't',
    modelPath,
    modelText,
    runsDir,
    telemetryHz: opts.telemetryHz ?? 20,
    paused: opts.paused ?? false,
    defaultPrecision: opts.defaultPrecision,
  });
  const until = (pred: (m: FromWorker) => boolean, timeoutMs = 20000) =>
    new Promise<FromWorker>((res, rej) => {
      const hit = messages.find(pred);
      if (hit) return res(hit);
      const t = setTimeout(() => rej(new Error(`timed out; got ${messages.map((m) => m.type).join(',')}`)), timeoutMs);
      listeners.push((m) => {
        if (pred(m)) {
          clearTimeout(t);
          res(m);
        }
      });
    });
  return { worker, control, messages, raw, until, runsDir };
}

describe('engine worker', () => {
  it('trains E3.3 to the book numbers and reports started, progress, evaluations, telemetry and done', async () => {
    const w = startWorker(E33, readFileSync(E33, 'utf8'));
    const done = (await w.until((m) => m.type === 'done')) as Extract<FromWorker, { type: 'done' }>;
    await w.worker.terminate();
    assert.equal(done.reason, 'finished');
    assert.deepEqual(
      done.evalLosses.map((v) => v.toFixed(3)),
      ['44.143', '25.278', '22.339', '16.500', '14.655'],
    );
    assert.equal(done.metrics.mae.toFixed(4), '2.4478');
    const types = new Set(w.messages.map((m) => m.type));
    for (const t of ['started', 'progress', 'evaluation', 'telemetry', 'done'])
      assert.ok(types.has(t as FromWorker['type']), `no '${t}' message`);
    const run = JSON.parse(readFileSync(join(done.runDir, 'run.json'), 'utf8'));
    assert.equal(run.status, 'complete');
    const frame = w.messages.find((m) => m.type === 'telemetry') as Extract<FromWorker, { type: 'telemetry' }>;
    assert.equal(frame.frame.layers.length, 3);
    assert.ok(frame.frame.layers[0].probeActivation instanceof Float32Array);
    // 50 epoch ends and 5 evaluations in well under a second: they reach the host in batches.
    assert.ok(
      w.raw.some((m) => m.type === 'batch'),
      'no batch message',
    );
    assert.ok(w.raw.length < w.messages.length / 2, `${w.raw.length} posts for ${w.messages.length} reports`);
    const last = w.raw.at(-1);
    assert.deepEqual(
      last?.type === 'batch' ? last.messages.at(-1) : last,
      done,
      "'done' goes at once, after what was queued",
    );

    // The run record lets the editor show this run again (reload, or a run from the CLI).
    const store = new RunStore(E33);
    restoreFromRecord(store, done.runDir);
    assert.equal(store.state, 'finished');
    assert.equal(store.run?.modelName, 'E3.3');
    assert.deepEqual(
      store.evals.map((e) => e.loss.toFixed(3)),
      ['44.143', '25.278', '22.339', '16.500', '14.655'],
    );
    const frames = w.messages.filter((m): m is Extract<FromWorker, { type: 'telemetry' }> => m.type === 'telemetry');
    const lastFrame = frames[frames.length - 1].frame;
    const h = store.layerHistory[0];
    assert.equal(h[h.length - 1].step, lastFrame.step);
    assert.equal(h[h.length - 1].gradNorm, lastFrame.layers[0].gradient?.norm);
    assert.equal(latestRunFolder(w.runsDir, E33), done.runDir);
    // …including the last frame, so the Network/Probe tabs and the doctor come back after a reload.
    assert.equal(store.frame?.step, lastFrame.step);
    assert.equal(store.frame?.probeOps?.length, lastFrame.probeOps?.length);
    assert.ok(store.frame?.probeOps?.[0].value instanceof Float32Array);
    assert.equal(store.frame?.layers[2].gradient?.norm, lastFrame.layers[2].gradient?.norm);
    const snap = store.snapshot();
    assert.equal(snap.type === 'snapshot' && snap.frame?.step, lastFrame.step);
  });

  it('starts paused, trains exactly one batch per step, and stops within 100 ms', async () => {
    const w = startWorker(E33, readFileSync(E33, 'utf8'), { paused: true });
    await w.until((m) => m.type === 'paused');
    const progressBefore = w.messages.filter((m) => m.type === 'progress').length;
    w.control.set(Control.Step);
    await w.until((m) => m.type === 'paused' && m.step === 2);
    assert.equal(w.messages.filter((m) => m.type === 'progress').length, progressBefore + 1);
    w.control.set(Control.Stop);
    const t0 = Date.now();
    const done = (await w.until((m) => m.type === 'done')) as Extract<FromWorker, { type: 'done' }>;
    const ms = Date.now() - t0;
    await w.worker.terminate();
    assert.equal(done.reason, 'stopped');
    assert.equal(done.steps, 2);
    assert.ok(ms < 100 + 400, `stop took ${ms} ms`); // 100 ms budget + writing the run record on a loaded CI machine
    assert.equal(JSON.parse(readFileSync(join(done.runDir, 'run.json'), 'utf8')).status, 'interrupted');
  });

  it('held, builds the run but trains no batch until released; a stop reports stopping before done', async () => {
    const w = startWorker(E33, readFileSync(E33, 'utf8'), { held: true });
    await w.until((m) => m.type === 'started');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(w.messages.filter((m) => m.type === 'progress').length, 0, 'a held run trained a batch');
    w.control.release();
    await w.until((m) => m.type === 'progress');
    w.control.set(Control.Stop);
    await w.until((m) => m.type === 'done');
    await w.worker.terminate();
    const types = w.messages.map((m) => m.type);
    assert.ok(types.includes('stopping'), `no stopping report in ${types.join(',')}`);
    assert.ok(types.indexOf('stopping') < types.indexOf('done'));
    const stoppedAt = (w.messages.find((m) => m.type === 'stopping') as { step: number }).step;
    const last = w.messages.filter((m) => m.type === 'progress').pop() as { step: number };
    assert.ok(last.step <= stoppedAt, `a batch (step ${last.step}) was reported after stopping at ${stoppedAt}`);
  });

  it('trains an autoencoder (reshape, target input) and writes latent.json to the run record', async () => {
    const file = resolve(__dirname, '../../../examples/mnist-autoencoder.nn.json');
    // One epoch and t-SNE on 100 rows keep this quick; the CLI test covers the example as shipped.
    const text = readFileSync(file, 'utf8')
      .replace('"epochs": 2', '"epochs": 1')
      .replace('"latent": "encoding"', '"latent": { "layer": "encoding", "method": "tsne", "rows": 100 }');
    const w = startWorker(file, text);
    const done = (await w.until((m) => m.type === 'done', 60000)) as Extract<FromWorker, { type: 'done' }>;
    await w.worker.terminate();
    assert.equal(done.reason, 'finished');
    assert.deepEqual(Object.keys(done.metrics), ['mse', 'mae']);
    const latent = JSON.parse(readFileSync(join(done.runDir, 'latent.json'), 'utf8'));
    assert.deepEqual(
      [latent.method, latent.layer, latent.points.length, latent.labels.length],
      ['tsne', 'encoding', 100, 100],
    );
    assert.ok(
      w.messages.some(
        (m) => m.type === 'log' && /latent: t-SNE of encoding \(16 values\) on 100 test rows/.test(m.message),
      ),
    );
  });

  it('reports an invalid model as a failed run with the problem and its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-bad-'));
    const bad = join(dir, 'bad.nn.json');
    const text =
      '{ "data": "boston", "layers": [ { "type": "dense", "units": 0 } ], "loss": "meanSquaredError", "optimizer": { "type": "sgd", "lr": 0.1 } }';
    writeFileSync(bad, text);
    const w = startWorker(bad, text);
    const err = (await w.until((m) => m.type === 'error')) as Extract<FromWorker, { type: 'error' }>;
    const done = (await w.until((m) => m.type === 'done')) as Extract<FromWorker, { type: 'done' }>;
    await w.worker.terminate();
    assert.match(err.message, /bad\.nn\.json:1:\d+: .*units/);
    assert.equal(done.reason, 'failed');
  });

  it('applies the default precision setting only to files that do not set precision', async () => {
    const text = readFileSync(E33, 'utf8');
    const without = text.replace(/"precision": "float64",\s*/, '');
    const a = startWorker(E33, without, { defaultPrecision: 'float64', paused: true });
    const sa = (await a.until((m) => m.type === 'started')) as Extract<FromWorker, { type: 'started' }>;
    a.control.set(Control.Stop);
    await a.until((m) => m.type === 'done');
    await a.worker.terminate();
    const b = startWorker(E33, text.replace('"precision": "float64"', '"precision": "float32"'), {
      defaultPrecision: 'float64',
      paused: true,
    });
    const sb = (await b.until((m) => m.type === 'started')) as Extract<FromWorker, { type: 'started' }>;
    b.control.set(Control.Stop);
    await b.until((m) => m.type === 'done');
    await b.worker.terminate();
    assert.equal(sa.summary.precision, 'float64');
    assert.equal(sb.summary.precision, 'float32');
  });
});
