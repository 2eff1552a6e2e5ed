/** Colours from VS Code's theme variables, re-read whenever the theme changes. */
export interface ThemeColors {
  readonly foreground: string;
  readonly grid: string;
  readonly train: string;
  readonly test: string;
  readonly metric: string;
  readonly positive: string;
  readonly negative: string;
  readonly font: string;
  /** The editor's background (rings around points, heatmap zero). */
  readonly background: string;
}

/** A --vscode-* variable's current value, or `fallback` when the theme does not set it. */
export function cssVar(name: string, fallback = ''): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): ThemeColors {
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    train: cssVar('--vscode-charts-blue', '#3794ff'),
    test: cssVar('--vscode-charts-orange', '#d18616'),
    metric: cssVar('--vscode-charts-green', '#89d185'),
    positive: cssVar('--vscode-charts-red', '#f14c4c'),
    negative: cssVar('--vscode-charts-blue', '#3794ff'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
  };
}

/** VS Code marks the theme kind with a class on <body>; watch it to re-colour canvases. */
export function onThemeChange(callback: (theme: ThemeColors) => void): void {
  new MutationObserver(() => callback(readTheme())).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
}

export function themeKind(): 'light' | 'dark' | 'high-contrast' | 'high-contrast-light' {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}

/** A Chart.js linear axis in the theme's colours, titled `title` ('' for none shown). */
export function themedAxis(
  theme: ThemeColors,
  title: string,
): {
  type: 'linear';
  title: { display: boolean; text: string; color: string };
  ticks: { color: string };
  grid: { color: string };
} {
  return {
    type: 'linear',
    title: { display: title !== '', text: title, color: theme.foreground },
    ticks: { color: theme.foreground },
    grid: { color: theme.grid },
  };
}
