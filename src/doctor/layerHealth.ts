/**
 * The training doctor's judgement of one layer from its telemetry: pure functions, shared by the
 * hover (verdict) and the Problems-panel diagnostics (findings with suggested fixes).
 */
import { t } from '../l10n';

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
      return `$(pass) ${t('healthy')}`;
    case 'vanishing':
      return `$(warning) ${t('vanishing gradients')}`;
    case 'exploding':
      return `$(error) ${t('exploding gradients')}`;
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
    const step = l.step;
    if (v === 'nan') {
      // One error where the NaN was born; the layers it then flowed through say where it came from.
      if (firstNonFinite && firstNonFinite.layer !== l.index) {
        out.push({
          kind: 'nan',
          layer: l.index,
          severity: 'information',
          message: t(
            '{0}: NaN or Inf values at step {1}, carried from layer {2}, where they first appeared (in {3}).',
            l.name,
            step,
            firstNonFinite.layer + 1,
            firstNonFinite.op,
          ),
          fixes: [],
        });
        continue;
      }
      const origin = firstNonFinite ? t(' They first appeared here, in {0}.', firstNonFinite.op) : '';
      out.push({
        kind: 'nan',
        layer: l.index,
        severity: 'error',
        message: t(
          '{0}: NaN or Inf values at step {1}.{2} The learning rate is probably too high.',
          l.name,
          step,
          origin,
        ),
        fixes: ['lowerLearningRate'],
      });
      continue;
    }
    if (v === 'exploding') {
      out.push({
        kind: 'exploding',
        layer: l.index,
        severity: 'error',
        message: t(
          '{0}: exploding gradients at step {1}: ‖∂L/∂W‖ = {2}, each step changes the weights by {3}% of their norm (healthy: about 0.1%).',
          l.name,
          step,
          l.gradNorm.toPrecision(3),
          (100 * l.updateRatio).toPrecision(3),
        ),
        fixes: ['lowerLearningRate', 'addDecay'],
      });
    } else if (v === 'vanishing') {
      out.push({
        kind: 'vanishing',
        layer: l.index,
        severity: 'warning',
        message: t(
          '{0}: vanishing gradients at step {1}: ‖∂L/∂W‖ = {2}; this layer has almost stopped learning.',
          l.name,
          step,
          l.gradNorm.toExponential(2),
        ),
        fixes: ['changeInit'],
      });
    }
    if (l.activation === 'relu' && l.deadFraction > HEALTH.deadFraction) {
      out.push({
        kind: 'deadRelu',
        layer: l.index,
        severity: 'warning',
        message: t(
          '{0}: {1}% of its ReLU units were never active in the batch at step {2} (dead ReLUs).',
          l.name,
          (100 * l.deadFraction).toFixed(0),
          step,
        ),
        fixes: ['changeInit', 'lowerLearningRate'],
      });
    }
    for (const g of l.gates ?? []) {
      if (g.pinnedLow + g.pinnedHigh <= HEALTH.saturatedGateFraction) continue;
      const where =
        g.pinnedHigh >= g.pinnedLow
          ? t('near 1 for {0}%', (100 * g.pinnedHigh).toFixed(0))
          : t('near 0 for {0}%', (100 * g.pinnedLow).toFixed(0));
      const forget =
        g.gate === 'forget'
          ? g.pinnedHigh >= g.pinnedLow
            ? t(' (C_t keeps everything)')
            : t(' (C_t is wiped at every step)')
          : '';
      out.push({
        kind: 'saturatedGate',
        layer: l.index,
        severity: 'warning',
        message: t(
          '{0}: the {1} gate is saturated at step {2}: pinned {3} of its units over the probe sequence{4}, where its gradient is almost 0. A lower learning rate or a smaller weightScale helps.',
          l.name,
          g.gate,
          step,
          where,
          forget,
        ),
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
          ? t(
              '{0}: the gradient through time is NaN or infinite at step {1}: backpropagation through its {2} steps exploded. Clip the gradients (optimizer "clip") or lower the learning rate.',
              l.name,
              step,
              ot.steps,
            )
          : t(
              '{0}: exploding gradients through time at step {1}: ‖∂L/∂h_t‖ at the probe\'s first steps is {2}× that at its last (largest {3}). Clip the gradients (optimizer "clip") or lower the learning rate.',
              l.name,
              step,
              ot.ratio.toPrecision(3),
              ot.max.toPrecision(3),
            ),
        fixes: ['addClip', 'lowerLearningRate'],
      });
    } else if (ot && ot.ratio < HEALTH.vanishingOverTime) {
      out.push({
        kind: 'vanishingOverTime',
        layer: l.index,
        severity: 'warning',
        message: t(
          "{0}: the gradient vanishes through time at step {1}: ‖∂L/∂h_t‖ at the probe's first steps is {2}% of that at its last, so the first steps barely learn. Gated cells (lstm, gru) carry gradients further than rnn.",
          l.name,
          step,
          (100 * ot.ratio).toPrecision(2),
        ),
        fixes: [],
      });
    }
    if ((l.activation === 'tanh' || l.activation === 'sigmoid') && l.saturatedFraction > HEALTH.saturatedFraction) {
      out.push({
        kind: 'saturated',
        layer: l.index,
        severity: 'warning',
        message: t(
          '{0}: {1}% of its {2} outputs are saturated at step {3}, where the gradient is almost 0.',
          l.name,
          (100 * l.saturatedFraction).toFixed(0),
          l.activation,
          step,
        ),
        fixes: ['changeInit'],
      });
    }
  }
  return out;
}
