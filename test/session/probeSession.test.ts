import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { validateModel } from '../../src/modelFile/validate';
import type { ProbeRequest } from '../../src/protocol/probeRequest';
import type { FitResult } from '../../src/engine';
import type { ProbeAnswerMessage } from '../../src/protocol/probeAnswer';
import type { ProbeSource, TelemetryFrameMessage } from '../../src/protocol/telemetry';
import { TrainingSession } from '../../src/session/trainingSession';
import { SessionError } from '../../src/session/sessionPlan';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';

/*
 * The Probe tab's requests run between training batches on the current weights: they must not
 * change what training computes (dropout draws from the network's seeded stream every batch, Adam
 * keeps moments) nor what an evaluation computes when they are answered between its chunks; each
 * is answered with the probe part of a frame (a full frame when none went before).
 */
const dir = tempDir();
const cnn = JSON.stringify({
  name: 'probe-cnn',
  profile: 'modern',
  precision: 'float32',
  seed: 5,
  data: { type: 'mnist-sample', layout: 'image' },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', keepProb: 0.8 },
    { type: 'maxPool2d', kernelSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, keepProb: 0.9 },
  ],
  loss: 'softmaxCrossEntropy',
  optimizer: { type: 'adam', lr: 0.002 },
  training: { epochs: 1, batchSize: 64, evalEvery: 1, seed: 3 },
});

/** What a session sends: full frames and Probe tab answers (the probe part of a frame). */
interface Sent {
  frames: TelemetryFrameMessage[];
  answers: ProbeAnswerMessage[];
}

function open(text: string, name: string, sent: Sent = { frames: [], answers: [] }): TrainingSession {
  const path = writeFile(dir, `${name}.nn.json`, text);
  const v = validateModel(text, path, { files: nodeFileAccess });
  assert.ok(v.spec, JSON.stringify(v.problems));
  return TrainingSession.open(
    { spec: v.spec, sourceText: text, modelFile: path },
    {
      telemetryHz: 0,
      runsDir: join(dir, 'runs'),
      warn: () => {},
      onFrame: (f) => sent.frames.push(f),
      onProbeAnswer: (a) => sent.answers.push(a),
    },
  );
}

/** The first `n` batch losses, calling `between` after each batch. */
function losses(s: TrainingSession, n: number, between: (i: number) => void = () => {}): number[] {
  const out: number[] = [];
  const gen = s.steps();
  for (let i = 0; i < n; i++) {
    const r = gen.next();
    assert.ok(!r.done);
    out.push(r.value.loss);
    between(i);
  }
  return out;
}

/** The whole fit: every batch's loss and the result (evaluations, final metrics, confusion matrix). */
function fitAll(s: TrainingSession, between: (i: number) => void = () => {}): { losses: number[]; result: FitResult } {
  const out: number[] = [];
  const gen = s.steps();
  for (let r = gen.next(), i = 0; ; r = gen.next(), i++) {
    if (r.done) return { losses: out, result: r.value };
    out.push(r.value.loss);
    between(i);
  }
}

const sessions: TrainingSession[] = [];

/** A probe's source without its timestamps (when the worker took the request, built the answer). */
function sourceOf(f: { probeSource?: ProbeSource }) {
  assert.ok(f.probeSource);
  const { takenAt, builtAt, ...rest } = f.probeSource;
  assert.ok(takenAt !== undefined && builtAt !== undefined && builtAt >= takenAt);
  return rest;
}
after(() => sessions.forEach((s) => s.close()));

describe('probing a run between its batches', () => {
  it('leaves training and its evaluations bit for bit as a run without probes (between batches and between an evaluation’s chunks), and answers each request', () => {
    const plain = open(cnn, 'plain');
    sessions.push(plain);
    const reference = fitAll(plain);
    plain.close();

    const sent: Sent = { frames: [], answers: [] };
    const probed = open(cnn, 'probed', sent);
    sessions.push(probed);
    const drawn = Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 14 ? 1 : 0));
    const requests: ProbeRequest[] = [
      { kind: 'row', row: 17, id: 1 },
      { kind: 'random', id: 2 },
      { kind: 'random', label: 3, id: 3, target: 3 },
      { kind: 'image', pixels: drawn, id: 4 },
    ];
    let asked = 0;
    const ask = () => probed.probe({ ...requests[asked % requests.length], id: ++asked }, probed.lastStep!);
    // The worker answers between an evaluation's chunks too (engineWorker.ts): on the weights it evaluates.
    let inEvaluation = 0;
    probed.trainer.addObserver({
      onInferenceChunk: () => {
        inEvaluation++;
        ask();
      },
    });
    const got = fitAll(probed, () => ask());
    assert.deepEqual(got.losses, reference.losses, 'the same losses, bit for bit');
    assert.deepEqual(got.result.evalLosses, reference.result.evalLosses, 'the same evaluations, bit for bit');
    assert.deepEqual(got.result.metrics, reference.result.metrics);
    assert.deepEqual(got.result.classification, reference.result.classification);
    // mnist-sample's 2,000 test rows in chunks of 889 rows: 3 chunks per evaluation, the epoch's and the fit's final one.
    assert.equal(inEvaluation, 6, 'requests answered between the chunks of both evaluations');

    // No frame yet (telemetry off): the first request is answered with a full frame, every later one with its probe part.
    assert.equal(sent.frames.length, 1);
    assert.equal(sent.answers.length, asked - 1);
    assert.equal(sent.frames[0].probeSource?.id, 1);
    assert.ok(sent.frames[0].probeOps?.some((o) => o.value));
    const [random, ofClass, image] = sent.answers;
    const row = sent.frames[0];
    assert.deepEqual(sourceOf(row), {
      kind: 'test',
      row: 17,
      label: row.probeSource?.kind === 'test' ? row.probeSource.label : -1,
      id: 1,
    });
    assert.ok(row.probeSource?.kind === 'test' && Number.isInteger(row.probeSource.label));
    assert.equal(random.probeSource.id, 2);
    assert.ok(ofClass.probeSource.kind === 'test' && ofClass.probeSource.label === 3, 'a random row of class 3');
    assert.equal(ofClass.probeSaliencyClass, 3, 'the saliency of the chosen class');
    assert.deepEqual(sourceOf(image), { kind: 'drawn', id: 4 });
    // mnist-sample is scaled to [0, 1] ('unit'): a full pixel is 1, a blank one 0.
    assert.deepEqual(Array.from(image.probeInput), drawn);
    for (const f of [row, ...sent.answers]) {
      const p = Array.from(f.probeOutput!);
      assert.equal(p.length, 10);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'probabilities');
      assert.equal(f.probeSaliency?.length, 784);
      assert.ok(
        f.probeSaliency!.some((v) => v !== 0),
        'a non-zero saliency',
      );
      const conv = f.layers.find((l) => l.index === 0);
      assert.equal(conv?.probeMapImportance?.length, 4, 'one value per feature map of the conv layer');
      assert.deepEqual(conv?.probeShape, [4, 28, 28]);
    }
    // An answer is the probe part alone: no statistics, no op graph.
    assert.ok(sent.answers.every((a) => !('probeOps' in a) && a.layers.every((l) => !('activation' in l))));
    // The answers in an evaluation are labelled with the last batch trained.
    assert.equal(sent.answers.at(-1)?.step, got.result.steps);
    // The session's own frames go on probing the last request, with its op graph.
    probed.telemetry.frameNow(probed.lastStep!);
    assert.deepEqual(sourceOf(sent.frames.at(-1)!), sourceOf(sent.answers.at(-1)!));
    assert.ok(sent.frames.at(-1)!.probeOps?.some((o) => o.value));
  });

  it('a second frame of the same batch reuses the batch’s summaries (copies: frames transfer their arrays)', () => {
    const sent: Sent = { frames: [], answers: [] };
    const s = open(cnn, 'twice', sent);
    sessions.push(s);
    losses(s, 2);
    s.telemetry.frameNow(s.lastStep!);
    s.telemetry.frameNow(s.lastStep!);
    const [x, y] = sent.frames;
    assert.deepEqual(x.layers[0].activation, y.layers[0].activation);
    assert.notEqual(x.layers[0].activationHistogram.counts, y.layers[0].activationHistogram.counts);
    assert.deepEqual(x.layers[0].activationHistogram.counts, y.layers[0].activationHistogram.counts);
  });

  it('after the run the training set goes, and every kind of request is still answered alike', () => {
    const sent: Sent = { frames: [], answers: [] };
    const s = open(cnn, 'served', sent);
    sessions.push(s);
    losses(s, 3);
    const e = s.lastStep!;
    const drawn = Array.from({ length: 784 }, (_, i) => (i % 28 === 14 ? 1 : 0));
    const requests: ProbeRequest[] = [
      { kind: 'row', row: 5, id: 1 },
      { kind: 'image', pixels: drawn, id: 2 },
      { kind: 'random', label: 7, id: 3 },
    ];
    const answer = (r: ProbeRequest) => {
      s.probe(r, e);
      const a = sent.answers.at(-1) ?? sent.frames.at(-1)!;
      return { input: Array.from(a.probeInput!), output: Array.from(a.probeOutput!), source: a.probeSource };
    };
    const before = requests.map(answer);
    const trainRows = s.data.dataset.xTrain.shape[0];
    assert.ok(trainRows > 1000);
    s.releaseTrainingData();
    assert.equal(s.data.dataset.xTrain.size, 0);
    assert.equal(s.data.dataset.yTrain.size, 0);
    assert.deepEqual(s.data.dataset.xTrain.shape.slice(1), [1, 28, 28]);
    const after = requests.map(answer);
    assert.deepEqual(after[0], { ...before[0], source: after[0].source });
    assert.deepEqual(after[1].input, before[1].input, 'the drawing maps to the same input values');
    assert.deepEqual(after[1].output, before[1].output);
    assert.ok(after[2].source?.kind === 'test' && after[2].source.label === 7);
    assert.throws(() => s.probe({ kind: 'image', pixels: [1], id: 9 }, e), /1 pixels, the model takes 784/);
  });

  it('refuses what does not fit the model with a message for the user', () => {
    const s = open(cnn, 'refuse');
    sessions.push(s);
    losses(s, 1);
    const e = s.lastStep!;
    assert.throws(
      () => s.probe({ kind: 'row', row: 10 ** 6, id: 1 }, e),
      (err) => err instanceof SessionError && /no test row/.test(err.message),
    );
    assert.throws(() => s.probe({ kind: 'image', pixels: [0, 1], id: 1 }, e), /2 pixels, the model takes 784/);
    assert.throws(() => s.probe({ kind: 'random', label: 12, id: 1 }, e), /no test row has the class 12/);
  });

  it('a table model takes feature values, and its summary has each feature’s range for the sliders', () => {
    const sent: Sent = { frames: [], answers: [] };
    const s = open(bostonModel({ precision: 'float32' }), 'boston', sent);
    sessions.push(s);
    const f = s.summary.features;
    assert.ok(f);
    assert.equal(f.names.length, 13);
    assert.equal(s.summary.task, 'regression');
    f.min.forEach((lo, i) => assert.ok(lo < f.max[i]));
    losses(s, 2);
    const mid = f.min.map((lo, i) => (lo + f.max[i]) / 2);
    s.probe({ kind: 'features', values: mid, id: 8 }, s.lastStep!);
    const high = [...mid];
    high[5] = f.max[5];
    s.probe({ kind: 'features', values: high, id: 9 }, s.lastStep!);
    const [a, b] = [sent.frames[0], sent.answers[0]];
    assert.deepEqual(sourceOf(a), { kind: 'values', id: 8 });
    assert.deepEqual(sourceOf(b), { kind: 'values', id: 9 });
    assert.equal(a.probeOutput?.length, 1);
    assert.notEqual(a.probeOutput![0], b.probeOutput![0], 'another value, another output');
    assert.throws(
      () => s.probe({ kind: 'features', values: [1, 2], id: 1 }, s.lastStep!),
      /2 feature values given, the model takes 13/,
    );
  });
});
