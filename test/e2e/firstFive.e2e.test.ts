// Issue 12 ("the first five minutes") in a real VS Code: one Problems entry per problem (VS Code's
// JSON language service completes and explains the model file but leaves the problems to Glassbox,
// apart from plain syntax errors, which Glassbox then does not repeat); completion still offers a
// layer kind's arguments and an argument's values; the Getting Started walkthrough.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  goToPosition,
  openFile,
  pickInOpenQuickInput,
  readOutputChannel,
  readProblems,
  retry,
  runCommand,
  startSession,
  type E2ESession,
  type Problem,
} from './harness';
import { example, makeWorkspace, pollUntil, repoRoot, trainingPanel, waitForPanelState } from './glassboxSupport';

const E33 = example('E3.3.nn.json');
// A missing comma after the first layer: a plain syntax error, which VS Code reports.
const SYNTAX = E33.replace(/("units": 13, "activation": "sigmoid" }),(\n\s*\{ "type": "dense", "units": 13)/, '$1$2');
// Three semantic errors, each on its own line: units 0, an unknown activation, an unknown property.
const SEMANTIC = E33.replace(/"units": 13, "activation": "sigmoid"/, '"units": 0, "activation": "sigmoid"')
  .replace(/("units": 13, "activation": )"sigmoid"/, '$1"sigmoidd"')
  .replace('"lr": 0.01', '"lr": 0.01, "momentm": 0.9');
// Completion: a dense layer with the cursor after its type, and an activation without a value.
const COMPLETE = E33.replace(
  '{ "type": "dense", "units": 13, "activation": "sigmoid" },',
  '{ "type": "dense",  },\n    { "type": "dense", "units": 13, "activation":  },',
);
const lines = (text: string) => text.split('\n');
const lineOf = (text: string, needle: string) => lines(text).findIndex((l) => l.includes(needle)) + 1;

let s: E2ESession;
let ws: string;

before(
  async () => {
    assert.notEqual(SYNTAX, E33);
    assert.equal((SEMANTIC.match(/"units": 0|"sigmoidd"|"momentm"/g) ?? []).length, 3, SEMANTIC);
    assert.notEqual(COMPLETE, E33);
    ws = makeWorkspace({ 'syntax.nn.json': SYNTAX, 'semantic.nn.json': SEMANTIC, 'complete.nn.json': COMPLETE });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/** The Problems rows of `file`, once they have settled (the same for 4 s: both services have reported). */
async function settledProblems(page: Page, file: string, atLeast: number): Promise<Problem[]> {
  const ofFile = (ps: Problem[]) => ps.filter((p) => p.file === file);
  // readProblems opens the panel with Ctrl+Shift+M, which hides it when it is open and focused:
  // hide the panel first (Ctrl+J toggles it whatever has the focus).
  const read = async (timeout: number) => {
    if (await page.locator('.markers-panel').isVisible()) {
      await page.keyboard.press('Control+j');
      await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 5_000 });
    }
    return ofFile(await readProblems(page, atLeast, timeout, (p) => p.file === file));
  };
  let last = await read(60_000);
  for (;;) {
    await new Promise((r) => setTimeout(r, 4_000));
    const now = await read(30_000);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
}

test(
  'a syntax error is one Problems entry (VS Code reports it; Glassbox does not repeat it)',
  { timeout: 150_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'syntax.nn.json');
      const problems = await settledProblems(s.page, 'syntax.nn.json', 1);
      assert.equal(problems.length, 1, `expected one entry: ${JSON.stringify(problems)}`);
      assert.match(problems[0].text, /comma/i);
      assert.doesNotMatch(problems[0].text, /glassbox/);
      const line = lineOf(SYNTAX, '"units": 13, "activation": "sigmoid" }') + 1;
      assert.match(problems[0].text, new RegExp(`\\[Ln ${line}, Col \\d+\\]`));
    }),
);

test(
  'several semantic errors: exactly one Problems entry each, from Glassbox, on the line that names it',
  { timeout: 150_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'semantic.nn.json');
      const problems = await settledProblems(s.page, 'semantic.nn.json', 3);
      assert.equal(problems.length, 3, `expected three entries: ${JSON.stringify(problems, null, 1)}`);
      for (const [re, needle] of [
        [/layers\[0\]\.units: must be >= 1, got 0/, '"units": 0'],
        [/unknown activation 'sigmoidd'.*Did you mean 'sigmoid'/, '"sigmoidd"'],
        [/unknown property 'momentm'/, '"momentm"'],
      ] as const) {
        const p = problems.find((q) => re.test(q.text));
        assert.ok(p, `no ${re} among ${JSON.stringify(problems, null, 1)}`);
        assert.match(p.text, /glassbox/);
        assert.match(p.text, new RegExp(`\\[Ln ${lineOf(SEMANTIC, needle)}, Col \\d+\\]`));
      }
    }),
);

/** The suggestion labels at 1-based `line`:`column` (Ctrl+Space), once they include `expect`. */
async function suggestionsAt(page: Page, line: number, column: number, expect: string): Promise<string[]> {
  return retry(
    `no suggestion '${expect}' at ${line}:${column}`,
    async () => {
      await page.keyboard.press('Escape');
      await goToPosition(page, line, column);
      await page.keyboard.press('Control+Space');
      const rows = page.locator('.suggest-widget .monaco-list-row');
      await rows
        .first()
        .waitFor({ timeout: 5_000 })
        .catch(() => undefined);
      const labels = await rows.evaluateAll((els) =>
        els.map((el) => (el.querySelector('.label-name')?.textContent ?? (el as HTMLElement).innerText).trim()),
      );
      return labels.some((l) => l.replace(/"/g, '') === expect) ? labels : undefined;
    },
    { timeout: 60_000, interval: 1_000 },
  );
}

test("completion offers a dense layer's arguments (not conv2d's) and the activation names", { timeout: 150_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'complete.nn.json');
    const typeLine = lines(COMPLETE).findIndex((l) => l.includes('{ "type": "dense",  },'));
    const col = lines(COMPLETE)[typeLine].indexOf('",  }') + 4; // 1-based: between the two spaces
    const props = (await suggestionsAt(s.page, typeLine + 1, col, 'units')).map((l) => l.replace(/"/g, ''));
    for (const p of ['units', 'activation', 'init', 'keepProb']) assert.ok(props.includes(p), `no ${p}: ${props}`);
    assert.ok(!props.includes('filters'), `a conv2d argument offered for dense: ${props}`);
    await s.page.keyboard.press('Escape');
    const actLine = lines(COMPLETE).findIndex((l) => l.includes('"activation":  }'));
    const actCol = lines(COMPLETE)[actLine].indexOf('"activation": ') + '"activation": '.length + 1;
    const values = (await suggestionsAt(s.page, actLine + 1, actCol, 'relu')).map((l) => l.replace(/"/g, ''));
    for (const v of ['tanh', 'sigmoid', 'relu', 'leakyRelu', 'softmax', 'linear'])
      assert.ok(values.includes(v), `no ${v}: ${values}`);
    await s.page.keyboard.press('Escape');
  }),
);

test('the walkthrough is on the Welcome page, and a step\'s "Train it" trains its example', { timeout: 240_000 }, (t) =>
  s.run(t.name, async () => {
    await s.page.keyboard.press('Escape');
    await runCommand(s.page, 'Welcome: Open Walkthrough...');
    await pickInOpenQuickInput(s.page, 'Deep Learning from Scratch, in Glassbox');
    const page = s.page.locator('.gettingStartedContainer');
    await page.getByText('Chapter 7: an autoencoder and its latent space').first().waitFor({ timeout: 30_000 });
    for (let n = 1; n <= 7; n++)
      assert.ok(await page.getByText(new RegExp(`^Chapter ${n}: `)).count(), `no chapter ${n}`);
    await page.getByText("Chapter 3: layers, the book's E3.3").first().click();
    const train = page.getByRole('button', { name: 'Train it' }).filter({ visible: true }).first();
    await train.waitFor({ timeout: 15_000 });
    await train.click();
    const runs = join(s.server.workspaceDir, 'glassbox-book', '.glassbox', 'runs');
    const panel = await trainingPanel(s.page, 'E3.3', 90_000);
    await waitForPanelState(panel, 'finished', 120_000);
    const run = await pollUntil(
      'a complete run record of the copied E3.3',
      async () => {
        const d = existsSync(runs) ? readdirSync(runs).find((f) => f.endsWith('-E3.3')) : undefined;
        const f = d && join(runs, d, 'run.json');
        return f && existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as { status?: string }) : undefined;
      },
      (rec) => rec?.status === 'complete',
    );
    assert.equal(run?.status, 'complete');
    assert.ok(existsSync(join(s.server.workspaceDir, 'glassbox-book', 'E3.3.nn.json')));
  }),
);

test('"Glassbox: Run Book Experiment…" shows E5.3 beside the book\'s printed numbers', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await runCommand(s.page, 'Glassbox: Run Book Experiment…');
    await pickInOpenQuickInput(s.page, 'E5.3');
    const text = await retry(
      'the Book Experiments output never showed E5.3',
      async () => {
        const out = readOutputChannel(s.server.userDataDir, 'Glassbox Book Experiments');
        return /8 of 8 printed numbers reproduced/.test(out) ? out : undefined;
      },
      { timeout: 60_000, interval: 500 },
    );
    assert.match(text, /^E5\.3 \(chapter 5\): /m);
    assert.match(text, /batch param gradient\s+-47\.0912312416\s+-47\.0912312416\s+same/);
  }),
);
