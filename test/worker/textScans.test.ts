import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeFileAccess } from '../../src/data/fileAccess';
import { validateModel } from '../../src/modelFile/validate';
import { BackgroundTextScans } from '../../src/worker/textScans';
import { tempDir, writeFile } from '../helpers/tempDir';

const LINE = Buffer.from('The quick brown fox jumps over the lazy dog — ünïcödé 梯度\n');
const LINES_PER_BLOCK = 16384;

/** A text of about `bytes` bytes; with `badByteAtLine`, that line starts with an invalid UTF-8 byte. */
function bigText(dir: string, bytes: number, badByteAtLine?: number): string {
  const file = join(dir, badByteAtLine ? 'bad.txt' : 'big.txt');
  const fd = openSync(file, 'w');
  const block = Buffer.concat(Array(LINES_PER_BLOCK).fill(LINE));
  let lines = 0;
  for (let written = 0; written < bytes; written += block.length, lines += LINES_PER_BLOCK) {
    if (badByteAtLine && badByteAtLine > lines && badByteAtLine <= lines + LINES_PER_BLOCK) {
      const copy = Buffer.from(block);
      copy[(badByteAtLine - lines - 1) * LINE.length] = 0xff;
      writeSync(fd, copy);
    } else writeSync(fd, block);
  }
  closeSync(fd);
  return file;
}

const model = (textFile: string, hidden: number) =>
  JSON.stringify(
    {
      data: { type: 'text', path: textFile, sequenceLength: 25 },
      layers: [{ type: 'lstm', hiddenSize: hidden }],
      loss: 'sequenceSoftmaxCrossEntropy',
      optimizer: { type: 'adam', lr: 0.01 },
      training: { iterations: 10, batchSize: 4, evalEvery: 5 },
    },
    null,
    2,
  );

/** The longest the event loop went without running a 5 ms timer, until stop(). */
function blockMonitor(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}

/**
 * What the editor does (extension/modelDocuments.ts without vscode): validate on open and after
 * each edit, with large text scans in the worker; the longest event-loop block is measured.
 */
async function editorSession(modelPath: string, textFile: string) {
  const scans = new BackgroundTextScans();
  const files = scans.fileAccess(nodeFileAccess);
  const rescanned: string[] = [];
  scans.onDidScan((f) => rescanned.push(f));
  const blocks = blockMonitor();
  await sleep(20);
  const t0 = Date.now();
  const first = validateModel(model(textFile, 8), modelPath, { files });
  for (let edit = 1; edit <= 5; edit++) {
    await sleep(50);
    validateModel(model(textFile, 8 + edit), modelPath, { files });
  }
  await scans.idle();
  const last = validateModel(model(textFile, 20), modelPath, { files });
  const blockedMs = blocks.stop();
  scans.dispose();
  return { first, last, rescanned, blockedMs, totalMs: Date.now() - t0 };
}

describe('BackgroundTextScans (the editor never scans a large text on its own thread)', () => {
  it('opening and editing a model on a 150 MB text blocks the event loop under 200 ms (1.6 s before)', async (t) => {
    const dir = tempDir();
    bigText(dir, 150e6);
    const modelPath = writeFile(dir, 'big.nn.json', model('big.txt', 8));
    const s = await editorSession(modelPath, 'big.txt');
    t.diagnostic(`longest event-loop block ${s.blockedMs.toFixed(0)} ms; scan done after ${s.totalMs} ms`);
    const pending = s.first.problems.filter((p) => p.code === 'dataPending');
    assert.equal(pending.length, 1, JSON.stringify(s.first.problems));
    assert.equal(pending[0].severity, 'info');
    assert.match(pending[0].message, /reading big\.txt \(14\d\.\d MiB\) in the background/);
    assert.equal(s.first.summary, undefined);
    assert.deepEqual(s.rescanned, [join(dir, 'big.txt')], 'one scan for the open and the five edits');
    assert.deepEqual(s.last.problems, []);
    assert.match(s.last.summary?.data.description ?? '', /big\.txt: 1\d\d,\d{3},\d{3} characters, vocabulary 3\d/);
    assert.ok(s.blockedMs < 200, `the event loop was blocked for ${s.blockedMs.toFixed(0)} ms`);
  });

  it('invalid UTF-8 near the end of a 150 MB text is reported at its line and column', async () => {
    const dir = tempDir();
    const badLine = 2_200_000; // of 2,244,608
    bigText(dir, 150e6, badLine);
    const modelPath = writeFile(dir, 'bad.nn.json', model('bad.txt', 8));
    const s = await editorSession(modelPath, 'bad.txt');
    const errors = s.last.problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(s.last.problems));
    assert.equal(errors[0].code, 'dataFormat');
    const byte = (badLine - 1) * LINE.length;
    assert.equal(
      errors[0].message,
      `${join(dir, 'bad.txt')}:${badLine}:1: byte ${byte} (0xff) is not valid UTF-8: expected a UTF-8 text file`,
    );
    assert.equal(errors[0].range.start.line, 3, 'on the data path');
    assert.ok(s.blockedMs < 200, `the event loop was blocked for ${s.blockedMs.toFixed(0)} ms`);
  });

  it('many files are scanned two at a time, each once, and idle() waits for the last', async () => {
    const dir = tempDir();
    const files = [1, 2, 3, 4, 5].map((k) => {
      const f = writeFile(dir, `t${k}.txt`, 'abc\n'.repeat(1e6) + 'xyz'.slice(0, k % 3));
      return f;
    });
    const scans = new BackgroundTextScans();
    const ended: string[] = [];
    scans.onDidScan((f) => ended.push(f));
    for (const f of [...files, ...files]) scans.scan(f);
    await scans.idle();
    scans.dispose();
    assert.deepEqual([...ended].sort(), [...files].sort());
    const access = scans.fileAccess(nodeFileAccess);
    for (const f of files) {
      const modelPath = join(dir, 'm.nn.json');
      const r = validateModel(model(f, 8), modelPath, { files: access });
      assert.match(r.summary?.data.description ?? JSON.stringify(r.problems), /4,000,00\d characters/);
    }
  });

  it('a worker that dies without answering leaves an error for that version of the file, not a loop', async () => {
    const dir = tempDir();
    const text = bigText(dir, 2e6);
    const script = writeFile(dir, 'crash.js', 'process.exit(3)');
    const scans = new BackgroundTextScans(script);
    let ends = 0;
    scans.onDidScan(() => ends++);
    const files = scans.fileAccess(nodeFileAccess);
    const modelPath = writeFile(dir, 'm.nn.json', model('big.txt', 8));
    validateModel(model('big.txt', 8), modelPath, { files });
    await scans.idle();
    const r = validateModel(model('big.txt', 8), modelPath, { files });
    await scans.idle();
    assert.equal(ends, 1);
    const e = r.problems.find((p) => p.severity === 'error');
    assert.match(e?.message ?? '', new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read the file`));
  });
});
