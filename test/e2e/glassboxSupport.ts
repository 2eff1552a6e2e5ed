// Helpers shared by the Glassbox E2E test files: workspaces made from the repository's examples,
// the CLI as the reference for metrics, and readers for the extension's webviews.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { e2ePaths, findWebviewFrame, retry } from './harness';

export const repoRoot = e2ePaths().repoRoot;

/** The text of `examples/<name>`. */
export function example(name: string): string {
  return readFileSync(join(repoRoot, 'examples', name), 'utf8');
}

/** `text` with its `training.epochs` set to `epochs`, and its `name` set to `name` if given. */
export function variant(text: string, epochs: number, name?: string): string {
  let out = text.replace(/("epochs"\s*:\s*)\d+/, `$1${epochs}`);
  if (name) out = out.replace(/("name"\s*:\s*)"[^"]*"/, `$1"${name}"`);
  if (out === text && !name) throw new Error('variant: no "epochs" to change');
  return out;
}

/**
 * A fresh workspace folder laid out like the repository (examples/ beside schemas/, so each file's
 * `$schema` resolves): `files` maps names under examples/ to their text. Removed by the caller.
 */
export function makeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-e2e-ws-'));
  const ws = join(root, 'workspace');
  mkdirSync(join(ws, 'examples'), { recursive: true });
  cpSync(join(repoRoot, 'schemas'), join(ws, 'schemas'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(ws, 'examples', name), text);
  return ws;
}

/** What `glassbox train --json` reports on its last line. */
export interface CliDone {
  event: 'done';
  evalLosses: number[];
  metrics: Record<string, number>;
  status: string;
  epochsRun: number;
}

/** Trains `modelText` with the CLI (`bin/glassbox.js train --json`) in a scratch folder; its last JSON line. */
export function trainWithCli(fileName: string, modelText: string): CliDone {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-e2e-cli-'));
  try {
    const file = join(dir, fileName);
    writeFileSync(file, modelText);
    const out = execFileSync(process.execPath, [join(repoRoot, 'bin', 'glassbox.js'), 'train', file, '--json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const last = JSON.parse(out.trim().split('\n').pop() ?? '{}') as CliDone;
    if (last.event !== 'done') throw new Error(`the CLI's last line is not a done event:\n${out.slice(-2000)}`);
    return last;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The run.json records the extension wrote under `<examples>/.glassbox/runs/`, newest last. */
export function runRecords(workspaceDir: string, model: string): { folder: string; run: Record<string, unknown> }[] {
  const runs = join(workspaceDir, 'examples', '.glassbox', 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs)
    .filter((d) => d.endsWith(`-${model}`) || d.includes(`-${model}-`))
    .sort()
    .flatMap((d) => {
      const file = join(runs, d, 'run.json');
      return existsSync(file)
        ? [{ folder: join(runs, d), run: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> }]
        : [];
    });
}

/** The training panel of model `name` (its <h1 id="title"> shows the run's model name). */
export function trainingPanel(
  page: Parameters<typeof findWebviewFrame>[0],
  name: string,
  timeout = 60_000,
): Promise<Frame> {
  return findWebviewFrame(page, `h1#title:text-is("${name}")`, timeout);
}

/** Waits until the panel's body says `data-state="<state>"` (set by webview/trainingPanel.ts). */
export async function waitForPanelState(frame: Frame, state: string, timeout = 60_000): Promise<void> {
  await frame.locator(`body[data-state="${state}"]`).waitFor({ state: 'attached', timeout });
}

/** `body[data-points]` of a Glassbox webview: the number of loss points its chart holds. */
export async function chartPoints(frame: Frame): Promise<number> {
  return Number((await frame.locator('body').getAttribute('data-points')) ?? '0');
}

/** How many pixels of a canvas are (nearly) each theme colour, plus all painted pixels. */
export interface ChartPixels {
  painted: number;
  /** Per CSS variable: its value in the webview, as RGB, and how many well-covered pixels are within a small distance of it. */
  colours: Record<string, { css: string; rgb: number[]; count: number }>;
  /** The same count for each fixed RGB colour asked for (e.g. the previous theme's colours). */
  fixed: Record<string, number>;
}

/** The loss chart's colours: `--vscode-foreground` (axes, ticks, legend text), charts-blue (train), charts-orange (test). */
export const CHART_VARS = ['--vscode-foreground', '--vscode-charts-blue', '--vscode-charts-orange'];

/**
 * Reads a canvas's pixels and counts those near the current value of each CSS variable of
 * CHART_VARS, and those near each colour of `fixed` ([r, g, b]). Antialiased edge pixels (alpha
 * below one half) count as painted but not as any colour.
 */
export function chartPixels(
  frame: Frame,
  canvasSelector: string,
  fixed: Record<string, number[]> = {},
): Promise<ChartPixels> {
  return frame
    .locator(canvasSelector)
    .first()
    .evaluate(
      (el, [names, fixedRgb]) => {
        const canvas = el as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const probe = document.createElement('canvas');
        probe.width = probe.height = 1;
        const pctx = probe.getContext('2d', { willReadFrequently: true })!;
        const toRgb = (css: string): number[] => {
          pctx.clearRect(0, 0, 1, 1);
          pctx.fillStyle = '#000';
          pctx.fillStyle = css;
          pctx.fillRect(0, 0, 1, 1);
          return Array.from(pctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
        };
        const colours: Record<string, { css: string; rgb: number[]; count: number }> = {};
        for (const name of names) {
          const css = getComputedStyle(document.body).getPropertyValue(name).trim();
          colours[name] = { css, rgb: css ? toRgb(css) : [], count: 0 };
        }
        const fixedCounts: Record<string, number> = Object.fromEntries(Object.keys(fixedRgb).map((k) => [k, 0]));
        const near = (i: number, rgb: number[]) =>
          rgb.length === 3 &&
          Math.abs(data[i] - rgb[0]) + Math.abs(data[i + 1] - rgb[1]) + Math.abs(data[i + 2] - rgb[2]) <= 24;
        let painted = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] === 0) continue;
          painted++;
          if (data[i + 3] < 128) continue;
          for (const c of Object.values(colours)) if (near(i, c.rgb)) c.count++;
          for (const [k, rgb] of Object.entries(fixedRgb)) if (near(i, rgb)) fixedCounts[k]++;
        }
        return { painted, colours, fixed: fixedCounts };
      },
      [CHART_VARS, fixed] as const,
    );
}

/** Retries `read` until `ok` holds (or the deadline), returning the last value read. */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeout = 30_000,
): Promise<T> {
  let last: T | undefined;
  try {
    return await retry(
      what,
      async () => {
        last = await read();
        return ok(last) ? last : undefined;
      },
      { timeout, interval: 250 },
    );
  } catch (err) {
    (err as Error).message += `; last value: ${JSON.stringify(last)}`;
    throw err;
  }
}

/** A number as the panel's "last evaluation" line shows it (webview/dom.ts formatNumber, 4 digits). */
export function panelNumber(v: number): string {
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** A number as the layer hover prints it (src/extension/layerHover.ts fmt, 4 significant digits). */
export function hoverNumber(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'NaN'; // telemetry.json stores NaN and Inf as null
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) ? v.toExponential(3) : v.toPrecision(4);
}

/** One layer's norms at one step in a run's telemetry.json (src/runs/telemetryRecord.ts). */
export interface TelemetrySample {
  step: number;
  gradNorm: number | null;
  weightNorm: number | null;
  updateRatio: number | null;
  nonFinite: number;
}

/** The run folder's telemetry.json: per layer index, its name and norm samples (oldest first). */
export function readTelemetry(runFolder: string): { name: string; samples: TelemetrySample[] }[] {
  const rec = JSON.parse(readFileSync(join(runFolder, 'telemetry.json'), 'utf8')) as {
    format: string;
    layers: { name: string; samples: TelemetrySample[] }[];
  };
  if (rec.format !== 'glassbox-telemetry/1') throw new Error(`${runFolder}/telemetry.json: format ${rec.format}`);
  return rec.layers;
}

/** What a canvas or image shows: its size, fully opaque pixels, and distinct RGBA colours (capped at 1000). */
export interface Painted {
  width: number;
  height: number;
  opaque: number;
  colours: number;
  /** FNV-1a hash of the RGBA bytes: equal pictures, equal hashes. */
  hash: number;
  /** Opaque pixels that are near white (r + g + b > 600): a glaring block in a dark theme. */
  bright: number;
}

/** Reads the pixels of every canvas matching `selector` in `frame` (one entry per canvas, in DOM order). */
export function canvasesPainted(frame: Frame, selector: string): Promise<Painted[]> {
  return frame.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const c = el as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      let opaque = 0,
        bright = 0;
      let hash = 0x811c9dc5;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 255) opaque++;
        if (data[i + 3] === 255 && data[i] + data[i + 1] + data[i + 2] > 600) bright++;
        if (seen.size < 1000)
          seen.add(((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0);
      }
      for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ data[i], 0x01000193) >>> 0;
      return { width: c.width, height: c.height, opaque, colours: seen.size, hash, bright };
    }),
  );
}

/** WCAG 2 contrast ratio of two sRGB colours [r, g, b] (1 … 21). */
export function contrast(a: readonly number[], b: readonly number[]): number {
  const lum = (c: readonly number[]) => {
    const [r, g, bl] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** An <img> of a hover: its alt text, the start of its src, and its decoded pixels. */
export interface HoverImage extends Omit<Painted, 'hash'> {
  alt: string;
  src: string;
  /** The most frequent opaque colour (a sparkline's line, a histogram's bars), as [r, g, b]. */
  ink: number[];
  /** The hover's background colour, as [r, g, b]. */
  background: number[];
  /** The image is fully inside the hover's visible area, without scrolling. */
  inView: boolean;
}

/**
 * The images of the hover (shown now) whose text matches `expect`, once all of them have loaded:
 * each decoded and drawn into a canvas to read its pixels.
 */
export function hoverImages(page: Page, expect: string | RegExp, timeout = 10_000): Promise<HoverImage[]> {
  const imgs = page.locator('.monaco-hover-content').filter({ hasText: expect }).first().locator('img');
  return pollUntil(
    "the hover's images never loaded",
    () =>
      imgs.evaluateAll((els) =>
        els.map((el) => {
          const img = el as HTMLImageElement;
          const rgb = (css: string) => (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
          // The hover's painted background: the first ancestor with an opaque one.
          let background: number[] = [];
          for (let e: HTMLElement | null = img; e && !background.length; e = e.parentElement) {
            const bg = getComputedStyle(e).backgroundColor;
            if (bg && !/rgba\(.*,\s*0\)$/.test(bg) && bg !== 'transparent') background = rgb(bg);
          }
          const box = img.getBoundingClientRect();
          const scroller = img.closest('.monaco-scrollable-element') ?? img.closest('.monaco-hover');
          const area = scroller?.getBoundingClientRect();
          const inView = !!area && box.top >= area.top - 1 && box.bottom <= area.bottom + 1;
          const base = {
            alt: img.alt,
            src: img.getAttribute('src')?.slice(0, 30) ?? '',
            width: img.naturalWidth,
            height: img.naturalHeight,
            opaque: 0,
            colours: 0,
            bright: 0,
            ink: [] as number[],
            background,
            inView,
          };
          if (!img.complete || img.naturalWidth === 0) return base;
          const c = document.createElement('canvas');
          c.width = img.naturalWidth;
          c.height = img.naturalHeight;
          const ctx = c.getContext('2d', { willReadFrequently: true })!;
          ctx.drawImage(img, 0, 0);
          const data = ctx.getImageData(0, 0, c.width, c.height).data;
          const seen = new Set<number>();
          const counts = new Map<number, number>();
          for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] === 255) {
              base.opaque++;
              if (data[i] + data[i + 1] + data[i + 2] > 600) base.bright++;
              const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
              counts.set(key, (counts.get(key) ?? 0) + 1);
            }
            if (seen.size < 1000)
              seen.add(((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0);
          }
          const top = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
          const ink = top === undefined ? [] : [(top >> 16) & 255, (top >> 8) & 255, top & 255];
          return { ...base, colours: seen.size, ink };
        }),
      ),
    (list) => list.length > 0 && list.every((i) => i.width > 0),
    timeout,
  );
}

/**
 * Wall-clock targets are asserted on a machine that runs this test and little else. With other
 * jobs running (the one-minute load average above 3 per core when a timing starts: on the shared
 * development machine, 9–13 on 2 cores), the times are reported, not asserted.
 */
export function busyMachine(): string | undefined {
  const load = loadavg()[0];
  const cores = cpus().length;
  return load > 3 * cores ? `load average ${load.toFixed(1)} on ${cores} cores` : undefined;
}
