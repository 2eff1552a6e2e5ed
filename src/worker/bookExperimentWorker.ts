import { parentPort, workerData } from 'node:worker_threads';
import { bookExperimentReport, runBookExperiment } from '../parity/bookExperimentReport';
import { setLocale } from '../l10n';
import { loadBundle } from '../util/l10nBundle';

/**
 * Runs one book experiment (parity/bookExperimentReport.ts) off the extension host's thread — E2.3
 * trains for a few seconds — and posts its report: `{ text }` or `{ error }`.
 */
const { id, locale } = workerData as { id: string; locale?: string };
setLocale(locale ?? 'en', loadBundle(locale ?? 'en'));
try {
  const t0 = performance.now();
  const result = runBookExperiment(id);
  parentPort?.postMessage({ text: bookExperimentReport(id, result, (performance.now() - t0) / 1000) });
} catch (e) {
  parentPort?.postMessage({ error: (e as Error).message });
}
