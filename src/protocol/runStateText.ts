import { t } from '../l10n/catalog';
import type { RunState } from './webviewProtocol';

/** A run's state in words, in the active locale (status bar, hovers, the panel's header). */
export function runStateText(state: RunState): string {
  switch (state) {
    case 'idle':
      return t('idle');
    case 'starting':
      return t('starting');
    case 'running':
      return t('running');
    case 'paused':
      return t('paused');
    case 'finished':
      return t('finished');
    case 'earlyStopped':
      return t('stopped early');
    case 'stopping':
      return t('stopping');
    case 'stopped':
      return t('stopped');
    case 'failed':
      return t('failed');
  }
}
