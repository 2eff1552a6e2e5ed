// Issue 14: "Glassbox: Run an Autodiff Expression…" in a real VS Code. The input box offers E6.6 and
// says where a bad expression goes wrong; the panel draws a node per variable, number and op with its
// value, and its buttons step the backward pass node by node until a's gradient is 35 (20 + 15);
// stepping back and forward moves the highlighted node; an editor selection is run as is; a window
// reload brings the panel back with its expression and step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Frame } from 'playwright-core';
import {
  findWebviewFrame,
  openFile,
  reloadWindow,
  retry,
  reviveWebview,
  runCommand,
  startSession,
  type E2ESession,
} from './harness';
import { makeWorkspace, repoRoot } from './glassboxSupport';

const E66 = 'a = 3; b = a * 4; c = b + 3; d = a + 2; e = c * d';
const SELECTED = 'x = 0.5\ny = sigmoid(x) * x\n';
const COMMAND = 'Glassbox: Run an Autodiff Expression…';

let s: E2ESession;
let ws: string;

before(
  async () => {
    ws = makeWorkspace({ 'expression.txt': SELECTED });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

interface DrawnNode {
  label: string;
  op: string;
  value: string;
  grad: string;
  text: string;
  active: boolean;
}

async function readNodes(frame: Frame): Promise<DrawnNode[]> {
  return frame.locator('#ad-graph .ad-node').evaluateAll((els) =>
    els.map((e) => ({
      label: e.getAttribute('data-label') ?? '',
      op: e.getAttribute('data-op') ?? '',
      value: e.getAttribute('data-value') ?? '',
      grad: e.getAttribute('data-grad') ?? '',
      text: Array.from(e.querySelectorAll('text'), (t) => t.textContent).join(' | '),
      active: e.classList.contains('active'),
    })),
  );
}

const body = async (frame: Frame, key: string) => frame.locator('body').getAttribute(`data-${key}`);

/** Clicks a panel button and waits for the panel to show step `step`. */
async function click(frame: Frame, id: string, step: number): Promise<void> {
  await frame.locator(`#${id}`).click();
  await frame.locator(`body[data-step="${step}"]`).waitFor({ state: 'attached', timeout: 10_000 });
}

test(
  'E6.6 from the input box: the graph, then the backward pass step by step to a.grad = 35',
  { timeout: 180_000 },
  (t) =>
    s.run(t.name, async () => {
      await runCommand(s.page, COMMAND);
      const input = s.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 15_000 });
      assert.equal(await input.inputValue(), E66, 'the input box offers E6.6');
      // A bad expression: the box says where, before anything runs.
      await input.fill('a = 3; b = a *');
      const message = s.page.locator('.quick-input-widget .quick-input-message');
      await retry(
        'no validation message',
        async () => ((await message.innerText()).includes('line 1, column 15') ? true : undefined),
        { timeout: 10_000 },
      );
      assert.match(await message.innerText(), /expected a number, \[, a name or \(/);
      await input.fill(E66);
      await s.page.keyboard.press('Enter');

      const frame = await findWebviewFrame(s.page, '#ad-graph .ad-node', 60_000);
      await frame.locator('body[data-done="1"]').waitFor({ state: 'attached' });
      assert.equal(await frame.locator('#ad-expression').textContent(), E66);
      const start = await readNodes(frame);
      // a, 4, b, 3, c, 2, d, e: one node per variable, number and operation.
      assert.deepEqual(start.map((n) => [n.label, n.op]).sort(), [
        ['2', 'constant'],
        ['3', 'constant'],
        ['4', 'constant'],
        ['a', 'variable'],
        ['b', 'multiply'],
        ['c', 'add'],
        ['d', 'add'],
        ['e', 'multiply'],
      ]);
      const at = (nodes: DrawnNode[], label: string) => nodes.find((n) => n.label === label)!;
      assert.equal(at(start, 'a').value, '3');
      assert.equal(at(start, 'e').value, '75');
      assert.match(at(start, 'a').text, /value 3/);
      // Before the backward pass only the output holds its gradient.
      assert.deepEqual(
        start.filter((n) => n.grad !== '').map((n) => [n.label, n.grad]),
        [['e', '1']],
      );
      assert.equal(await body(frame, 'steps'), '4');
      assert.ok(await frame.locator('#ad-step-forward').isDisabled());

      // Step the backward pass node by node: e, d, c, b (reverse topological order).
      const activeLabels: string[] = [];
      const aGrads: string[] = [];
      for (let k = 1; k <= 4; k++) {
        await click(frame, 'ad-step-backward', k);
        const nodes = await readNodes(frame);
        const active = nodes.filter((n) => n.active);
        assert.equal(active.length, 1, `step ${k}: one highlighted node`);
        activeLabels.push(active[0].label);
        aGrads.push(at(nodes, 'a').grad);
        // The edges of the stepping node carry what it sends.
        assert.ok((await frame.locator('.ad-edge.sent').count()) >= 1, `step ${k}: no edge shows a gradient sent`);
      }
      assert.deepEqual(activeLabels, ['e', 'd', 'c', 'b']);
      // a receives 15 from d, then 20 from b: its running sum.
      assert.deepEqual(aGrads, ['', '15', '15', '35']);
      const end = await readNodes(frame);
      assert.match(at(end, 'a').text, /grad 15 \+ 20 = 35/);
      assert.deepEqual(
        ['b', 'c', 'd', 'e'].map((l) => at(end, l).grad),
        ['5', '5', '15', '1'],
      );
      assert.match(
        (await frame.locator('#ad-status').textContent()) ?? '',
        /Step 4 of 4: the backward of b \(multiply\)/,
      );
      assert.ok(await frame.locator('#ad-step-backward').isDisabled());

      // Back one step: c is highlighted again and a holds 15; forward again: b, 35.
      await click(frame, 'ad-step-forward', 3);
      let nodes = await readNodes(frame);
      assert.deepEqual(
        nodes.filter((n) => n.active).map((n) => n.label),
        ['c'],
      );
      assert.equal(at(nodes, 'a').grad, '15');
      await click(frame, 'ad-step-backward', 4);
      nodes = await readNodes(frame);
      assert.deepEqual(
        nodes.filter((n) => n.active).map((n) => n.label),
        ['b'],
      );
      assert.equal(at(nodes, 'a').grad, '35');
      await click(frame, 'ad-reset', 0);
      assert.equal(await body(frame, 'active'), '');
    }),
);

test('an editor selection is run as is, in the same panel', { timeout: 150_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'expression.txt');
    await s.page.locator('.monaco-editor .view-lines').first().click();
    await s.page.keyboard.press('Control+a');
    await runCommand(s.page, COMMAND);
    const frame = await findWebviewFrame(s.page, '#ad-graph .ad-node[data-label="x"]', 60_000);
    assert.equal(await frame.locator('#ad-expression').textContent(), SELECTED);
    // y = sigmoid(x)·x: the backward of the multiply, then of the sigmoid.
    assert.equal(await body(frame, 'steps'), '2');
    await click(frame, 'ad-run-all', 2);
    const x = (await readNodes(frame)).find((n) => n.label === 'x')!;
    const sig = 1 / (1 + Math.exp(-0.5));
    // dy/dx = σ(x) + x·σ(x)(1 − σ(x)): the first term through the multiply, the second through the sigmoid.
    assert.ok(Math.abs(Number(x.grad) - (sig + 0.5 * sig * (1 - sig))) < 1e-12, x.grad);
    assert.match(x.text, /grad 0\.6225 \+ 0\.1175 = 0\.74/);
  }),
);

test(
  'after a window reload the panel comes back with its expression at the step it showed',
  { timeout: 150_000 },
  (t) =>
    s.run(t.name, async () => {
      // The previous test left the selection's graph with both steps run: step back to 1.
      let frame = await findWebviewFrame(s.page, '#ad-graph .ad-node[data-label="x"]', 30_000);
      await click(frame, 'ad-step-forward', 1);
      await reloadWindow(s.page);
      // The panel's tab may sit behind the text file in one group.
      frame = await reviveWebview(s.page, 'Glassbox: autodiff', '#ad-graph .ad-node[data-label="x"]', 90_000);
      await frame.locator('body[data-step="1"]').waitFor({ state: 'attached', timeout: 30_000 });
      assert.equal(await frame.locator('#ad-expression').textContent(), SELECTED);
      assert.equal(await body(frame, 'steps'), '2');
    }),
);

test(
  'a matrix expression: W [2×2] and x [1×2] drawn as matrices, dy/dW = xᵀ(1 − tanh²) after the backward pass',
  { timeout: 150_000 },
  (t) =>
    s.run(t.name, async () => {
      await runCommand(s.page, COMMAND);
      const input = s.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 15_000 });
      await input.fill('W = [[0.5, -1], [2, 0.25]]; x = [[1, 3]]; y = sum(tanh(x @ W))');
      await s.page.keyboard.press('Enter');
      const frame = await findWebviewFrame(s.page, '#ad-graph .ad-node[data-label="W"]', 60_000);
      await click(frame, 'ad-run-all', Number(await body(frame, 'steps')));
      const nodes = await readNodes(frame);
      const W = nodes.find((n) => n.label === 'W')!;
      assert.equal(await frame.locator('.ad-node[data-label="W"]').getAttribute('data-shape'), '2x2');
      assert.match(W.text, /value \[\[0\.5, -1\], \[2, 0\.25\]\]/);
      // x @ W = [6.5, −0.25]; dy/dW[i][j] = x[i]·(1 − tanh²(z[j])).
      const d = [6.5, -0.25].map((z) => 1 - Math.tanh(z) ** 2);
      // As the panel prints numbers (webview/dom.ts formatNumber).
      const f = (v: number) =>
        v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(4)).toString();
      assert.ok(W.text.includes(`grad [[${f(d[0])}, ${f(d[1])}], [${f(3 * d[0])}, ${f(3 * d[1])}]]`), W.text);
      assert.deepEqual(nodes.map((n) => n.op).sort(), ['matmul', 'sum', 'tanh', 'variable', 'variable']);
    }),
);
