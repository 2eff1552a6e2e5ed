import { t } from '../l10n/catalog';

/** A metric's name in words, in the active locale (accuracy; MAE, MSE and RMSE stay as written). */
export function metricText(name: string): string {
  return name === 'accuracy' ? t('accuracy') : name === 'loss' ? t('loss') : name;
}
