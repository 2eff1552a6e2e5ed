import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LAYER_SAMPLES, MAX_SAMPLES, MAX_TRAIN_POINTS, RunStore } from '../../src/extension/runStore';
import type { ToWebview } from '../../src/protocol/webviewProtocol';

const progress = (step: number) => ({
  epoch: 1,
  epochs: 1,
  batch: step,
  batchesPerEpoch: 1e9,
  step,
  loss: 1,
  samplesPerSecond: 1,
  elapsedMs: 1,
});

describe('RunStore', () => {
  it('keeps memory bounded over a long run (one hour at 20 points/s)', () => {
    const s = new RunStore('/m.nn.json');
    for (let i = 1; i <= 72000; i++) s.addProgress({ step: i, loss: 1 / i }, progress(i));
    assert.ok(s.train.length <= MAX_TRAIN_POINTS, `${s.train.length} points`);
    assert.equal(s.train[s.train.length - 1].step, 72000);
    for (let i = 1; i <= 36000; i++)
      s.setFrame({
        step: i,
        epoch: 1,
        loss: 1,
        layers: [
          {
            index: 0,
            name: 'd',
            kind: 'Dense',
            activation: stat(),
            activationHistogram: { min: 0, max: 1, counts: new Uint32Array(4) },
            gradient: stat(i),
            updateRatio: 0,
            deadFraction: 0,
            saturatedFraction: 0,
          },
        ],
      });
    assert.ok(s.layerHistory[0].length <= MAX_LAYER_SAMPLES);
    assert.equal(s.layerHistory[0][s.layerHistory[0].length - 1].gradNorm, 36000);
  });

  it('keeps the newest layer sample when it thins the history (the hover shows the latest norms)', () => {
    const s = new RunStore('/m.nn.json');
    for (let i = 1; i <= 3 * MAX_LAYER_SAMPLES; i++) {
      s.setFrame({
        step: i,
        epoch: 1,
        loss: 1,
        layers: [
          {
            index: 0,
            name: 'd',
            kind: 'Dense',
            activation: stat(),
            activationHistogram: { min: 0, max: 1, counts: new Uint32Array(4) },
            gradient: stat(i),
            updateRatio: 0,
            deadFraction: 0,
            saturatedFraction: 0,
          },
        ],
      });
      const h = s.layerHistory[0];
      assert.equal(h[h.length - 1].step, i, `after frame ${i} (${h.length} samples)`);
      assert.ok(h.length <= MAX_LAYER_SAMPLES);
      const sh = s.statsHistory[0];
      assert.equal(sh[sh.length - 1].step, i);
    }
  });

  it("keeps a text model's newest samples (bounded), streams each, puts them in snapshots and forgets them at the next run", () => {
    const s = new RunStore('/m.nn.json');
    const got: ToWebview[] = [];
    s.subscribe((m) => got.push(m));
    for (let i = 1; i <= MAX_SAMPLES + 7; i++)
      s.addSample({ iteration: 100 * i, epoch: 1, seedText: 'Th', temperature: 1, text: `e ${i}` });
    assert.equal(s.samples.length, MAX_SAMPLES);
    assert.equal(s.samples[s.samples.length - 1].text, `e ${MAX_SAMPLES + 7}`);
    assert.equal(got.filter((m) => m.type === 'sample').length, MAX_SAMPLES + 7);
    const snap = s.snapshot();
    assert.ok(snap.type === 'snapshot' && snap.samples?.length === MAX_SAMPLES && snap.samples[0].iteration === 800);
    s.begin();
    assert.equal(s.samples.length, 0);
  });

  it("holds the run's latent projection for snapshots, streams it, and forgets it at the next run", () => {
    const s = new RunStore('/m.nn.json');
    const got: ToWebview[] = [];
    s.subscribe((m) => got.push(m));
    const latent = {
      layer: 'encoding',
      width: 16,
      method: 'pca' as const,
      rows: 2,
      points: [
        [0, 1],
        [1, 0],
      ] as [number, number][],
      labels: [3, 4],
    };
    s.setLatent(latent);
    assert.deepEqual(got.at(-1), { type: 'latent', latent });
    const snap = s.snapshot();
    assert.ok(snap.type === 'snapshot' && snap.latent === latent);
    s.begin();
    assert.equal(s.latent, null);
  });

  it('answers a view with a snapshot and streams increments to subscribers', () => {
    const s = new RunStore('/m.nn.json');
    const got: ToWebview[] = [];
    const sub = s.subscribe((m) => got.push(m));
    s.begin();
    s.addProgress({ step: 1, loss: 2 }, progress(1));
    s.addEval({ epoch: 1, step: 1, loss: 1.5, metrics: { accuracy: 0.5 } });
    sub.dispose();
    s.setState('finished');
    assert.deepEqual(
      got.map((m) => m.type),
      ['state', 'snapshot', 'trainPoints', 'evalPoint'],
    );
    const snap = s.snapshot();
    assert.equal(snap.type, 'snapshot');
    if (snap.type === 'snapshot') {
      assert.equal(snap.train?.length, 1);
      assert.equal(snap.evals?.[0].loss, 1.5);
      assert.equal(snap.state, 'finished');
      assert.equal(snap.modelPath, '/m.nn.json');
    }
  });
});

function stat(norm = 1) {
  return { mean: 0, std: 1, min: -1, max: 1, norm, zeroFraction: 0, nanCount: 0, infCount: 0 };
}

describe('RunStore step-through cursor', () => {
  it('walks forward through every op, then backward, then ends (the batch trains)', () => {
    const s = new RunStore('/m.nn.json');
    const op = (layer: number, name: string) => ({ layer, name, shape: [2] });
    s.setFrame({
      step: 1,
      epoch: 1,
      loss: 1,
      layers: [],
      probeOps: [op(0, 'WeightMultiply'), op(0, 'BiasAdd'), op(1, 'Tanh')],
    });
    const seen: string[] = [];
    for (let c = s.nextOpCursor(); c; c = s.nextOpCursor()) {
      s.setOpCursor(c);
      seen.push(`${c.phase[0]}${c.index}`);
    }
    assert.deepEqual(seen, ['f0', 'f1', 'f2', 'b2', 'b1', 'b0']);
    s.setState('running');
    assert.equal(s.opCursor, null, 'resuming clears the cursor');
  });
});
