import type { ChartData } from './chartData';

/**
 * A chart's data as CSV (RFC 4180): a header, then one row per point of every series —
 * `series,x,y` and, when the chart is smoothed, `raw` (the value before smoothing).
 * Series names are untrusted: every text field is quoted, quotes doubled, and a field that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`.
 */
export function chartCsv(data: ChartData): string {
  const smoothed = data.series.some((s) => s.raw);
  const header = ['series', data.xLabel || 'x', data.yLabel || 'y', ...(smoothed ? ['raw'] : [])];
  const rows = [header.map(csvText).join(',')];
  for (const s of data.series) {
    const name = csvText(s.label);
    s.points.forEach((p, i) => {
      const cells = [name, csvNumber(p.x), csvNumber(p.y)];
      if (smoothed) cells.push(s.raw ? csvNumber(s.raw[i]) : '');
      rows.push(cells.join(','));
    });
  }
  return rows.join('\r\n') + '\r\n';
}

/** A text field: quoted, with formula triggers neutralised. */
export function csvText(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A number as a spreadsheet reads it back exactly; NaN and ±Infinity as text. */
function csvNumber(v: number | undefined): string {
  if (v === undefined) return '';
  return Number.isFinite(v) ? String(v) : csvText(String(v));
}
