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

export type FindingKind = 'nan' | 'exploding' | 'vanishing' | 'deadRelu' | 'saturated';

export interface Finding {
  readonly kind: FindingKind;
  readonly layer: number;
  /** 'information': a consequence of another finding (NaN carried downstream from its origin). */
  readonly severity: 'error' | 'warning' | 'information';
  readonly message: string;
  /** Quick fixes the editor offers for this finding. */
  readonly fixes: readonly ('lowerLearningRate' | 'changeInit' | 'addDecay')[];
}

export interface LayerObservation extends LayerHealthInput {
  readonly index: number;
  readonly name: string;
  readonly activation?: string;
  readonly deadFraction: number;
  readonly saturatedFraction: number;
  readonly step: number;
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
