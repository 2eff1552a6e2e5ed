import type { RunSummary, TelemetryFrameMessage } from '../src/protocol/telemetry';
import { el, formatNumber, formatShape } from './dom';
import { heatmapTiles } from './heatmap';
import { t } from '../src/l10n/catalog';

/** The Probe tab: the input, each layer's activation, and the output (probabilities as bars). */
export function renderProbe(root: HTMLElement, run: RunSummary | null, frame: TelemetryFrameMessage | null): void {
  if (!frame?.probeInput || !frame.probeInputShape) {
    root.replaceChildren(el('p', { class: 'muted' }, t('No probe telemetry yet.')));
    return;
  }
  const out = frame.probeOutput ?? new Float32Array(0);
  let top = 0;
  for (let i = 1; i < out.length; i++) if (out[i] > out[top]) top = i;
  const bars = Array.from(out, (p, i) => {
    const fill = el('div', { class: 'prob-fill' });
    fill.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
    return el(
      'div',
      { class: `prob-bar${i === top ? ' top' : ''}` },
      el('span', {}, String(i)),
      fill,
      el('span', {}, formatNumber(p, 3)),
    );
  });
  const layers = frame.layers.map((l) =>
    el(
      'div',
      { class: 'op-box' },
      el('strong', {}, `${l.index + 1}. ${l.name}`),
      el('span', { class: 'muted' }, formatShape(l.probeShape ?? [])),
      el(
        'div',
        { class: 'fm-grid' },
        ...(l.probeActivation && l.probeShape ? heatmapTiles(l.probeActivation, l.probeShape, 'a', 8, 64) : []),
      ),
    ),
  );
  root.replaceChildren(
    el(
      'div',
      { class: 'probe-row' },
      el(
        'div',
        { class: 'op-box' },
        el('strong', {}, t('Input {0}', formatShape(frame.probeInputShape))),
        el('div', { class: 'fm-grid' }, ...heatmapTiles(frame.probeInput, frame.probeInputShape, t('input'), 4, 112)),
      ),
      el(
        'div',
        { class: 'prob-bars' },
        el(
          'strong',
          {},
          run?.loss === 'softmaxCrossEntropy'
            ? t('Output (probabilities) · predicted {0}', top)
            : t('Output (values) · predicted {0}', top),
        ),
        ...bars,
      ),
    ),
    el('h2', {}, t('Activations layer by layer')),
    el('div', { class: 'op-chain' }, ...layers),
  );
}
