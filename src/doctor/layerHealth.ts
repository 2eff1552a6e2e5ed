/**
 * The training doctor's judgement of one layer from its telemetry: pure functions, shared by the
 * hover (verdict) and the Problems-panel diagnostics (findings with suggested fixes).
 */
export type Verdict = 'healthy' | 'vanishing' | 'exploding' | 'nan';

export interface LayerHealthInput {
  readonly gradNorm: number;
  readonly weightNorm: number;
  /** ‖Δw‖/‖w‖ of the last step. */
  readonly updateRatio: number;
  /** NaN/Inf count in weights, gradients and activations. */
  readonly nonFinite: number;
}

/** Thresholds, with the reasoning: a healthy SGD update moves weights by ~1e-3 of their norm. */
export const HEALTH = {
  explodingUpdateRatio: 0.1,
  explodingGradNorm: 1e3,
  vanishingUpdateRatio: 1e-7,
  vanishingGradNorm: 1e-8,
  deadFraction: 0.5,
  saturatedFraction: 0.5,
  /** A gate unit is pinned when it is below `gateLow` (or above 1 − gateLow) at this fraction of the probe's steps... */
  gatePinnedSteps: 0.9,
  gateLow: 0.02,
  /** ... and the gate is saturated when this fraction of its units are pinned. */
  saturatedGateFraction: 0.8,
  /**
   * ‖∂L/∂h_t‖ over the probe's steps, first quarter over last quarter: backpropagation through
   * time multiplies by the recurrent Jacobian at every step, so the ratio grows or shrinks
   * geometrically. Above 100 it explodes going back; below 0.01 the first steps get almost nothing.
   */
  explodingOverTime: 100,
  vanishingOverTime: 0.01,
} as const;

export function verdict(s: LayerHealthInput): Verdict {
  if (s.nonFinite > 0 || !Number.isFinite(s.gradNorm) || !Number.isFinite(s.weightNorm)) return 'nan';
  if (s.gradNorm > HEALTH.explodingGradNorm || s.updateRatio > HEALTH.explodingUpdateRatio) return 'exploding';
  if (
    s.gradNorm < HEALTH.vanishingGradNorm ||
    (Number.isFinite(s.updateRatio) && s.updateRatio < HEALTH.vanishingUpdateRatio)
  )
    return 'vanishing';
  return 'healthy';
}

export function verdictText(v: Verdict): string {
  switch (v) {
    case 'healthy':
      return '$(pass) healthy';
    case 'vanishing':
      return '$(warning) vanishing gradients';
    case 'exploding':
      return '$(error) exploding gradients';
    case 'nan':
      return '$(error) NaN / Inf';
  }
}

export type FindingKind =
  | 'nan'
  | 'exploding'
  | 'vanishing'
  | 'deadRelu'
  | 'saturated'
  | 'saturatedGate'
  | 'explodingOverTime'
  | 'vanishingOverTime';

export interface Finding {
  readonly kind: FindingKind;
  readonly layer: number;
  /** 'information': a consequence of another finding (NaN carried downstream from its origin). */
  readonly severity: 'error' | 'warning' | 'information';
  readonly message: string;
  /** Quick fixes the editor offers for this finding. */
  readonly fixes: readonly ('lowerLearningRate' | 'changeInit' | 'addDecay' | 'addClip')[];
}

export interface LayerObservation extends LayerHealthInput {
  readonly index: number;
  readonly name: string;
  readonly activation?: string;
  readonly deadFraction: number;
  readonly saturatedFraction: number;
  readonly step: number;
  /** A recurrent layer's sigmoid gates over the probe sequence (`gateSaturation`). */
  readonly gates?: readonly GateSaturation[];
  /** A recurrent layer's ‖∂L/∂h_t‖ over the probe's time steps (`gradientOverTime`). */
  readonly overTime?: GradientOverTime;
}

/** How the gradient reaching h_t changes from the probe's last steps back to its first. */
export interface GradientOverTime {
  /** Mean ‖∂L/∂h_t‖ over the first quarter of the steps over that of the last quarter. */
  readonly ratio: number;
  readonly max: number;
  /** Some step's gradient norm is NaN or infinite. */
  readonly nonFinite: boolean;
  readonly steps: number;
}

/** From the frame's per-step gradient norms; undefined with fewer than 4 steps or before a backward. */
export function gradientOverTime(gradNorm: ArrayLike<number>): GradientOverTime | undefined {
  const n = gradNorm.length;
  if (n < 4) return undefined;
  const q = Math.max(1, Math.floor(n / 4));
  let first = 0,
    last = 0,
    max = 0,
    nonFinite = false,
    seen = 0;
  for (let t = 0; t < n; t++) {
    const v = gradNorm[t];
    if (Number.isNaN(v)) continue;
    seen++;
    if (!Number.isFinite(v)) nonFinite = true;
    else max = Math.max(max, v);
    if (t < q) first += v;
    if (t >= n - q) last += v;
  }
  if (seen === 0) return undefined;
  return { ratio: first / q / Math.max(last / q, 1e-30), max, nonFinite, steps: n };
}

/** One sigmoid gate of a recurrent layer over the probe sequence: the fractions of its units pinned near 0 and near 1. */
export interface GateSaturation {
  readonly gate: string;
  readonly pinnedLow: number;
  readonly pinnedHigh: number;
}

/** Sigmoid gates of the recurrent cells (LSTM input, forget, output; GRU reset, update). */
const SIGMOID_GATES = new Set(['input', 'forget', 'output', 'reset', 'update']);

/**
 * From a recurrent layer's series over the probe (values [steps, units], as in the frame's
 * `sequence`): for each sigmoid gate, the fraction of units below `gateLow` (above 1 − gateLow) at
 * `gatePinnedSteps` of the steps or more.
 */
export function gateSaturation(seq: {
  readonly steps: number;
  readonly units: number;
  readonly series: readonly { readonly name: string; readonly values: ArrayLike<number> }[];
}): GateSaturation[] {
  const { steps, units } = seq;
  if (steps === 0 || units === 0) return [];
  const need = HEALTH.gatePinnedSteps * steps;
  return seq.series
    .filter((s) => SIGMOID_GATES.has(s.name))
    .map((s) => {
      let low = 0,
        high = 0;
      for (let u = 0; u < units; u++) {
        let lo = 0,
          hi = 0;
        for (let t = 0; t < steps; t++) {
          const v = s.values[t * units + u];
          if (v < HEALTH.gateLow) lo++;
          else if (v > 1 - HEALTH.gateLow) hi++;
        }
        if (lo >= need) low++;
        else if (hi >= need) high++;
      }
      return { gate: s.name, pinnedLow: low / units, pinnedHigh: high / units };
    });
}

/** Everything worth telling the user about the layers at one step. */
export function diagnose(
  layers: readonly LayerObservation[],
  firstNonFinite?: { layer: number; op: string },
): Finding[] {
  const out: Finding[] = [];
  for (const l of layers) {
    const v = verdict(l);
    const at = `at step ${l.step}`;
    if (v === 'nan') {
      // One error where the NaN was born; the layers it then flowed through say where it came from.
      if (firstNonFinite && firstNonFinite.layer !== l.index) {
        out.push({
          kind: 'nan',
          layer: l.index,
          severity: 'information',
          message: `${l.name}: NaN or Inf values ${at}, carried from layer ${firstNonFinite.layer + 1}, where they first appeared (in ${firstNonFinite.op}).`,
          fixes: [],
        });
        continue;
      }
      const origin = firstNonFinite ? ` They first appeared here, in ${firstNonFinite.op}.` : '';
      out.push({
        kind: 'nan',
        layer: l.index,
        severity: 'error',
        message: `${l.name}: NaN or Inf values ${at}.${origin} The learning rate is probably too high.`,
        fixes: ['lowerLearningRate'],
      });
      continue;
    }
    if (v === 'exploding') {
      out.push({
        kind: 'exploding',
        layer: l.index,
        severity: 'error',
        message: `${l.name}: exploding gradients ${at}: ‖∂L/∂W‖ = ${l.gradNorm.toPrecision(3)}, each step changes the weights by ${(100 * l.updateRatio).toPrecision(3)}% of their norm (healthy: about 0.1%).`,
        fixes: ['lowerLearningRate', 'addDecay'],
      });
    } else if (v === 'vanishing') {
      out.push({
        kind: 'vanishing',
        layer: l.index,
        severity: 'warning',
        message: `${l.name}: vanishing gradients ${at}: ‖∂L/∂W‖ = ${l.gradNorm.toExponential(2)}; this layer has almost stopped learning.`,
        fixes: ['changeInit'],
      });
    }
    if (l.activation === 'relu' && l.deadFraction > HEALTH.deadFraction) {
      out.push({
        kind: 'deadRelu',
        layer: l.index,
        severity: 'warning',
        message: `${l.name}: ${(100 * l.deadFraction).toFixed(0)}% of its ReLU units were never active in the batch ${at} (dead ReLUs).`,
        fixes: ['changeInit', 'lowerLearningRate'],
      });
    }
    for (const g of l.gates ?? []) {
      if (g.pinnedLow + g.pinnedHigh <= HEALTH.saturatedGateFraction) continue;
      const where =
        g.pinnedHigh >= g.pinnedLow
          ? `near 1 for ${(100 * g.pinnedHigh).toFixed(0)}%`
          : `near 0 for ${(100 * g.pinnedLow).toFixed(0)}%`;
      const forget =
        g.gate === 'forget'
          ? g.pinnedHigh >= g.pinnedLow
            ? ' (C_t keeps everything)'
            : ' (C_t is wiped at every step)'
          : '';
      out.push({
        kind: 'saturatedGate',
        layer: l.index,
        severity: 'warning',
        message: `${l.name}: the ${g.gate} gate is saturated ${at}: pinned ${where} of its units over the probe sequence${forget}, where its gradient is almost 0. A lower learning rate or a smaller weightScale helps.`,
        // Recurrent layers take no 'init' argument: the init fix does not apply.
        fixes: ['lowerLearningRate'],
      });
    }
    const ot = l.overTime;
    if (ot && (ot.nonFinite || ot.ratio > HEALTH.explodingOverTime || ot.max > HEALTH.explodingGradNorm)) {
      out.push({
        kind: 'explodingOverTime',
        layer: l.index,
        severity: 'error',
        message: ot.nonFinite
          ? `${l.name}: the gradient through time is NaN or infinite ${at}: backpropagation through its ${ot.steps} steps exploded. Clip the gradients (optimizer "clip") or lower the learning rate.`
          : `${l.name}: exploding gradients through time ${at}: ‖∂L/∂h_t‖ at the probe's first steps is ${ot.ratio.toPrecision(3)}× that at its last (largest ${ot.max.toPrecision(3)}). Clip the gradients (optimizer "clip") or lower the learning rate.`,
        fixes: ['addClip', 'lowerLearningRate'],
      });
    } else if (ot && ot.ratio < HEALTH.vanishingOverTime) {
      out.push({
        kind: 'vanishingOverTime',
        layer: l.index,
        severity: 'warning',
        message: `${l.name}: the gradient vanishes through time ${at}: ‖∂L/∂h_t‖ at the probe's first steps is ${(100 * ot.ratio).toPrecision(2)}% of that at its last, so the first steps barely learn. Gated cells (lstm, gru) carry gradients further than rnn.`,
        fixes: [],
      });
    }
    if ((l.activation === 'tanh' || l.activation === 'sigmoid') && l.saturatedFraction > HEALTH.saturatedFraction) {
      out.push({
        kind: 'saturated',
        layer: l.index,
        severity: 'warning',
        message: `${l.name}: ${(100 * l.saturatedFraction).toFixed(0)}% of its ${l.activation} outputs are saturated ${at}, where the gradient is almost 0.`,
        fixes: ['changeInit'],
      });
    }
  }
  return out;
}
