import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, type LayerObservation } from '../../../src/doctor/layerHealth';
import { Conv2d } from '../../../src/engine/layers/conv2d';
import { Dense } from '../../../src/engine/layers/dense';
import { defaultInit } from '../../../src/engine/layers/init';
import { BOOK, MODERN } from '../../../src/engine/profile';
import { RandomState } from '../../../src/engine/random/randomState';
import { Control } from '../../../src/worker/controlWord';
import { glassbox } from '../../cli/cliProcess';
import { tempDir, writeFile } from '../../helpers/tempDir';
import { startWorkerRun } from '../../helpers/workerRun';

/*
 * Issue 12, item 3: in the modern profile a layer without `init` gets modern practice (He for the
 * ReLU family, Glorot otherwise); the book profile keeps the book's N(0, 1). The CNN of the issue
 * reached 62–70% with the old N(0, 1) default and must reach ≥ 90% with the new one, while an
 * explicit poor choice still trains as written and the training doctor still flags it.
 */
const mlp = (init?: string) =>
  JSON.stringify({
    name: 'tanh-mlp',
    profile: 'modern',
    seed: 1,
    data: { type: 'mnist-sample' },
    layers: [
      { type: 'dense', units: 64, activation: 'tanh', ...(init ? { init } : {}) },
      { type: 'dense', units: 10, ...(init ? { init } : {}) },
    ],
    loss: 'softmaxCrossEntropy',
    optimizer: { type: 'adam', lr: 0.002 },
    training: { epochs: 1, batchSize: 32 },
  });
const cnn = (init?: string) =>
  JSON.stringify({
    name: 'issue12-cnn',
    profile: 'modern',
    precision: 'float32',
    seed: 1,
    data: { type: 'mnist-sample', layout: 'image' },
    layers: [
      { type: 'conv2d', filters: 6, kernelSize: 5, activation: 'tanh', ...(init ? { init } : {}) },
      { type: 'maxPool2d', kernelSize: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 10, ...(init ? { init } : {}) },
    ],
    loss: 'softmaxCrossEntropy',
    optimizer: { type: 'adam', lr: 0.002 },
    training: { epochs: 2, batchSize: 32, evalEvery: 1 },
  });

describe('default weight initialisation', () => {
  it("is He for relu/leakyRelu and Glorot otherwise in the modern profile, the book's N(0, 1) in the book profile", () => {
    for (const a of ['relu', 'leakyRelu']) assert.equal(defaultInit(a, MODERN), 'he');
    for (const a of ['tanh', 'sigmoid', 'linear', 'softmax', undefined]) assert.equal(defaultInit(a, MODERN), 'glorot');
    for (const a of ['relu', 'tanh', undefined]) assert.equal(defaultInit(a, BOOK), 'standard');
  });

  it("names an explicit init in the layer's summary (hover, summary table), 'standard' too", () => {
    assert.equal(Dense.descriptor.describe({ units: 4, activation: 'tanh', init: 'standard' }), 'tanh, init standard');
    assert.equal(Dense.descriptor.describe({ units: 4, activation: 'tanh' }), 'tanh');
  });

  it('is documented in the schema, with no fixed default that would hide the choice', () => {
    for (const d of [Dense.descriptor, Conv2d.descriptor]) {
      assert.equal(d.args.init.default, undefined);
      assert.match(d.args.init.description ?? '', /modern profile 'he' for relu and leakyRelu, 'glorot'/);
      assert.match(d.args.init.description ?? '', /book profile 'standard'/);
    }
  });

  it("draws a dense layer without init with He or Glorot's std (modern) or N(0, 1) (book), an explicit init as written", () => {
    const rms = (args: ConstructorParameters<typeof Dense>[0], profile = MODERN) => {
      const d = new Dense(args);
      d.build([400], { rng: new RandomState(3), profile, dtype: 'float64', seed: 3 });
      const w = d.params()[0].value.data;
      let s = 0;
      for (const v of w) s += v * v;
      return Math.sqrt(s / w.length);
    };
    const near = (a: number, b: number) => assert.ok(Math.abs(a / b - 1) < 0.05, `${a} vs ${b}`);
    near(rms({ units: 100, activation: 'tanh' }), Math.sqrt(2 / 500));
    near(rms({ units: 100 }), Math.sqrt(2 / 500));
    near(rms({ units: 100, activation: 'relu' }), Math.sqrt(2 / 400));
    near(rms({ units: 100, activation: 'tanh', init: 'standard' }), 1);
    near(rms({ units: 100, activation: 'relu' }, BOOK), 1);
  });

  it("trains the issue's CNN (conv 6×5×5 tanh, max-pool, dense 10, Adam 0.002, 2 epochs) to ≥ 90% with the defaults", () => {
    const dir = tempDir();
    const r = glassbox(['train', writeFile(dir, 'cnn.nn.json', cnn()), '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const done = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    // Measured: 0.9155 (0.703 with the old N(0, 1) default, same seed).
    assert.ok(done.metrics.accuracy >= 0.9, `accuracy ${done.metrics.accuracy}`);
  });

  it('still lets the training doctor flag an explicit poor init (saturated units of a tanh MLP), and not the default', async () => {
    const dir = tempDir();
    const findings = async (init?: string) => {
      const text = mlp(init);
      const w = startWorkerRun({
        modelPath: writeFile(dir, `${init ?? 'default'}.nn.json`, text),
        modelText: text,
        runsDir: dir,
        telemetryHz: 50,
        paused: true,
      });
      await w.until((m) => m.type === 'paused');
      for (let i = 0; i < 3; i++) await w.step();
      const frames = w.messages.filter((m) => m.type === 'telemetry');
      w.control.set(Control.Stop);
      await w.worker.terminate();
      assert.ok(frames.length > 0, 'no telemetry frame');
      const last = frames[frames.length - 1];
      assert.ok(last.type === 'telemetry');
      const frame = last.frame;
      const observations: LayerObservation[] = frame.layers
        .filter((l) => l.weight)
        .map((l) => ({
          index: l.index,
          name: `layer ${l.index + 1} (${l.name})`,
          activation: l.index === 0 ? 'tanh' : undefined,
          step: frame.step,
          gradNorm: l.gradient?.norm ?? 1,
          weightNorm: l.weight?.norm ?? 1,
          updateRatio: l.updateRatio,
          nonFinite: 0,
          deadFraction: l.deadFraction,
          saturatedFraction: l.saturatedFraction,
        }));
      return diagnose(observations);
    };
    const poor = await findings('standard');
    const saturated = poor.find((f) => f.kind === 'saturated' && f.layer === 0);
    assert.ok(saturated, `no saturation finding for init 'standard': ${JSON.stringify(poor)}`);
    assert.deepEqual(saturated.fixes, ['changeInit']);
    const good = await findings();
    assert.equal(
      good.find((f) => f.kind === 'saturated'),
      undefined,
      `the default init is flagged: ${JSON.stringify(good)}`,
    );
  });
});
