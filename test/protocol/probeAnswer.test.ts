import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probesOlderInput, type ProbeAnswerMessage, withProbeAnswer } from '../../src/protocol/probeAnswer';
import type { LayerFrameMessage, TelemetryFrameMessage } from '../../src/protocol/telemetry';

const stat = { mean: 0, std: 1, min: -1, max: 1, norm: 3, zeroFraction: 0, nanCount: 0, infCount: 0 };
const layer = (index: number, v: number): LayerFrameMessage => ({
  index,
  name: `l${index}`,
  kind: 'Conv2D',
  activation: stat,
  activationHistogram: { min: 0, max: 1, counts: new Uint32Array([1, 2]) },
  updateRatio: 0.01,
  deadFraction: 0,
  saturatedFraction: 0,
  probeShape: [2],
  probeActivation: new Float32Array([v, v]),
  probeGradient: new Float32Array([v, -v]),
  weightShape: [1, 1, 1, 1],
  weightValues: new Float32Array([0.5]),
  weightGrads: new Float32Array([0.1]),
  sequence: {
    kind: 'RNN',
    steps: 1,
    totalSteps: 1,
    units: 1,
    hiddenSize: 1,
    series: [],
    gradNorm: new Float32Array(1),
  },
});
const frame = (id: number | undefined): TelemetryFrameMessage => ({
  step: 40,
  epoch: 2,
  loss: 0.7,
  layers: [layer(0, 1), layer(1, 2)],
  probeInput: new Float32Array([0, 0]),
  probeInputShape: [2],
  probeOutput: new Float32Array([0.5, 0.5]),
  probeLoss: 0.69,
  probeOps: [{ layer: 0, name: 'conv', shape: [2], value: new Float32Array(2), grad: new Float32Array(2) }],
  ...(id !== undefined ? { probeSource: { kind: 'drawn' as const, id } } : {}),
});
const answer = (id: number): ProbeAnswerMessage => ({
  step: 41,
  epoch: 2,
  probeSource: { kind: 'drawn', id, takenAt: 5, builtAt: 6 },
  probeInput: new Float32Array([1, 1]),
  probeInputShape: [2],
  probeOutput: new Float32Array([0.9, 0.1]),
  probeLoss: 0.1,
  probeSaliency: new Float32Array([0.3, -0.3]),
  probeSaliencyClass: 0,
  layers: [
    { index: 0, probeShape: [2], probeActivation: new Float32Array([7, 7]), probeGradient: new Float32Array([8, 8]) },
    {
      index: 1,
      probeShape: [2],
      probeActivation: new Float32Array([9, 9]),
      probeGradient: new Float32Array([1, 1]),
      probeMapImportance: new Float32Array([0.2]),
    },
  ],
});

describe('Probe tab answers merged into a frame', () => {
  it("replaces the frame's probe part and keeps its batch part; another input's op graph and sequences go", () => {
    const f = frame(3);
    const a = answer(4);
    const m = withProbeAnswer(f, a);
    assert.equal(m.step, 40, "the frame's own step (its statistics)");
    assert.equal(m.loss, 0.7);
    assert.equal(m.probeSource, a.probeSource);
    assert.equal(m.probeInput, a.probeInput);
    assert.equal(m.probeOutput, a.probeOutput);
    assert.equal(m.probeLoss, 0.1);
    assert.equal(m.probeSaliency, a.probeSaliency);
    assert.equal(m.probeSaliencyClass, 0);
    assert.equal(m.probeOps, undefined, 'the op graph of request 3 must not be drawn beside input 4');
    m.layers.forEach((l, i) => {
      assert.equal(l.activation, f.layers[i].activation);
      assert.equal(l.activationHistogram, f.layers[i].activationHistogram);
      assert.equal(l.weightValues, f.layers[i].weightValues, 'the filters are the batch part');
      assert.equal(l.probeActivation, a.layers[i].probeActivation);
      assert.equal(l.probeGradient, a.layers[i].probeGradient);
      assert.equal(l.probeMapImportance, a.layers[i].probeMapImportance);
      assert.equal(l.sequence, undefined);
    });
    assert.equal(f.probeOps?.length, 1, 'the frame itself is left as it was');
    assert.deepEqual(Array.from(f.layers[0].probeActivation!), [1, 1]);
  });

  it('keeps the op graph of a frame that probed the same request', () => {
    const f = frame(4);
    const m = withProbeAnswer(f, answer(4));
    assert.equal(m.probeOps, f.probeOps);
    assert.equal(m.layers[0].sequence, f.layers[0].sequence);
  });

  it('a frame probed an older input when it does not carry the last answer’s request', () => {
    assert.equal(probesOlderInput(frame(3), undefined), false, 'no answer yet');
    assert.equal(probesOlderInput(frame(3), answer(4)), true);
    assert.equal(probesOlderInput(frame(undefined), answer(4)), true, 'the first test row, before any request');
    assert.equal(probesOlderInput(frame(4), answer(4)), false);
  });
});
