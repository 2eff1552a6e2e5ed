// Hostile files in a real VS Code (issue 13): a model file pointing at a 300 MB text (refused by its
// size), at a 60 MB one (scanned once in a worker, then cached) and at a 150 MB one with invalid
// UTF-8 near its end (the worker's scan reports it at its line while hovers stay quick) is opened,
// edited and validated while the extension host stays up and answers hovers within 2 s; a layer
// named with a command link and a remote image shows literally in the hover, with only the
// extension's own links.
import assert from 'node:assert/strict';
import { closeSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { hoverToken, openFile, readProblems, startSession, type E2ESession } from './harness';
import { busyMachine, makeWorkspace, repoRoot } from './glassboxSupport';

const EVIL = '[x](command:glassbox.selectLayer?["file:///etc/hostname",0,true]) ![](https://example.invalid/b.png)';
const model = (textFile: string, name: string) =>
  JSON.stringify(
    {
      name: 'hostile',
      data: { type: 'text', path: textFile, sequenceLength: 16 },
      layers: [{ type: 'rnn', hiddenSize: 8, name }],
      loss: 'sequenceSoftmaxCrossEntropy',
      optimizer: { type: 'adam', lr: 0.01 },
      training: { iterations: 10, batchSize: 4, evalEvery: 5 },
    },
    null,
    2,
  );

/**
 * Hovers answer within 2 s — asserted on a machine that runs little else; above a load of 3 per
 * core (other jobs on a shared machine) a slow hover is the machine's, and is reported.
 */
function quickHover(t: { diagnostic(m: string): void }, ms: number): void {
  const busy = busyMachine();
  if (busy && ms >= 2000) t.diagnostic(`not asserted (${busy}): the hover took ${ms} ms`);
  else assert.ok(ms < 2000, `the hover took ${ms} ms`);
}

const BAD_LINE = 2_600_000; // of about 2.63 million (57-byte lines)

let s: E2ESession;
let ws: string;

before(
  async () => {
    ws = makeWorkspace({
      'huge.nn.json': model('huge.txt', 'recurrent'),
      'big.nn.json': model('big.txt', 'recurrent'),
      'evil.nn.json': model('small.txt', EVIL),
      'bad.nn.json': model('bad.txt', 'recurrent'),
    });
    const dir = join(ws, 'examples');
    // 300 MB: a sparse file (only its size is ever looked at).
    const huge = openSync(join(dir, 'huge.txt'), 'w');
    ftruncateSync(huge, 300 * 2 ** 20);
    closeSync(huge);
    // 60 MB of real text.
    const big = openSync(join(dir, 'big.txt'), 'w');
    const block = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(20000));
    for (let n = 0; n < 60e6; n += block.length) writeSync(big, block);
    closeSync(big);
    // 150 MB of real text whose line BAD_LINE starts with a byte that is not UTF-8.
    const bad = openSync(join(dir, 'bad.txt'), 'w');
    const line = Buffer.from('The quick brown fox jumps over the lazy dog. ünïcödé\n');
    const lines = Buffer.concat(Array(BAD_LINE - 1).fill(line));
    writeSync(bad, lines);
    writeSync(bad, Buffer.from([0xff]));
    writeSync(bad, lines.subarray(0, 150e6 - lines.length));
    closeSync(bad);
    writeFileSync(join(dir, 'small.txt'), 'a small text for a small character model. '.repeat(50));
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/** Types at the end of line 2 (a comment-free JSON line) and waits for the hover over `token`. */
async function editThenHover(token: string, expect: RegExp): Promise<number> {
  await s.page.keyboard.press('Control+End');
  await s.page.keyboard.type(' ');
  const t0 = Date.now();
  await hoverToken(s.page, token, expect, 10_000);
  return Date.now() - t0;
}

test('a 300 MB text is refused by its size; edits and hovers stay quick', { timeout: 180_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'huge.nn.json');
    const problems = await readProblems(s.page, 1, 30_000, (p) => /more than the .* MiB/.test(p.text));
    assert.ok(problems.some((p) => p.file === 'huge.nn.json'));
    await s.page.keyboard.press('Control+Shift+m'); // back to the editor
    for (let i = 0; i < 3; i++) {
      const ms = await editThenHover('"recurrent"', /Layer 1: recurrent/);
      t.diagnostic(`hover after edit ${i + 1}: ${ms} ms`);
      quickHover(t, ms);
    }
  }),
);

test('a 60 MB text validates once and edits stay quick', { timeout: 180_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'big.nn.json');
    // The first validation scans the file; the shapes then show in the hover.
    await hoverToken(s.page, '"recurrent"', /Layer 1: recurrent.*\n?.*\[16, \d+\]/, 60_000);
    for (let i = 0; i < 3; i++) {
      const ms = await editThenHover('"recurrent"', /Layer 1: recurrent/);
      t.diagnostic(`hover after edit ${i + 1}: ${ms} ms`);
      quickHover(t, ms);
    }
  }),
);

test(
  'invalid UTF-8 near the end of a 150 MB text is reported at its line; hovers stay quick meanwhile',
  { timeout: 180_000 },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'bad.nn.json');
      const t0 = Date.now();
      // The host only stats the file; the worker's scan runs while the editor answers.
      for (let i = 0; i < 3; i++) {
        const ms = await editThenHover('"recurrent"', /Layer 1: recurrent/);
        t.diagnostic(`hover after edit ${i + 1}: ${ms} ms`);
        quickHover(t, ms);
      }
      const problems = await readProblems(s.page, 1, 90_000, (p) => /is not valid UTF-8/.test(p.text));
      t.diagnostic(`the scan's error after ${Date.now() - t0} ms: ${JSON.stringify(problems)}`);
      const utf8 = problems.find((p) => /is not valid UTF-8/.test(p.text));
      assert.ok(utf8, JSON.stringify(problems));
      assert.match(utf8.text, new RegExp(`bad\\.txt:${BAD_LINE}:1: byte ${(BAD_LINE - 1) * 57} \\(0xff\\)`));
      assert.ok(!problems.some((p) => /in the background/.test(p.text)), 'the pending note is gone');
    }),
);

test('a layer named with a command link and a remote image shows literally in the hover', { timeout: 120_000 }, (t) =>
  s.run(t.name, async () => {
    await openFile(s.page, 'evil.nn.json');
    const text = await hoverToken(s.page, '"hiddenSize"', /Layer 1:/, 60_000);
    t.diagnostic(text);
    assert.ok(text.includes('[x](command:glassbox.selectLayer?["file:///etc/hostname",0,true])'), text);
    assert.ok(text.includes('![](https://example.invalid/b.png)'), text);
    const hover = s.page.locator('.monaco-hover-content').filter({ hasText: 'Layer 1:' }).first();
    const hrefs = await hover
      .locator('a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? ''));
    t.diagnostic(`links: ${JSON.stringify(hrefs)}`);
    assert.ok(!hrefs.some((h) => h.includes('hostname')), `a link from the name: ${JSON.stringify(hrefs)}`);
    assert.equal(await hover.locator('img[src*="example.invalid"]').count(), 0);
  }),
);
