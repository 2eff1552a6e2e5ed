import './l10n';
import type { EvalPoint, RunState, ToWebview } from '../src/protocol/webviewProtocol';
import { connect } from './channel';
import { formatNumber } from './dom';
import { LossChart } from './lossChart';
import { buildLossView } from './markup';
import { onThemeChange } from './theme';
import { t } from '../src/l10n/catalog';
import { runStateText } from '../src/protocol/runStateText';

/* The Loss side view: a compact loss chart of the active model file's current or last run. */
const ui = buildLossView();
const chart = new LossChart(ui.lossChart, { showLegend: false });
onThemeChange((theme) => chart.applyTheme(theme));

function lastEval(evals: readonly EvalPoint[]): string {
  const e = evals[evals.length - 1];
  if (!e) return '';
  const acc = e.metrics.accuracy;
  return acc !== undefined
    ? t('epoch {0}: test loss {1} · accuracy {2}%', e.epoch, formatNumber(e.loss), (100 * acc).toFixed(2))
    : t('epoch {0}: test loss {1}', e.epoch, formatNumber(e.loss));
}

function setState(state: RunState): void {
  ui.state.textContent = runStateText(state);
  ui.state.className = `badge state-${state}`;
}

const evals: EvalPoint[] = [];
connect(['progress', 'evals'], (msg: ToWebview) => {
  switch (msg.type) {
    case 'snapshot':
      ui.title.textContent = msg.run?.modelName ?? msg.modelPath.split(/[\\/]/).pop() ?? '';
      setState(msg.state);
      evals.length = 0;
      evals.push(...(msg.evals ?? []));
      chart.reset(msg.train ?? [], evals);
      break;
    case 'trainPoints':
      chart.addTrain(msg.points);
      break;
    case 'evalPoint':
      evals.push(msg.point);
      chart.addTest(msg.point);
      break;
    case 'state':
      setState(msg.state);
      break;
    default:
      break;
  }
  ui.lastEval.textContent = lastEval(evals);
  document.body.dataset.points = String(chart.pointCount);
});
