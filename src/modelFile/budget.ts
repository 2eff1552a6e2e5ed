import type { DataShape } from '../data/dataSpec';
import type { Problem } from './problem';
import type { LayerRow } from './shapes';
import type { ModelSource, OptimizerSpec, TrainingSpec } from './spec';
import { t } from '../l10n';

/**
 * The resource budget: before anything is allocated, estimate what training will hold in memory
 * and refuse (an error on the layer or setting that costs most) when it exceeds what this machine
 * can give; warn when an epoch would take hours. Estimates, not measurements: they err on the
 * generous side so no model that trains today is refused, while 1e9 units or a 5,000 padding are.
 */
export interface Budget {
  /** Bytes training may use. */
  readonly memoryBytes: number;
  /** Sustained float32 operations per second assumed for the time estimate (float64: a fifth). */
  readonly flopsPerSecond: number;
}

export interface BudgetInput {
  readonly rows: readonly LayerRow[];
  readonly data: DataShape;
  readonly training: TrainingSpec;
  readonly optimizer?: OptimizerSpec;
  readonly precision: 'float32' | 'float64';
}

/** Copies of the parameters training keeps: weights, gradients, best weights, checkpoint bytes + optimizer slots. */
const OPTIMIZER_SLOTS: Record<string, number> = { sgd: 0, sgdMomentum: 1, adaGrad: 1, adam: 2 };
/** Tensors per layer output kept in a training step: the ops' outputs and their gradients (dense: 3 ops × 2). */
const ACTIVATION_COPIES = 6;
const GIB = 2 ** 30;
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const gib = (b: number): string => `${(b / GIB).toFixed(b < 10 * GIB ? 2 : 0)} GiB`;

export interface Estimate {
  readonly parameterBytes: number;
  readonly activationBytes: number;
  readonly dataBytes: number;
  readonly secondsPerEpoch: number;
  /** The layer that costs most memory, and whether its parameters or its activations do. */
  readonly heaviest: { readonly index: number; readonly part: 'parameters' | 'activations' };
}

export function estimate(x: BudgetInput, flopsPerSecond: number): Estimate {
  const bytes = x.precision === 'float64' ? 8 : 4;
  const slots = 4 + (OPTIMIZER_SLOTS[x.optimizer?.type ?? 'sgd'] ?? 2);
  const text = x.data.text;
  // The epoch trainer never batches more rows than it has; a text batch always holds batchSize
  // windows (the pointer wraps round the text).
  const rows = text ? Math.max(1, Math.floor(text.trainChars / (text.sequenceLength + 1))) : (x.data.trainRows ?? 1);
  const batch = text ? x.training.batchSize : Math.min(x.training.batchSize, Math.max(1, rows));
  let parameterBytes = 0,
    activationBytes = 0,
    flopsPerExample = 0;
  let heaviest = { index: 0, part: 'parameters' as 'parameters' | 'activations', bytes: -1 };
  for (const r of x.rows) {
    const p = r.parameters * bytes * slots;
    const a = size(r.outputShape) * batch * bytes * ACTIVATION_COPIES;
    parameterBytes += p;
    activationBytes += a;
    if (p > heaviest.bytes) heaviest = { index: r.index, part: 'parameters', bytes: p };
    if (a > heaviest.bytes) heaviest = { index: r.index, part: 'activations', bytes: a };
    // Each parameter is used once per output position (a conv's h·w, a recurrent layer's T):
    // 2 flops forward, 4 backward.
    const o = r.outputShape;
    const positions = o.length === 3 ? o[1] * o[2] : o.length === 2 ? o[0] : 1;
    flopsPerExample += 6 * r.parameters * positions + 10 * size(o);
  }
  const examplesPerEpoch = text ? x.training.batchSize * (x.training.evalEvery ?? 100) : rows;
  const dataRows = (x.data.trainRows ?? 0) + (x.data.testRows ?? 0);
  const dataBytes = text ? dataRows * 4 : dataRows * (size(x.data.inputShape) + x.data.outputs) * bytes;
  return {
    parameterBytes,
    activationBytes,
    dataBytes,
    // float64 runs on the reference kernels, about five times slower.
    secondsPerEpoch:
      (flopsPerExample * examplesPerEpoch) / (x.precision === 'float64' ? flopsPerSecond / 5 : flopsPerSecond),
    heaviest: { index: heaviest.index, part: heaviest.part },
  };
}

/** An error when the estimate exceeds the memory budget; a warning when an epoch would take over an hour. */
export function budgetChecks(x: BudgetInput, budget: Budget, source: ModelSource): Problem[] {
  const e = estimate(x, budget.flopsPerSecond);
  const total = e.parameterBytes + e.activationBytes + e.dataBytes;
  const out: Problem[] = [];
  const at = ['layers', e.heaviest.index];
  if (total > budget.memoryBytes) {
    const row = x.rows[e.heaviest.index];
    const why =
      e.heaviest.part === 'parameters'
        ? t(
            'its {0} parameters (with their gradients, optimizer state and copies)',
            row.parameters.toLocaleString('en-US'),
          )
        : t(
            'its output {0} for batches of {1}',
            JSON.stringify(row.outputShape),
            Math.min(x.training.batchSize, x.data.trainRows ?? Infinity),
          );
    out.push({
      range: source.rangeOf(at),
      severity: 'error',
      code: 'range',
      message: t(
        "this model needs about {0} to train (parameters {1}, activations {2}, data {3}), more than the {4} this machine can give; most of it is this layer: {5}. Make it smaller (the budget is half the machine's memory, or GLASSBOX_MEMORY_BUDGET_MB)",
        gib(total),
        gib(e.parameterBytes),
        gib(e.activationBytes),
        gib(e.dataBytes),
        gib(budget.memoryBytes),
        why,
      ),
    });
  } else if (e.secondsPerEpoch > 3600) {
    out.push({
      range: source.rangeOf(at),
      severity: 'warning',
      code: 'range',
      message: t(
        x.data.text
          ? 'one round would take about {0} hours on this machine (an estimate: {1} GFLOP/s); this layer costs most'
          : 'one epoch would take about {0} hours on this machine (an estimate: {1} GFLOP/s); this layer costs most',
        (e.secondsPerEpoch / 3600).toFixed(1),
        (budget.flopsPerSecond / 1e9).toFixed(0),
      ),
    });
  }
  return out;
}

/**
 * This machine's budget: half its memory (a training run shares the machine with the editor),
 * or GLASSBOX_MEMORY_BUDGET_MB; 5 GFLOP/s, a tenth of the GEMM kernels' peak on one thread,
 * since small layers and elementwise work run far below it.
 */
export function machineBudget(totalMemoryBytes: number, env: Record<string, string | undefined>): Budget {
  const mb = Number(env.GLASSBOX_MEMORY_BUDGET_MB);
  return {
    memoryBytes: Number.isFinite(mb) && mb > 0 ? mb * 2 ** 20 : totalMemoryBytes / 2,
    flopsPerSecond: 5e9,
  };
}
