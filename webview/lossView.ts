import type { EvalPoint, ToWebview } from '../src/protocol/webviewProtocol';
import { byId, formatNumber } from './dom';
import { LossChart } from './lossChart';
import { onThemeChange } from './theme';
import { post } from './vscodeApi';

/* The Loss side view: a compact loss chart of the active model file's current or last run. */
const chart = new LossChart(byId<HTMLCanvasElement>('loss-chart'), { showLegend: false });
onThemeChange((t) => chart.applyTheme(t));

function lastEval(evals: readonly EvalPoint[]): string {
  const e = evals[evals.length - 1];
  if (!e) return '';
  const acc = e.metrics.accuracy;
  return `epoch ${e.epoch}: test loss ${formatNumber(e.loss)}${acc !== undefined ? ` · accuracy ${(100 * acc).toFixed(2)}%` : ''}`;
}

const evals: EvalPoint[] = [];
window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'snapshot':
      byId('title').textContent = msg.run?.modelName ?? msg.modelPath.split(/[\\/]/).pop() ?? '';
      byId('state').textContent = msg.state;
      byId('state').className = `badge state-${msg.state}`;
      evals.length = 0;
      evals.push(...msg.evals);
      chart.reset(msg.train, msg.evals);
      break;
    case 'trainPoints':
      chart.addTrain(msg.points);
      break;
    case 'evalPoint':
      evals.push(msg.point);
      chart.addTest(msg.point);
      break;
    case 'state':
      byId('state').textContent = msg.state;
      byId('state').className = `badge state-${msg.state}`;
      break;
    default:
      break;
  }
  byId('last-eval').textContent = lastEval(evals);
  document.body.dataset.points = String(chart.pointCount);
});
post({ type: 'ready' });
