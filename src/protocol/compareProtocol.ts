import type { ChartFormat } from './chartData';

/** A curve as (x, y) pairs: x is the epoch (a text model's round). */
export type Curve = readonly { readonly x: number; readonly y: number }[];

/** At most this many runs in one comparison (a chart with more curves says nothing). */
export const MAX_COMPARED = 12;

/** One run in the Compare Runs panel. Every string is untrusted (run records, model files). */
export interface ComparedRun {
  readonly label: string;
  readonly modelFile: string;
  readonly folder: string;
  readonly status: string;
  /** Mean training loss per epoch (metrics.json). */
  readonly train: Curve;
  /** Test loss per evaluation. */
  readonly test: Curve;
  /** Test metrics per evaluation, by name (`accuracy`, `mae`, …). */
  readonly metrics: Readonly<Record<string, Curve>>;
}

/** Host → Compare Runs panel: the runs and the settings in which their configurations differ. */
export interface CompareMessage {
  readonly type: 'compare';
  readonly runs: readonly ComparedRun[];
  /** `path` (`layers[2].keepProb`) and one value per run, as JSON text ('—' when absent). */
  readonly differences: readonly { readonly path: string; readonly values: readonly string[] }[];
  /** Runs asked for but not shown (unreadable records, over the limit), as sentences. */
  readonly notes: readonly string[];
}

/**
 * A chart's export, from any webview (Compare Runs, the training panel) to its host, which asks
 * where to save it: `content` is the SVG or CSV text, or for PNG the canvas's `data:image/png;base64,` URL.
 */
export interface ExportChartMessage {
  readonly type: 'exportChart';
  readonly format: ChartFormat;
  /** A file name to suggest (without folder); sanitised by the host. */
  readonly name: string;
  readonly content: string;
}

/** The largest export accepted from a webview (a PNG of a large canvas is a few MB). */
export const EXPORT_MAX_CHARS = 32 * 1024 * 1024;

/** Checks a message from a webview is a well-formed `ExportChartMessage`. */
export function parseExportChart(raw: unknown): ExportChartMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type !== 'exportChart') return undefined;
  if (m.format !== 'png' && m.format !== 'svg' && m.format !== 'csv') return undefined;
  if (typeof m.name !== 'string' || typeof m.content !== 'string' || m.content.length > EXPORT_MAX_CHARS)
    return undefined;
  if (m.format === 'png' && !m.content.startsWith('data:image/png;base64,')) return undefined;
  return { type: 'exportChart', format: m.format, name: m.name.slice(0, 200), content: m.content };
}

/** The folders a Compare panel saved, or undefined when its state is not 2…MAX_COMPARED plain paths. */
export function savedFolders(state: unknown): string[] | undefined {
  const folders = (state as { folders?: unknown } | null | undefined)?.folders;
  if (!Array.isArray(folders) || folders.length < 2 || folders.length > MAX_COMPARED) return undefined;
  if (
    !folders.every((f): f is string => typeof f === 'string' && f.length > 0 && f.length <= 4096 && !f.includes('\0'))
  )
    return undefined;
  return folders;
}
