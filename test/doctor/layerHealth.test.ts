import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, gateSaturation, gradientOverTime, verdict, type GateSaturation } from '../../src/doctor/layerHealth';

const base = { gradNorm: 0.1, weightNorm: 5, updateRatio: 1e-3, nonFinite: 0 };
const obs = (
  o: Partial<
    typeof base & {
      index: number;
      name: string;
      activation: string;
      deadFraction: number;
      saturatedFraction: number;
      gates: GateSaturation[];
      overTime: ReturnType<typeof gradientOverTime>;
    }
  >,
) => ({ index: 1, name: 'layer 2', step: 7, activation: 'tanh', deadFraction: 0, saturatedFraction: 0, ...base, ...o });

describe('training doctor', () => {
  it('calls a layer healthy, vanishing, exploding or NaN', () => {
    assert.equal(verdict(base), 'healthy');
    assert.equal(verdict({ ...base, gradNorm: 1e-10 }), 'vanishing');
    assert.equal(verdict({ ...base, updateRatio: 0.5 }), 'exploding');
    assert.equal(verdict({ ...base, gradNorm: 1e5 }), 'exploding');
    assert.equal(verdict({ ...base, nonFinite: 3 }), 'nan');
    assert.equal(verdict({ ...base, gradNorm: NaN }), 'nan');
  });
  it('puts one NaN error, with the operation and a lower-learning-rate fix, on the layer where it first appeared', () => {
    const [f] = diagnose([obs({ nonFinite: 10 })], { layer: 1, op: 'WeightMultiply' });
    assert.equal(f.kind, 'nan');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /They first appeared here, in WeightMultiply/);
    assert.deepEqual(f.fixes, ['lowerLearningRate']);
  });
  it('marks layers a NaN flowed into as information that names its origin, not as errors of their own', () => {
    const found = diagnose(
      [
        obs({ index: 0, name: 'layer 1', nonFinite: 3 }),
        obs({ index: 1, name: 'layer 2', nonFinite: 10 }),
        obs({ index: 2, name: 'layer 3', gradNorm: NaN }),
      ],
      { layer: 0, op: 'WeightMultiply' },
    );
    assert.deepEqual(
      found.map((f) => [f.layer, f.severity]),
      [
        [0, 'error'],
        [1, 'information'],
        [2, 'information'],
      ],
    );
    assert.match(
      found[2].message,
      /layer 3: NaN or Inf values at step 7, carried from layer 1, where they first appeared \(in WeightMultiply\)/,
    );
    assert.deepEqual(found[1].fixes, []);
  });
  it('calls every NaN layer an error when the origin is unknown', () => {
    assert.deepEqual(
      diagnose([obs({ index: 0, nonFinite: 1 }), obs({ index: 1, nonFinite: 1 })]).map((f) => f.severity),
      ['error', 'error'],
    );
  });
  it('reports dead ReLUs and saturated tanh units only for those activations', () => {
    assert.deepEqual(
      diagnose([obs({ activation: 'relu', deadFraction: 0.7 })]).map((f) => f.kind),
      ['deadRelu'],
    );
    assert.deepEqual(diagnose([obs({ activation: 'tanh', deadFraction: 0.7 })]), []);
    assert.deepEqual(
      diagnose([obs({ activation: 'tanh', saturatedFraction: 0.8 })]).map((f) => f.kind),
      ['saturated'],
    );
  });
});

describe('training doctor: recurrent gates', () => {
  /** A [steps, units] gate series: unit u's value at step t from `value(t, u)`. */
  const gate = (name: string, steps: number, units: number, value: (t: number, u: number) => number) => {
    const values = new Float32Array(steps * units);
    for (let t = 0; t < steps; t++) for (let u = 0; u < units; u++) values[t * units + u] = value(t, u);
    return { name, values };
  };

  it('measures, per sigmoid gate, the units pinned near 0 or 1 over the probe (h, c and the candidate are not gates)', () => {
    const steps = 10,
      units = 5;
    const sat = gateSaturation({
      steps,
      units,
      series: [
        gate('h', steps, units, () => 0.999),
        gate('forget', steps, units, (_t, u) => (u < 3 ? 0.995 : u === 3 ? 0.001 : 0.5)),
        // Unit 0 is near 0 at 9 of 10 steps (pinned), unit 1 at 8 (not).
        gate('input', steps, units, (t, u) => (u === 0 && t < 9 ? 0.01 : u === 1 && t < 8 ? 0.01 : 0.5)),
        gate('candidate', steps, units, () => 0.999),
      ],
    });
    assert.deepEqual(sat, [
      { gate: 'forget', pinnedLow: 0.2, pinnedHigh: 0.6 },
      { gate: 'input', pinnedLow: 0.2, pinnedHigh: 0 },
    ]);
  });

  it('warns about a gate pinned for most units, naming the gate and where it is pinned', () => {
    const found = diagnose([
      obs({
        name: 'layer 1 (lstm)',
        activation: undefined,
        gates: [
          { gate: 'forget', pinnedLow: 0, pinnedHigh: 0.85 },
          { gate: 'input', pinnedLow: 0.5, pinnedHigh: 0.2 },
          { gate: 'output', pinnedLow: 0.5, pinnedHigh: 0.35 },
        ],
      }),
    ]);
    assert.deepEqual(
      found.map((f) => [f.kind, f.severity, f.fixes]),
      [
        ['saturatedGate', 'warning', ['lowerLearningRate']],
        ['saturatedGate', 'warning', ['lowerLearningRate']],
      ],
    );
    assert.match(
      found[0].message,
      /layer 1 \(lstm\): the forget gate is saturated at step 7: pinned near 1 for 85% of its units/,
    );
    assert.match(found[0].message, /C_t keeps everything/);
    assert.match(found[1].message, /the output gate is saturated at step 7: pinned near 0 for 50%/);
    assert.deepEqual(diagnose([obs({ gates: [{ gate: 'update', pinnedLow: 0.4, pinnedHigh: 0.4 }] })]), []);
  });

  it('finds gradients that explode or vanish through time in a recurrent layer, and suggests clip for the first', () => {
    // ‖∂L/∂h_t‖ over 24 steps: ×1.5 per step going back (exploding), ×0.6 (vanishing), flat (healthy).
    const series = (factor: number) => Float32Array.from({ length: 24 }, (_, t) => factor ** (23 - t));
    const rnn = (overTime: ReturnType<typeof gradientOverTime>) =>
      diagnose([obs({ name: 'layer 1 (rnn)', activation: undefined, overTime })]);
    const up = rnn(gradientOverTime(series(1.5)));
    assert.deepEqual(
      up.map((f) => [f.kind, f.severity, f.fixes]),
      [['explodingOverTime', 'error', ['addClip', 'lowerLearningRate']]],
    );
    assert.match(up[0].message, /layer 1 \(rnn\): exploding gradients through time at step 7: .*clip/);
    const down = rnn(gradientOverTime(series(0.6)));
    assert.deepEqual(
      down.map((f) => [f.kind, f.severity]),
      [['vanishingOverTime', 'warning']],
    );
    assert.match(down[0].message, /the gradient vanishes through time/);
    assert.deepEqual(rnn(gradientOverTime(series(1))), []);
    // A non-finite step is an explosion; a trace before any backward (all NaN) says nothing.
    const inf = series(1);
    inf[0] = Infinity;
    assert.equal(rnn(gradientOverTime(inf))[0].kind, 'explodingOverTime');
    assert.equal(gradientOverTime(new Float32Array(24).fill(NaN)), undefined);
  });
});
