import { t } from '../l10n/catalog';
import type { ProgressInfo } from './webviewProtocol';
import type { RunSummary } from './telemetry';

/**
 * A run's progress in words, for the status bar and the progress notification. A text model
 * trains for a number of iterations, grouped in rounds of `evalEvery` (the Trainer's "epochs",
 * textSchedule.ts): it says "iteration 120/300", never "epoch 3/6 · batch 50/50".
 */
export function progressText(p: ProgressInfo, run: Pick<RunSummary, 'dataset'> | null | undefined) {
  const done = (p.epoch - 1) * p.batchesPerEpoch + p.batch + 1; // batch is 0-based
  const total = p.epochs * p.batchesPerEpoch;
  const percent = Math.min(100, Math.floor((100 * done) / total));
  const where = run?.dataset === 'text' ? t('iteration {0}/{1}', done, total) : t('epoch {0}/{1}', p.epoch, p.epochs);
  return { where, percent, text: t('{0} · loss {1} · {2}%', where, p.loss.toPrecision(4), percent) };
}
