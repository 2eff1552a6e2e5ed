import type { ChartData } from './chartData';

/** Where and how large the SVG is drawn, and its colours (a webview passes its theme's). */
export interface SvgOptions {
  readonly width?: number;
  readonly height?: number;
  readonly foreground?: string;
  readonly grid?: string;
  readonly background?: string;
}

const LEGEND_ROW = 18;
const MARGIN = { left: 70, right: 20, top: 36, bottom: 46 };

/**
 * A chart as a standalone SVG document written from its data (not from the canvas), so it stays
 * sharp when scaled and its text stays text: a title, both axes with ticks and titles, a polyline
 * (or markers) per series and a legend below. Every label is escaped; colours not of the forms
 * `#hex` / `rgb(…)` / `rgba(…)` are replaced by grey. Non-finite points are skipped (a line breaks there).
 */
export function chartSvg(data: ChartData, o: SvgOptions = {}): string {
  const width = o.width ?? 800;
  const plotHeight = o.height ?? 420;
  const fg = safeColor(o.foreground, '#333333');
  const gridColor = safeColor(o.grid, '#dddddd');
  const height = plotHeight + data.series.length * LEGEND_ROW + 8;
  const finite = data.series.flatMap((s) => s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
  const xs = range(finite.map((p) => p.x));
  const ys = range(finite.map((p) => p.y));
  const xTicks = niceTicks(xs[0], xs[1]);
  const yTicks = niceTicks(ys[0], ys[1]);
  const [x0, x1] = [Math.min(xs[0], xTicks[0]), Math.max(xs[1], xTicks[xTicks.length - 1])];
  const [y0, y1] = [Math.min(ys[0], yTicks[0]), Math.max(ys[1], yTicks[yTicks.length - 1])];
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = plotHeight - MARGIN.bottom;
  const sx = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * (right - left);
  const sy = (y: number) => bottom - ((y - y0) / (y1 - y0 || 1)) * (bottom - top);
  const n = (v: number) => (Math.round(v * 100) / 100).toString();

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  ];
  if (o.background) out.push(`<rect width="100%" height="100%" fill="${safeColor(o.background, '#ffffff')}"/>`);
  out.push(
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" fill="${fg}">${xmlText(data.title)}</text>`,
  );
  for (const v of xTicks) {
    const x = n(sx(v));
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${gridColor}"/>`);
    out.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle" fill="${fg}">${xmlText(tickText(v))}</text>`);
  }
  for (const v of yTicks) {
    const y = n(sy(v));
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="${gridColor}"/>`);
    out.push(
      `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="${fg}">${xmlText(tickText(v))}</text>`,
    );
  }
  out.push(`<path d="M${left} ${top}V${bottom}H${right}" fill="none" stroke="${fg}"/>`);
  out.push(
    `<text x="${(left + right) / 2}" y="${bottom + 36}" text-anchor="middle" fill="${fg}">${xmlText(data.xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" fill="${fg}">${xmlText(data.yLabel)}</text>`,
  );
  data.series.forEach((s, i) => {
    const color = safeColor(s.color, '#888888');
    const label = xmlText(s.label);
    if (s.markers) {
      const dots = s.points
        .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
        .map((p) => `<circle cx="${n(sx(p.x))}" cy="${n(sy(p.y))}" r="3"/>`);
      out.push(`<g fill="${color}"><title>${label}</title>${dots.join('')}</g>`);
    } else {
      // One path; a non-finite value starts a new sub-path (M) after it.
      let d = '';
      let pen = false;
      for (const p of s.points) {
        if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${n(sx(p.x))} ${n(sy(p.y))}`;
        pen = true;
      }
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"${dash}><title>${label}</title></path>`);
    }
    const ly = plotHeight + i * LEGEND_ROW + 4;
    const mark = s.markers
      ? `<circle cx="${left + 10}" cy="${ly}" r="4" fill="${color}"/>`
      : `<line x1="${left}" y1="${ly}" x2="${left + 20}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
    out.push(`${mark}<text x="${left + 28}" y="${ly}" dominant-baseline="middle" fill="${fg}">${label}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold. */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
    );
}

function safeColor(c: string | undefined, fallback: string): string {
  if (!c) return fallback;
  const s = c.trim();
  return /^#[0-9a-fA-F]{3,8}$/.test(s) || /^rgba?\(\s*[\d.\s,%]+\)$/.test(s) ? s : fallback;
}

function range(v: number[]): [number, number] {
  if (v.length === 0) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** About `count` round tick values (1, 2, 5 × 10^k steps) spanning [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 0.5 && ticks.length < 50; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function tickText(v: number): string {
  return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(v);
}
