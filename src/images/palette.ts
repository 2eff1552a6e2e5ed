import type { Rgb } from './canvas';

/** VS Code's colour theme kinds (vscode.ColorThemeKind, without importing vscode). */
export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

/**
 * Colours of the hover's images (PNG data URIs drawn on the host, which cannot read the theme's
 * CSS variables): a line and bars that stand out on the theme's hover background (contrast ≥ 3:1,
 * WCAG's bar for graphics; tested), and a diverging map whose zero is that background. One palette
 * for every theme was a dark-blue sparkline on dark grey and white feature-map blocks in dark
 * themes (issue 12, item 7).
 */
export interface ImagePalette {
  readonly line: Rgb;
  readonly bar: Rgb;
  /** Zero of the diverging map: close to the hover's background. */
  readonly zero: Rgb;
  readonly positive: Rgb;
  readonly negative: Rgb;
  readonly nonFinite: Rgb;
}

const MAGENTA: Rgb = [255, 0, 255];

export const IMAGE_PALETTES: Readonly<Record<ThemeKind, ImagePalette>> = {
  dark: {
    line: [117, 190, 255],
    bar: [232, 171, 83],
    zero: [37, 37, 38],
    positive: [241, 96, 96],
    negative: [88, 166, 255],
    nonFinite: MAGENTA,
  },
  light: {
    line: [0, 95, 184],
    bar: [176, 98, 0],
    zero: [255, 255, 255],
    positive: [205, 49, 49],
    negative: [0, 95, 184],
    nonFinite: MAGENTA,
  },
  highContrast: {
    line: [255, 215, 0],
    bar: [117, 190, 255],
    zero: [0, 0, 0],
    positive: [255, 110, 110],
    negative: [117, 190, 255],
    nonFinite: MAGENTA,
  },
  highContrastLight: {
    line: [15, 74, 133],
    bar: [130, 60, 0],
    zero: [255, 255, 255],
    positive: [180, 20, 20],
    negative: [15, 74, 133],
    nonFinite: [160, 0, 160],
  },
};

/** v in [−1, 1] from `zero` to positive/negative; non-finite values in their own colour. */
export function divergingIn(p: ImagePalette, v: number): Rgb {
  if (!Number.isFinite(v)) return p.nonFinite;
  const t = Math.max(-1, Math.min(1, v));
  const to = t >= 0 ? p.positive : p.negative;
  const a = Math.abs(t);
  return [
    Math.round(p.zero[0] + (to[0] - p.zero[0]) * a),
    Math.round(p.zero[1] + (to[1] - p.zero[1]) * a),
    Math.round(p.zero[2] + (to[2] - p.zero[2]) * a),
  ];
}

/** WCAG 2 contrast ratio of two sRGB colours (1 … 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const lum = (c: Rgb) => {
    const [r, g, bl] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
