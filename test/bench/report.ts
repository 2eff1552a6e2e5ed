import type { StepResult } from './lstmBench';
import type { MatmulResult } from './matmulBench';
import type { MlpResult } from './mlpBench';

/** Renders rows of cells as an aligned plain-text table (first column left, others right). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmt = (x: number | undefined, digits = 1) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/**
 * W3 table: median GFLOP/s per contender for each size and layout, then the ratio of Glassbox's
 * engine path (`glassbox`) to each named rival.
 */
export type ClockName = 'wall' | 'cpu';

export function matmulTable(results: MatmulResult[], glassbox: string, rivals: string[], clock: ClockName): string {
  const gf = (r: MatmulResult | undefined) => (r ? (clock === 'cpu' ? r.gflopsCpuMedian : r.gflopsMedian) : undefined);
  const contenders = [...new Set(results.map((r) => r.contender))];
  const keys = [...new Set(results.map((r) => `${r.m}×${r.k}×${r.n} ${r.layout}`))];
  const get = (key: string, c: string) =>
    results.find((r) => `${r.m}×${r.k}×${r.n} ${r.layout}` === key && r.contender === c);
  const rows = keys.map((key) => {
    const g = gf(get(key, glassbox));
    return [
      key,
      ...contenders.map((c) => fmt(gf(get(key, c)))),
      ...rivals.map((c) => {
        const x = gf(get(key, c));
        return g && x ? `${(g / x).toFixed(2)}×` : '—';
      }),
    ];
  });
  return table([`GFLOP/s (median, ${clock})`, ...contenders, ...rivals.map((r) => `vs ${r}`)], rows);
}

/** W1 table: seconds per epoch (median and fastest run), accuracy, and time relative to Glassbox. */
export function mlpTable(results: MlpResult[], glassbox: string, clock: ClockName, title = 'W1 epoch'): string {
  const epoch = (r: MlpResult) => (clock === 'cpu' ? r.epochCpuSeconds : r.epochSeconds);
  const found = results.find((r) => r.contender.startsWith(glassbox));
  const base = found && epoch(found);
  const rows = results.map((r) => [
    r.contender,
    fmt(epoch(r), 3) + (r.extrapolated ? '*' : ''),
    fmt(((clock === 'cpu' ? r.seconds.cpuMin : r.seconds.min) * 1000) / r.batches, 3),
    String(r.seconds.runs.length),
    r.testAccuracy === undefined ? '—' : `${(100 * r.testAccuracy).toFixed(2)}%`,
    base ? `${(epoch(r) / base).toFixed(2)}×` : '—',
  ]);
  return table([`${title} (${clock} time)`, 'median s', 'best s', 'runs', 'test acc', '× Glassbox time'], rows);
}

/** W4 table: median ms per training step per contender, and its ratio to Glassbox's one-thread step. */
export function stepTable(results: StepResult[], glassbox: string, clock: ClockName): string {
  const step = (r: StepResult) => (clock === 'cpu' ? r.stepCpuSeconds : r.stepSeconds);
  const found = results.find((r) => r.contender === glassbox);
  const base = found && step(found);
  const rows = results.map((r) => [
    r.contender,
    fmt(step(r) * 1000, 1),
    fmt((clock === 'cpu' ? r.seconds.cpuMin : r.seconds.min) * 1000, 1),
    String(r.seconds.runs.length),
    fmt(r.loss, 3),
    base ? `${(step(r) / base).toFixed(2)}×` : '—',
  ]);
  return table([`W4 step (${clock} time)`, 'median ms', 'best ms', 'steps', 'loss', '× Glassbox time'], rows);
}
