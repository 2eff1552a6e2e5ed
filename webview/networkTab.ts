import type { RunSummary, TelemetryFrameMessage } from '../src/protocol/telemetry';
import type { OpCursor } from '../src/protocol/webviewProtocol';
import { el, formatShape } from './dom';
import { heatmapTiles } from './heatmap';
import { t } from '../src/l10n/catalog';

/**
 * The Network tab: the chapter-1 computational graph made live. For the probe sample, every
 * layer's chain of operations with its forward value and backward gradient as heatmaps.
 */
export function renderNetwork(
  root: HTMLElement,
  run: RunSummary | null,
  frame: TelemetryFrameMessage | null,
  highlight?: { layer: number },
  cursor: OpCursor | null = null,
): void {
  if (!frame?.probeOps?.length) {
    root.replaceChildren(
      el(
        'p',
        { class: 'muted' },
        // A Probe tab answer carries no op graph (probeAnswer.ts): the next frame of the new input does.
        frame?.probeInput
          ? t('The probe changed: its values and gradients per operation come with the next frame.')
          : t('No probe telemetry yet: train the model to see values and gradients flow through each operation.'),
      ),
    );
    return;
  }
  const layers = new Map<number, HTMLElement[]>();
  frame.probeOps.forEach((op, k) => {
    const list = layers.get(op.layer) ?? [];
    if (list.length) list.push(el('span', { class: 'op-arrow' }, '→'));
    // Step-through: forward values appear op by op, then gradients from the last op backwards.
    const computed = !cursor || cursor.phase === 'backward' || k <= cursor.index;
    const graded = !cursor || (cursor.phase === 'backward' && k >= cursor.index);
    const value = !computed
      ? [el('span', { class: 'muted' }, t('not computed yet'))]
      : op.value
        ? heatmapTiles(op.value, op.shape, t('value'), 4, 64)
        : [el('span', { class: 'muted' }, t('too large to show'))];
    const grad = graded && op.grad ? heatmapTiles(op.grad, op.shape, '∂L/∂y', 4, 64) : [];
    const current = cursor?.index === k;
    const box = el(
      'div',
      { class: `op-box${current ? ` current ${cursor?.phase}` : ''}`, 'data-op': String(k) },
      el('strong', {}, op.name),
      el('span', { class: 'muted' }, formatShape(op.shape)),
      el('div', { class: 'fm-grid' }, ...value),
      el('div', { class: 'fm-grid' }, ...grad),
      el('div', { class: 'eq' }, op.equation ?? ''),
    );
    list.push(box);
    layers.set(op.layer, list);
  });
  const ops = frame.probeOps;
  const status = cursor
    ? t(
        cursor.phase === 'forward'
          ? 'Forward pass: operation {0} of {1}, {2} in layer {3}'
          : 'Backward pass: operation {0} of {1}, {2} in layer {3}',
        cursor.index + 1,
        ops.length,
        ops[cursor.index]?.name ?? '',
        (ops[cursor.index]?.layer ?? 0) + 1,
      )
    : t(
        'Pause training, then "Step op" (Glassbox: Step One Operation) walks the forward pass op by op, then the backward pass; one more step trains the batch.',
      );
  const input =
    frame.probeInput && frame.probeInputShape
      ? heatmapTiles(frame.probeInput, frame.probeInputShape, t('input'), 4, 84)
      : [];
  root.replaceChildren(
    el('div', { class: 'muted', id: 'op-status' }, status),
    el(
      'div',
      { class: 'op-layer' },
      el('strong', {}, t('Input {0}', formatShape(frame.probeInputShape ?? []))),
      el('div', { class: 'fm-grid' }, ...input),
    ),
    ...Array.from(layers.entries()).map(([i, boxes]) => {
      const name = run?.layers[i] ? `${i + 1}. ${run.layers[i].name} (${run.layers[i].kind})` : t('layer {0}', i + 1);
      return el(
        'div',
        { class: `op-layer${highlight?.layer === i ? ' highlight' : ''}`, 'data-layer': String(i) },
        el('strong', {}, name),
        el('div', { class: 'op-chain' }, ...boxes),
      );
    }),
    el(
      'div',
      { class: 'op-layer' },
      el('strong', {}, t('Loss on the probe: {0} (step {1})', frame.probeLoss?.toPrecision(4) ?? '?', frame.step)),
    ),
  );
}
