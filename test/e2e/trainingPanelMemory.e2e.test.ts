// The training panel's webview keeps its memory flat while a run streams telemetry for an hour
// (issue 5: bounded buffers, asserted). The panel's real bundle (dist/webview/trainingPanel.js) runs
// in Debian's chromium, fed by the host's real RunStore through the real ViewChannel (on a simulated
// clock: topics, batching, frame coalescing, the panel's acks) with frames the real engine worker produced
// for examples/mnist-mlp.nn.json: 20 loss points/s, 5 telemetry frames/s and 10 evaluations/s (a
// fast model's rate, far more than the charts keep), with every tab drawn in turn. Every buffer is bounded by
// thinning 2:1 when full, so memory saws up and down; the JS heap (after a forced GC) and the DOM
// counters are read at the same phase of every sawtooth — every 1000 simulated seconds from the
// moment all buffers have filled (1000 s) to 5000 s — and must not grow.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RunStore } from '../../src/extension/runStore';
import { ViewChannel } from '../../src/extension/viewChannel';
import type { ToWebview } from '../../src/protocol/webviewProtocol';
import { FakeClock } from '../helpers/fakeClock';
import type { RunSummary, TelemetryFrameMessage } from '../../src/protocol/telemetry';
import type { FromWorker } from '../../src/protocol/workerProtocol';
import { ControlWord } from '../../src/worker/controlWord';
import { launchBrowser } from './harness/browser';
import { e2ePaths } from './harness/paths';

const paths = e2ePaths();
const SIM_SECONDS = 5000;
/** Every buffer's sawtooth has a period dividing this (evaluations and loss points: 100 s; layer samples: 40 s). */
const CHECK_EVERY_S = 1000;
/** All buffers are full by then (the first to fill, the charts' test series, at 200 s). */
const FIRST_CHECK_S = 1000;

test(
  'the training panel keeps its memory flat over 83 simulated minutes of live telemetry',
  { timeout: 600_000 },
  (t) => panelMemory(t, 'mnist-mlp.nn.json', ['training', 'layers', 'network', 'probe']),
);

// A character LSTM's frames also carry the recurrent internals over the probe sequence (h_t, c_t,
// every gate, ‖∂L/∂h_t‖ per step), drawn by the Sequence tab; and its panel keeps text samples.
test(
  'the training panel keeps its memory flat over 83 simulated minutes of a recurrent model (Sequence tab, samples)',
  { timeout: 600_000 },
  (t) => panelMemory(t, 'char-lstm.nn.json', ['training', 'layers', 'network', 'sequence']),
);

async function panelMemory(t: { diagnostic(m: string): void }, modelFile: string, tabs: readonly string[]) {
  {
    const { frames, run } = await realFrames(join(paths.repoRoot, 'examples', modelFile), 20);
    const dir = mkdtempSync(join(tmpdir(), 'glassbox-panel-memory-'));
    const browser = await launchBrowser(paths.chromium, dir);
    try {
      const page = browser.page;
      const html = join(dir, 'panel.html');
      writeFileSync(
        html,
        `<!DOCTYPE html><html><head><meta charset="UTF-8"><link rel="stylesheet" href="${pathToFileURL(join(paths.repoRoot, 'media', 'glassbox.css'))}"></head>
<body>
<script>window.toHost = []; window.acquireVsCodeApi = () => ({ postMessage(m) { window.toHost.push(m); }, getState() { return undefined; }, setState() {} });</script>
<script src="${pathToFileURL(join(paths.repoRoot, 'dist', 'webview', 'trainingPanel.js'))}"></script></body></html>`,
      );
      await page.goto(pathToFileURL(html).href);
      const cdp = await page.context().newCDPSession(page);

      // The real frames go to the page once; frame messages then name one of them (serialising
      // thousands of frames' typed arrays through the DevTools protocol would dominate the run).
      await page.evaluate((pool) => {
        const revive = (v: unknown): unknown => {
          if (Array.isArray(v)) return v.map(revive);
          if (v && typeof v === 'object') {
            const o = v as Record<string, unknown>;
            if (typeof o.__typed === 'string')
              return new (globalThis as unknown as Record<string, new (a: unknown) => unknown>)[o.__typed](o.values);
            return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
          }
          return v;
        };
        (window as unknown as { framePool: unknown[] }).framePool = pool.map(revive);
      }, frames.map(encode));

      // The host side: the real RunStore and ViewChannel on a simulated clock; what the channel posts
      // goes to the page in order, and what the page posts (ready, acks) comes back at each flush.
      const store = new RunStore(`/workspace/${modelFile}`);
      const clock = new FakeClock();
      const outbox: unknown[] = [];
      const poolIndex = new WeakMap<TelemetryFrameMessage, number>();
      const channel = new ViewChannel(
        {
          visible: true,
          postMessage: (m: ToWebview) => {
            outbox.push(
              m.type === 'frame'
                ? { type: 'frame', pooled: poolIndex.get(m.frame), step: m.frame.step, earlier: m.earlier }
                : m.type === 'snapshot' && m.frame
                  ? { ...m, frame: null }
                  : m,
            );
            return Promise.resolve(true);
          },
        },
        () => {},
        { name: 'memory test', clock },
      );
      channel.follow(store);
      store.begin('running');
      store.setSummary(run, '/workspace/.glassbox/runs/x');
      const flush = async () => {
        const batch = outbox.splice(0);
        const fromPage = await page.evaluate((msgs) => {
          const pool = (window as unknown as { framePool: Record<string, unknown>[] }).framePool;
          for (const m of msgs as { type: string; pooled?: number; step?: number; earlier?: unknown }[]) {
            const data =
              m.type === 'frame'
                ? { type: 'frame', frame: { ...pool[m.pooled!], step: m.step }, earlier: m.earlier }
                : m;
            window.dispatchEvent(new MessageEvent('message', { data }));
          }
          const w = window as unknown as { toHost: unknown[] };
          return w.toHost.splice(0);
        }, batch);
        for (const m of fromPage) channel.receive(m);
        return fromPage.length;
      };
      // The panel says ready (with its topics) when its script loads.
      assert.ok((await flush()) > 0, 'the panel sent nothing');
      assert.deepEqual(channel.consumes?.includes('frame'), true);
      const measure = async () => {
        // Draw every tab once (each draws at most twice a second), then collect garbage and read.
        for (const tab of tabs) {
          await page.click(`.tab-btn[data-tab="${tab}"]`);
          await page.waitForTimeout(600);
        }
        await cdp.send('HeapProfiler.collectGarbage');
        const heap = await cdp.send('Runtime.getHeapUsage');
        const dom = await cdp.send('Memory.getDOMCounters');
        return { heapMB: heap.usedSize / 2 ** 20, nodes: dom.nodes, listeners: dom.jsEventListeners };
      };

      const readings: { second: number; heapMB: number; nodes: number; listeners: number }[] = [];
      let step = 0;
      for (let s = 1; s <= SIM_SECONDS; s++) {
        for (let i = 0; i < 20; i++) {
          clock.advance(50);
          step++;
          store.addProgress(
            { step, loss: 2 / Math.sqrt(step) },
            {
              epoch: 1 + Math.floor(step / 1000),
              epochs: 1000,
              batch: step % 1000,
              batchesPerEpoch: 1000,
              step,
              loss: 2 / Math.sqrt(step),
              samplesPerSecond: 1280,
              elapsedMs: s * 1000,
            },
          );
        }
        for (let i = 0; i < 5; i++) {
          const k = (s * 5 + i) % frames.length;
          const frame = { ...frames[k], step: step - 4 + i };
          poolIndex.set(frame, k);
          store.setFrame(frame);
        }
        // A text model's samples (the panel keeps the latest few), one every 10 simulated seconds.
        if (run.dataset === 'text' && s % 10 === 0)
          store.addSample({
            iteration: step,
            epoch: 1,
            seedText: 'The',
            temperature: 1,
            text: `sample ${s}: ${'x'.repeat(200)}`,
          });
        // A fast model (E3.3 runs hundreds of epochs a second) evaluates many times a second.
        for (let i = 0; i < 10; i++) {
          const epoch = s * 10 + i;
          store.addEval({ epoch, step, loss: 1 / Math.sqrt(epoch), metrics: { accuracy: 1 - 1 / Math.sqrt(epoch) } });
        }
        // Every 50 simulated seconds the page gets what the channel sent and the channel the page's acks.
        if (s % 50 === 0) await flush();
        if (s >= FIRST_CHECK_S && s % CHECK_EVERY_S === 0) {
          readings.push({ second: s, ...(await measure()) });
          t.diagnostic(
            `simulated second ${s}: heap ${readings.at(-1)!.heapMB.toFixed(2)} MB, ${readings.at(-1)!.nodes} DOM nodes, ${readings.at(-1)!.listeners} listeners`,
          );
        }
      }
      const errors = browser.console.filter((l) => l.startsWith('[pageerror]') || l.startsWith('[error]'));
      assert.deepEqual(errors, [], 'the panel logged errors');
      // The panel drew what it received: the last loss point and the last evaluation reached it.
      assert.match((await page.textContent('#progress')) ?? '', new RegExp(`${SIM_SECONDS}\\.0 s$`));

      // Same buffer fill at every reading: nothing may grow. The slack is what the browser itself adds
      // over the run — optimised code and performance-timeline entries, ~0.3 MB measured by heap
      // snapshot diff; keeping every evaluation in one chart (the bug this test caught) adds 7 MB.
      const base = readings[0];
      const last = readings.at(-1)!;
      const maxHeap = Math.max(...readings.map((r) => r.heapMB));
      assert.ok(
        maxHeap - base.heapMB <= 1,
        `heap grew from ${base.heapMB.toFixed(2)} MB to ${maxHeap.toFixed(2)} MB: ${JSON.stringify(readings)}`,
      );
      assert.ok(last.nodes <= base.nodes, `DOM nodes grew from ${base.nodes} to ${last.nodes}`);
      assert.ok(last.listeners <= base.listeners, `event listeners grew from ${base.listeners} to ${last.listeners}`);
    } finally {
      await browser.context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Typed arrays do not survive page.evaluate's serialisation: tag them and rebuild them in the page. */
function encode(v: unknown): unknown {
  if (ArrayBuffer.isView(v))
    return { __typed: v.constructor.name, values: Array.from(v as unknown as ArrayLike<number>) };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}

/** Trains the model in the real engine worker until it has sent `count` telemetry frames. */
async function realFrames(
  modelPath: string,
  count: number,
): Promise<{ frames: TelemetryFrameMessage[]; run: RunSummary }> {
  const control = new ControlWord();
  const worker = new Worker(join(paths.repoRoot, 'out', 'src', 'worker', 'engineWorker.js'), {
    workerData: { control: control.buffer },
  });
  const runsDir = mkdtempSync(join(tmpdir(), 'glassbox-frames-'));
  try {
    return await new Promise((resolve, reject) => {
      const frames: TelemetryFrameMessage[] = [];
      let run: RunSummary | undefined;
      worker.on('error', reject);
      worker.on('message', (posted: FromWorker) => {
        for (const m of posted.type === 'batch' ? posted.messages : [posted]) {
          if (m.type === 'started') run = m.summary;
          if (m.type === 'telemetry') frames.push(m.frame);
          // A short run (mnist-mlp trains 1.2 s) gives the frames its 3% telemetry budget allows:
          // the test cycles through whatever pool it gets, three frames at least.
          if (m.type === 'done') {
            if (run && frames.length >= 3) resolve({ frames, run });
            else reject(new Error(`the run ended (${m.reason}) after ${frames.length} frames`));
          }
        }
        if (run && frames.length >= count) resolve({ frames, run });
      });
      worker.postMessage({
        type: 'start',
        runId: 'memory',
        modelPath,
        modelText: readFileSync(modelPath, 'utf8'),
        runsDir,
        telemetryHz: 20,
        paused: false,
      });
    });
  } finally {
    await worker.terminate();
    rmSync(runsDir, { recursive: true, force: true });
  }
}
