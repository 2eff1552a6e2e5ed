/*
 * The autodiff panel ("Glassbox: Run an Autodiff Expression…", chapter 6): the computational graph of
 * a scalar expression, inputs on the left and the output on the right, each node with its value and
 * gradient, and buttons that step through the recorded backward pass node by node. Every label comes
 * from the user's text: it is set with textContent only.
 */
import './l10n';
import { t } from '../src/l10n/catalog';
import {
  parseAutodiffGraphMessage,
  type AutodiffGraphMessage,
  type AutodiffNode,
} from '../src/protocol/autodiffProtocol';
import { replayBackward, type BackwardState } from '../src/protocol/replayBackward';
import { el, formatNumber } from './dom';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
/** What VS Code keeps for the panel across a reload: the expression (the host re-parses it) and the step shown. */
interface SavedState {
  expression: string;
  done: number;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Node box size and the gaps between columns (depths) and rows, in SVG user units (px). */
const BOX_W = 168;
const BOX_H = 78;
const GAP_X = 64;
const GAP_Y = 18;
const PAD = 12;

const ui = {
  expression: el('code', { id: 'ad-expression' }),
  reset: el(
    'button',
    { id: 'ad-reset', title: t('Back to the start: only the output holds its gradient (1)') },
    t('Reset'),
  ),
  back: el(
    'button',
    { id: 'ad-step-forward', title: t('Undo the last backward step (back towards the forward pass)') },
    t('◀ Step forward'),
  ),
  next: el(
    'button',
    {
      id: 'ad-step-backward',
      class: 'primary',
      title: t("Run the next node's backward: it sends its gradient to its operands"),
    },
    t('Step backward ▶'),
  ),
  all: el('button', { id: 'ad-run-all', title: t('Run the whole backward pass') }, t('Run all')),
  status: el('p', { id: 'ad-status', 'aria-live': 'polite' }),
  graph: el('div', { id: 'ad-graph', class: 'ad-graph' }),
};

document.body.append(
  el('h1', {}, t('Autodiff: the computational graph')),
  el('p', { class: 'muted' }, t('Expression: '), ui.expression),
  el(
    'p',
    { class: 'muted' },
    t(
      'Each box is a node: its value from the forward pass and its gradient ∂output/∂node. The backward pass visits the nodes from the output back to the inputs; each adds what it sends into its operands’ gradients.',
    ),
  ),
  el('div', { class: 'ad-toolbar' }, ui.reset, ui.back, ui.next, ui.all),
  ui.status,
  ui.graph,
);

let graph: AutodiffGraphMessage | null = null;
let done = 0;

/**
 * Column of each node: leaves at 0 and an op one right of its deepest operand, except that a
 * constant sits just left of its first consumer (a number beside the op that uses it, not far left
 * with its edge crossing the graph).
 */
function columnsOf(nodes: readonly AutodiffNode[]): Map<number, number> {
  const d = new Map<number, number>();
  // Nodes arrive parents first (describeGraph's forward order).
  for (const n of nodes) d.set(n.id, n.parents.length ? 1 + Math.max(...n.parents.map((p) => d.get(p) ?? 0)) : 0);
  // Each number in the text is its own constant node, used once.
  const constants = new Set(nodes.filter((n) => n.op === 'constant').map((n) => n.id));
  for (const n of nodes) for (const p of n.parents) if (constants.has(p)) d.set(p, Math.max(0, (d.get(n.id) ?? 1) - 1));
  return d;
}

/**
 * Box positions: columns left → right; within a column, from the output's column leftwards, nodes
 * ordered by the mean height of the nodes that use them (fewer crossing edges), each column centred.
 */
function layout(nodes: readonly AutodiffNode[]): {
  pos: Map<number, { x: number; y: number }>;
  width: number;
  height: number;
} {
  const col = columnsOf(nodes);
  const columns: AutodiffNode[][] = [];
  for (const n of nodes) (columns[col.get(n.id) ?? 0] ??= []).push(n);
  for (let c = 0; c < columns.length; c++) columns[c] ??= [];
  const consumers = new Map<number, number[]>();
  for (const n of nodes) for (const p of n.parents) consumers.set(p, [...(consumers.get(p) ?? []), n.id]);
  const rows = Math.max(...columns.map((c) => c.length));
  const pos = new Map<number, { x: number; y: number }>();
  for (let c = columns.length - 1; c >= 0; c--) {
    const key = (n: AutodiffNode) => {
      const ys = (consumers.get(n.id) ?? []).map((id) => pos.get(id)?.y).filter((y) => y !== undefined);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : 0;
    };
    const placed = [...columns[c]].sort((a, b) => key(a) - key(b) || a.id - b.id);
    const offset = (rows - placed.length) / 2;
    placed.forEach((n, r) => pos.set(n.id, { x: PAD + c * (BOX_W + GAP_X), y: PAD + (r + offset) * (BOX_H + GAP_Y) }));
  }
  const width = PAD * 2 + columns.length * BOX_W + (columns.length - 1) * GAP_X;
  const height = PAD * 2 + rows * BOX_H + (rows - 1) * GAP_Y;
  return { pos, width, height };
}

function nameOf(n: AutodiffNode | undefined): string {
  if (!n) return '?';
  return n.label || n.op;
}

/** Numbers shown of a vector or matrix in a node's box (all of them in its tooltip). */
const SHOWN = 6;

/**
 * A value or gradient as written in the expression: 35, [1, 2], [[1, 2], [3, 4]]; past `limit`
 * numbers the rest is '…'. `shape` is the node's ([] or absent: one number).
 */
function fmt(g: readonly number[] | undefined, shape: readonly number[] = [], limit = SHOWN): string {
  if (!g || !g.length) return '—';
  if (shape.length === 0) return formatNumber(g[0]);
  const cols = shape[shape.length - 1];
  let left = limit;
  const row = (r: number) => {
    const items: string[] = [];
    for (let j = 0; j < cols && left > 0; j++, left--) items.push(formatNumber(g[r * cols + j]));
    return `[${items.join(', ')}${items.length < cols ? ', …' : ''}]`;
  };
  if (shape.length === 1) return row(0);
  const rows: string[] = [];
  for (let r = 0; r < shape[0] && left > 0; r++) rows.push(row(r));
  return `[${rows.join(', ')}${rows.length < shape[0] ? ', …' : ''}]`;
}

function draw(): void {
  if (!graph) return;
  const g = graph;
  const state: BackwardState = replayBackward(g.root, g.steps, done);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const { pos, width, height } = layout(g.nodes);
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  root.setAttribute('aria-label', t('computational graph of the expression'));

  const active = state.active;
  const activeStep = state.done > 0 ? g.steps[state.done - 1] : undefined;
  // Edges first (under the boxes): operand's right edge → the node's left edge.
  for (const e of g.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = b.x;
    const y2 = b.y + BOX_H / 2;
    const sent =
      activeStep && activeStep.node === e.to ? activeStep.sent.find((s) => s.operand === e.operand) : undefined;
    const line = svg('line', {
      x1,
      y1,
      x2,
      y2,
      class: `ad-edge${sent ? ' sent' : ''}`,
      'data-from': e.from,
      'data-to': e.to,
    });
    root.append(line);
    if (sent) {
      root.append(
        svg(
          'text',
          { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, class: 'ad-edge-label', 'text-anchor': 'middle' },
          `+${fmt(sent.grad, byId.get(sent.to)?.shape)}`,
        ),
      );
    }
  }
  for (const n of g.nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const grad = state.grads.get(n.id);
    const received = state.received.get(n.id) ?? [];
    const cls = ['ad-node', `op-${n.op}`];
    if (n.id === active) cls.push('active');
    if (n.id === g.root) cls.push('output');
    if (activeStep?.sent.some((s) => s.to === n.id)) cls.push('receiving');
    const box = svg('g', {
      class: cls.join(' '),
      transform: `translate(${p.x},${p.y})`,
      'data-id': n.id,
      'data-label': n.label,
      'data-op': n.op,
      'data-value': n.value[0] ?? '',
      'data-grad': grad ? grad[0] : '',
      'data-shape': n.shape.join('x'),
    });
    box.append(svg('rect', { width: BOX_W, height: BOX_H, rx: 6 }));
    const title =
      n.op === 'variable' || n.op === 'constant' ? `${n.label} (${n.op})` : n.label ? `${n.label} = ${n.op}` : n.op;
    box.append(svg('text', { x: 8, y: 18, class: 'ad-title' }, title));
    box.append(svg('text', { x: 8, y: 38, class: 'ad-value' }, `value ${fmt(n.value, n.shape)}`));
    let gradText: string;
    if (!n.requiresGrad) gradText = 'no gradient (constant)';
    else if (!grad) gradText = 'grad —';
    else if (received.length > 1)
      gradText = `grad ${received.map((r) => fmt(r.grad, n.shape)).join(' + ')} = ${fmt(grad, n.shape)}`;
    else gradText = `grad ${fmt(grad, n.shape)}`;
    box.append(svg('text', { x: 8, y: 58, class: 'ad-grad' }, gradText));
    const all = n.value.length;
    const tip = svg(
      'title',
      {},
      `${title}${n.shape.length ? ` [${n.shape.join('×')}]` : ''}\nvalue ${fmt(n.value, n.shape, all)}\n${
        n.shape.length && grad ? `grad ${fmt(grad, n.shape, all)}` : gradText
      }`,
    );
    box.append(tip);
    root.append(box);
  }
  ui.graph.replaceChildren(root);

  const n = g.steps.length;
  if (!activeStep) {
    ui.status.textContent = t(
      'Before the backward pass: the output {0} holds ∂output/∂output = 1. {1} nodes have a backward to run.',
      nameOf(byId.get(g.root)),
      n,
    );
  } else {
    const node = byId.get(activeStep.node);
    const sends = activeStep.sent
      .map((s) => t('{0} to {1}', fmt(s.grad, byId.get(s.to)?.shape), nameOf(byId.get(s.to))))
      .join(', ');
    ui.status.textContent = t(
      'Step {0} of {1}: the backward of {2} ({3}) ran with its gradient {4} and sent {5}.',
      state.done,
      n,
      nameOf(node),
      node?.op ?? '?',
      fmt(activeStep.grad, node?.shape),
      sends || t('nothing'),
    );
  }
  ui.back.disabled = state.done === 0;
  ui.reset.disabled = state.done === 0;
  ui.next.disabled = state.done === n;
  ui.all.disabled = state.done === n;
  document.body.dataset.step = String(state.done);
  document.body.dataset.steps = String(n);
  document.body.dataset.active = active === null ? '' : String(active);
  document.body.dataset.done = '1';
}

function go(to: number): void {
  if (!graph) return;
  done = Math.max(0, Math.min(graph.steps.length, to));
  api.setState({ expression: graph.expression, done });
  draw();
}
ui.reset.addEventListener('click', () => go(0));
ui.back.addEventListener('click', () => go(done - 1));
ui.next.addEventListener('click', () => go(done + 1));
ui.all.addEventListener('click', () => go(Number.MAX_SAFE_INTEGER));

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const msg = parseAutodiffGraphMessage(ev.data);
  if (!msg) return;
  graph = msg;
  ui.expression.textContent = msg.expression;
  // After a reload the host sends the saved expression again: show the step the user had reached.
  const saved = api.getState() as Partial<SavedState> | undefined;
  go(saved?.expression === msg.expression && typeof saved.done === 'number' ? saved.done : 0);
});
api.postMessage({ type: 'ready' });
