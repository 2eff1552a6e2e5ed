import { RandomState } from '../random/randomState';
import { Tensor } from '../tensor/tensor';

export interface GradCheckOptions {
  /** Central-difference step. Default 1e-6. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Coordinates sampled per tensor (all of them when the tensor is smaller). Default 64. */
  maxPoints?: number;
  seed?: number;
}

export interface GradCheckFailure {
  readonly tensor: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

/**
 * Numeric gradient check, PyTorch gradcheck semantics: float64, central differences
 * (f(x+ε) − f(x−ε)) / 2ε on a scalar L = Σ f(x) ⊙ dy with a seeded random upstream gradient dy
 * (not all ones, so a transposition bug shows), compared as |a − n| ≤ atol + rtol·|n|.
 *
 * `evaluate` runs the forward pass and returns the output; `analytic` returns the gradients the
 * code under test computes for the named tensors given dy. The tensors' data are perturbed in
 * place and restored.
 */
export function gradCheck(
  tensors: Record<string, Tensor>,
  evaluate: () => Tensor,
  analytic: (dy: Tensor) => Record<string, Tensor>,
  options: GradCheckOptions = {},
): GradCheckFailure[] {
  const eps = options.eps ?? 1e-6,
    atol = options.atol ?? 1e-5,
    rtol = options.rtol ?? 1e-3;
  const maxPoints = options.maxPoints ?? 64;
  const rng = new RandomState(options.seed ?? 1);
  const y0 = evaluate();
  const dy = Tensor.zeros(y0.shape, 'float64');
  rng.fillNormal(dy.data);
  const grads = analytic(dy);
  const dot = (y: Tensor): number => {
    let s = 0;
    for (let i = 0; i < y.size; i++) s += y.data[i] * dy.data[i];
    return s;
  };
  const failures: GradCheckFailure[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const g = grads[name];
    if (!g) throw new Error(`gradCheck: no analytic gradient returned for '${name}'`);
    if (!g.sameShape(t))
      throw new Error(`gradCheck: gradient of '${name}' has shape [${g.shape}] but the tensor has [${t.shape}]`);
    const indices = sampleIndices(t.size, maxPoints, rng);
    for (const k of indices) {
      const saved = t.data[k];
      t.data[k] = saved + eps;
      const up = dot(evaluate());
      t.data[k] = saved - eps;
      const down = dot(evaluate());
      t.data[k] = saved;
      const numeric = (up - down) / (2 * eps);
      const a = g.data[k];
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric)))
        failures.push({ tensor: name, index: k, analytic: a, numeric });
    }
  }
  return failures;
}

function sampleIndices(size: number, maxPoints: number, rng: RandomState): number[] {
  if (size <= maxPoints) return Array.from({ length: size }, (_, i) => i);
  const perm = rng.permutation(size);
  return Array.from(perm.subarray(0, maxPoints));
}

export function formatFailures(failures: readonly GradCheckFailure[]): string {
  return failures
    .slice(0, 10)
    .map((f) => `${f.tensor}[${f.index}]: analytic ${f.analytic} vs numeric ${f.numeric}`)
    .join('\n');
}
