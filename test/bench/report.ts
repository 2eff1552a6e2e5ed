import type { MatmulResult } from './matmulBench';
import type { MlpResult } from './mlpBench';

/** Renders rows of cells as an aligned plain-text table (first column left, others right). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmt = (x: number | undefined, digits = 1) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/**
 * W3 table: median GFLOP/s per contender for each size and layout, then the ratio of Glassbox's
 * engine path (`glassbox`) to each named rival.
 */
export function matmulTable(results: MatmulResult[], glassbox: string, rivals: string[]): string {
  const contenders = [...new Set(results.map((r) => r.contender))];
  const keys = [...new Set(results.map((r) => `${r.m}×${r.k}×${r.n} ${r.layout}`))];
  const get = (key: string, c: string) => results.find((r) => `${r.m}×${r.k}×${r.n} ${r.layout}` === key && r.contender === c);
  const rows = keys.map((key) => {
    const g = get(key, glassbox)?.gflopsMedian;
    return [key, ...contenders.map((c) => fmt(get(key, c)?.gflopsMedian)), ...rivals.map((c) => {
      const x = get(key, c)?.gflopsMedian;
      return g && x ? `${(g / x).toFixed(2)}×` : '—';
    })];
  });
  return table(['GFLOP/s (median)', ...contenders, ...rivals.map((r) => `vs ${r}`)], rows);
}

/** W1 table: seconds per epoch (median and fastest run), accuracy, and time relative to Glassbox. */
export function mlpTable(results: MlpResult[], glassbox: string): string {
  const base = results.find((r) => r.contender.startsWith(glassbox))?.epochSeconds;
  const rows = results.map((r) => [
    r.contender,
    fmt(r.epochSeconds, 3) + (r.extrapolated ? '*' : ''),
    fmt((r.seconds.min * 1000) / r.batches, 3),
    String(r.seconds.runs.length),
    r.testAccuracy === undefined ? '—' : `${(100 * r.testAccuracy).toFixed(2)}%`,
    base ? `${(r.epochSeconds / base).toFixed(2)}×` : '—',
  ]);
  return table(['W1 epoch', 'median s', 'best s', 'runs', 'test acc', '× Glassbox time'], rows);
}
