import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GRU } from '../../../src/engine/layers/gru';
import { LSTM } from '../../../src/engine/layers/lstm';
import type { RecurrentLayer } from '../../../src/engine/layers/recurrentLayer';
import { RNN } from '../../../src/engine/layers/rnn';
import { SequenceSoftmaxCrossEntropy } from '../../../src/engine/losses/sequenceSoftmaxCrossEntropy';
import { NeuralNetwork } from '../../../src/engine/network/neuralNetwork';
import { Tensor } from '../../../src/engine/tensor/tensor';
import { TelemetryCollector, type TelemetryOptions } from '../../../src/engine/telemetry/telemetryCollector';
import type { TelemetryFrame } from '../../../src/engine/telemetry/telemetryFrame';
import { randn } from '../helpers/gradHelpers';
import { toFrameMessage } from '../../../src/session/telemetryAdapter';

const T = 6,
  V = 4;

function oneHot(rows: number, seed: number): Tensor {
  const y = Tensor.zeros([rows, T, V], 'float64');
  for (let i = 0; i < rows * T; i++) y.data[i * V + ((i * 7 + seed) % V)] = 1;
  return y;
}

/** A network trained one batch, then one telemetry frame of it (probe: one row [1, T, V]). */
function frameOf(
  layers: RecurrentLayer[],
  opts: Partial<TelemetryOptions> = {},
): { net: NeuralNetwork; f: TelemetryFrame } {
  const net = new NeuralNetwork({ layers, loss: new SequenceSoftmaxCrossEntropy(), seed: 3, dtype: 'float64' });
  const x = randn([3, T, V], 1),
    y = oneHot(3, 0);
  const { loss, tape } = net.trainBatch(x, y);
  let frame: TelemetryFrame | undefined;
  const probe = { x: randn([1, T, V], 2), y: oneHot(1, 1) };
  const collector = new TelemetryCollector({ every: 1, probe, onFrame: (fr) => (frame = fr), ...opts });
  collector.onBatchEnd({
    epoch: 1,
    batch: 0,
    batchesPerEpoch: 1,
    step: 0,
    batchSize: 3,
    loss,
    lr: 0.1,
    network: net,
    tape,
    input: x,
    target: y,
  });
  assert.ok(frame?.probe);
  return { net, f: frame };
}

/** [steps, units] series of a trace by name. */
function series(f: TelemetryFrame, layer: number, name: string): Float32Array {
  const s = f.probe?.layers[layer].sequence?.series.find((v) => v.name === name);
  assert.ok(s, `layer ${layer} has no ${name} series`);
  return s.values;
}

describe('recurrent telemetry over the probe sequence', () => {
  it('records h, c and every gate [T, hidden] and ‖∂L/∂h_t‖ [T] for LSTM and GRU layers; RNN records h', () => {
    const { f } = frameOf([
      new LSTM({ hiddenSize: 5, outputSize: 3 }),
      new GRU({ hiddenSize: 4, outputSize: 3 }),
      new RNN({ hiddenSize: 2, outputSize: V }),
    ]);
    const names = f.probe!.layers.map((l) => l.sequence?.series.map((s) => s.name));
    assert.deepEqual(names, [
      ['h', 'c', 'input', 'forget', 'output', 'candidate'],
      ['h', 'reset', 'update', 'candidate'],
      ['h'],
    ]);
    f.probe!.layers.forEach((l, i) => {
      const s = l.sequence!;
      const hidden = [5, 4, 2][i];
      assert.deepEqual(
        [s.kind, s.steps, s.totalSteps, s.units, s.hiddenSize],
        [['LSTM', 'GRU', 'RNN'][i], T, T, hidden, hidden],
      );
      for (const v of s.series) assert.equal(v.values.length, T * hidden);
      assert.equal(s.gradNorm.length, T);
      for (const g of s.gradNorm) assert.ok(Number.isFinite(g) && g > 0, `gradient norm ${g}`);
    });
  });

  it('caps the steps and units sent', () => {
    const { f } = frameOf([new LSTM({ hiddenSize: 7, outputSize: V })], { maxSequenceSteps: 4, maxSequenceUnits: 3 });
    const s = f.probe!.layers[0].sequence!;
    assert.deepEqual([s.steps, s.totalSteps, s.units, s.hiddenSize], [4, T, 3, 7]);
    for (const v of s.series) assert.equal(v.values.length, 12);
    assert.equal(s.gradNorm.length, 4);
    // The capped series is the uncapped one's top-left corner.
    const full = frameOf([new LSTM({ hiddenSize: 7, outputSize: V })]).f.probe!.layers[0].sequence!;
    const h = full.series[0].values;
    for (let t = 0; t < 4; t++) for (let j = 0; j < 3; j++) assert.equal(s.series[0].values[t * 3 + j], h[t * 7 + j]);
  });

  for (const Kind of [LSTM, GRU, RNN]) {
    it(`${Kind.name}: h_t is what the layer projects, h_t·W_v + B_v = its output at t; ‖∂L/∂h_T‖ = ‖∂L/∂y_T·W_vᵀ‖`, () => {
      const n = 5;
      const layer = new Kind({ hiddenSize: n, outputSize: V });
      const { f } = frameOf([layer]);
      const h = series(f, 0, 'h');
      const ps = layer.params();
      const wv = ps[ps.length - 2].value.data,
        bv = ps[ps.length - 1].value.data;
      const { activation: y, gradient: dy } = f.probe!.layers[0];
      for (let t = 0; t < T; t++)
        for (let o = 0; o < V; o++) {
          let v = bv[o];
          for (let j = 0; j < n; j++) v += h[t * n + j] * wv[j * V + o];
          assert.ok(Math.abs(v - y[t * V + o]) < 1e-6, `step ${t} output ${o}: ${v} vs ${y[t * V + o]}`);
        }
      let sq = 0;
      for (let j = 0; j < n; j++) {
        let d = 0;
        for (let o = 0; o < V; o++) d += dy[(T - 1) * V + o] * wv[j * V + o];
        sq += d * d;
      }
      const g = f.probe!.layers[0].sequence!.gradNorm;
      assert.ok(
        Math.abs(g[T - 1] - Math.sqrt(sq)) < 1e-6 * Math.max(1, Math.sqrt(sq)),
        `${g[T - 1]} vs ${Math.sqrt(sq)}`,
      );
      // Earlier steps also receive gradient from later ones: not just the projection's share.
      assert.ok(g.every((v) => v > 0));
    });
  }

  it('sigmoid gates lie in (0, 1), candidates and h in (−1, 1), and they vary over time and units', () => {
    const { f } = frameOf([new LSTM({ hiddenSize: 5, outputSize: 3 }), new GRU({ hiddenSize: 4, outputSize: V })]);
    const sigmoid = [
      [0, 'input'],
      [0, 'forget'],
      [0, 'output'],
      [1, 'reset'],
      [1, 'update'],
    ] as const;
    for (const [layer, name] of sigmoid) {
      const v = series(f, layer, name);
      assert.ok(
        v.every((a) => a > 0 && a < 1),
        `${name} outside (0, 1)`,
      );
      assert.ok(new Set(v).size > 1, `${name} is uniform`);
    }
    for (const [layer, name] of [
      [0, 'candidate'],
      [0, 'h'],
      [1, 'candidate'],
      [1, 'h'],
    ] as const)
      assert.ok(series(f, layer, name).every((a) => a > -1 && a < 1));
  });

  it('the probe leaves a carried state as it was', () => {
    const layer = new LSTM({ hiddenSize: 5, outputSize: V, state: 'carry' });
    const net = new NeuralNetwork({
      layers: [layer],
      loss: new SequenceSoftmaxCrossEntropy(),
      seed: 3,
      dtype: 'float64',
    });
    const x = randn([3, T, V], 1),
      y = oneHot(3, 0);
    const { loss, tape } = net.trainBatch(x, y);
    const before = layer.carriedState!.map((s) => Array.from(s.data));
    assert.ok(before[0].some((v) => v !== 0));
    let frame: TelemetryFrame | undefined;
    const probe = { x: randn([1, T, V], 2), y: oneHot(1, 1) };
    new TelemetryCollector({ every: 1, probe, onFrame: (fr) => (frame = fr) }).onBatchEnd({
      epoch: 1,
      batch: 0,
      batchesPerEpoch: 1,
      step: 0,
      batchSize: 3,
      loss,
      lr: 0.1,
      network: net,
      tape,
      input: x,
      target: y,
    });
    assert.ok(frame?.probe?.layers[0].sequence);
    assert.deepEqual(
      layer.carriedState!.map((s) => Array.from(s.data)),
      before,
    );
  });

  it("the frame message carries each layer's sequence as transferable Float32Arrays and the probe window as characters", () => {
    const { f } = frameOf([new LSTM({ hiddenSize: 3, outputSize: V })]);
    const chars = ['a', 'b', 'c', 'd'];
    const expected = Array.from({ length: T }, (_, t) => {
      const row = Array.from(f.probe!.input.subarray(t * V, (t + 1) * V));
      return chars[row.indexOf(Math.max(...row))];
    });
    const { frame, transfer } = toFrameMessage(f, chars);
    assert.deepEqual(frame.probeText, expected);
    assert.deepEqual(frame.probeVocabulary, chars);
    const s = frame.layers[0].sequence!;
    assert.deepEqual([s.kind, s.steps, s.units], ['LSTM', T, 3]);
    for (const v of [...s.series.map((x) => x.values), s.gradNorm]) {
      assert.ok(v instanceof Float32Array);
      assert.ok(transfer.includes(v.buffer as ArrayBuffer));
    }
    assert.equal(toFrameMessage(frameOf([new LSTM({ hiddenSize: 3, outputSize: V })]).f).frame.probeText, undefined);
  });
});
