import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { validateModel } from '../../src/modelFile/validate';
import type { ProbeRequest } from '../../src/protocol/probeRequest';
import type { TelemetryFrameMessage } from '../../src/protocol/telemetry';
import { TrainingSession } from '../../src/session/trainingSession';
import { SessionError } from '../../src/session/sessionPlan';
import { bostonModel } from '../helpers/modelText';
import { tempDir, writeFile } from '../helpers/tempDir';

/*
 * The Probe tab's requests run between training batches on the current weights: they must not
 * change what training computes (dropout draws from the network's seeded stream every batch, Adam
 * keeps moments), and each answers with a frame of the probe.
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

function open(text: string, name: string, frames: TelemetryFrameMessage[] = []): TrainingSession {
  const path = writeFile(dir, `${name}.nn.json`, text);
  const v = validateModel(text, path, { files: nodeFileAccess });
  assert.ok(v.spec, JSON.stringify(v.problems));
  return TrainingSession.open(
    { spec: v.spec, sourceText: text, modelFile: path },
    { telemetryHz: 0, runsDir: join(dir, 'runs'), warn: () => {}, onFrame: (f) => frames.push(f) },
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

const sessions: TrainingSession[] = [];

/** A frame's probe source without its timestamps (when the worker took the request, built the frame). */
function sourceOf(f: TelemetryFrameMessage) {
  assert.ok(f.probeSource);
  const { takenAt, builtAt, ...rest } = f.probeSource;
  assert.ok(takenAt !== undefined && builtAt !== undefined && builtAt >= takenAt);
  return rest;
}
after(() => sessions.forEach((s) => s.close()));

describe('probing a run between its batches', () => {
  it('leaves the losses bit for bit as a run without probes, and answers each request with its frame', () => {
    const plain = open(cnn, 'plain');
    sessions.push(plain);
    const reference = losses(plain, 25);
    plain.close();

    const frames: TelemetryFrameMessage[] = [];
    const probed = open(cnn, 'probed', frames);
    sessions.push(probed);
    const drawn = Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 14 ? 1 : 0));
    const requests: ProbeRequest[] = [
      { kind: 'row', row: 17, id: 1 },
      { kind: 'random', id: 2 },
      { kind: 'random', label: 3, id: 3, target: 3 },
      { kind: 'image', pixels: drawn, id: 4 },
    ];
    const got = losses(probed, 25, (i) => probed.probe(requests[i % requests.length], probed.lastStep!));
    assert.deepEqual(got, reference, 'the same losses, bit for bit');
    assert.equal(frames.length, 25, 'one frame per probe');

    const [row, random, ofClass, image] = frames;
    assert.deepEqual(sourceOf(row), {
      kind: 'test',
      row: 17,
      label: row.probeSource?.kind === 'test' ? row.probeSource.label : -1,
      id: 1,
    });
    assert.ok(row.probeSource?.kind === 'test' && Number.isInteger(row.probeSource.label));
    assert.equal(random.probeSource?.id, 2);
    assert.ok(ofClass.probeSource?.kind === 'test' && ofClass.probeSource.label === 3, 'a random row of class 3');
    assert.equal(ofClass.probeSaliencyClass, 3, 'the saliency of the chosen class');
    assert.deepEqual(sourceOf(image), { kind: 'drawn', id: 4 });
    // mnist-sample is scaled to [0, 1] ('unit'): a full pixel is 1, a blank one 0.
    assert.deepEqual(Array.from(image.probeInput!), drawn);
    for (const f of frames) {
      const p = Array.from(f.probeOutput!);
      assert.equal(p.length, 10);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'probabilities');
      assert.equal(f.probeSaliency?.length, 784);
      assert.ok(
        f.probeSaliency!.some((v) => v !== 0),
        'a non-zero saliency',
      );
      assert.equal(f.layers[0].probeMapImportance?.length, 4, 'one value per feature map of the conv layer');
    }
    // The worker's own frames go on probing the last request.
    probed.telemetry.frameNow(probed.lastStep!);
    assert.deepEqual(sourceOf(frames.at(-1)!), sourceOf(frames.at(-2)!));
    // A second frame of the same batch reuses the batch's summaries (copies: frames transfer their arrays).
    const [x, y] = frames.slice(-2);
    assert.deepEqual(x.layers[0].activation, y.layers[0].activation);
    assert.notEqual(x.layers[0].activationHistogram.counts, y.layers[0].activationHistogram.counts);
    assert.deepEqual(x.layers[0].activationHistogram.counts, y.layers[0].activationHistogram.counts);
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
    const frames: TelemetryFrameMessage[] = [];
    const s = open(bostonModel({ precision: 'float32' }), 'boston', frames);
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
    const [a, b] = frames.slice(-2);
    assert.deepEqual(sourceOf(a), { kind: 'values', id: 8 });
    assert.equal(a.probeOutput?.length, 1);
    assert.notEqual(a.probeOutput![0], b.probeOutput![0], 'another value, another output');
    assert.throws(
      () => s.probe({ kind: 'features', values: [1, 2], id: 1 }, s.lastStep!),
      /2 feature values given, the model takes 13/,
    );
  });
});
