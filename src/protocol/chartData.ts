/**
 * A chart as the webviews export it (PNG aside): its axes and its curves, the values as drawn
 * (smoothed when the smoothing slider is on, with the raw values beside them for the CSV).
 * Labels come from run records and model files: untrusted text, escaped by each writer.
 */
export interface ChartSeries {
  readonly label: string;
  /** A CSS colour of the curve (`#rrggbb`, `rgb(…)`); the SVG writer accepts only such forms. */
  readonly color: string;
  readonly dashed?: boolean;
  /** Points drawn as markers (test evaluations) rather than a line. */
  readonly markers?: boolean;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** The values before smoothing, one per point; absent when the curve is not smoothed. */
  readonly raw?: readonly number[];
}

export interface ChartData {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
}

/** The export formats of a chart (`png` from the canvas, the others from `ChartData`). */
export const CHART_FORMATS = ['png', 'svg', 'csv'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];
