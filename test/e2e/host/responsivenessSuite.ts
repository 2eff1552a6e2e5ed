// In-host test: the extension host's event loop stays responsive while a model trains. Runs inside
// code-server's real extension host (see ../responsiveness.e2e.test.ts), starts training with the
// real command, and measures how late a 5 ms timer on the host's main thread fires.
//
// A late tick is split with the kernel's per-thread accounting (/proc/thread-self/schedstat: time
// on a CPU, time waiting on a run queue) into
//   busy  — the main thread ran code (extension host, Glassbox, garbage collection) instead of the
//           timer: the stall the host itself causes, and what the 50 ms limit is checked on;
//   queue — it was ready but waited for a CPU: the machine is oversubscribed (other processes, or
//           the training worker itself on a small machine);
//   slept — it was blocked (a lock held by a thread waiting for a CPU, a child process starting).
// On a busy shared machine queue and slept reach hundreds of ms whatever the extension does, so
// they are reported, not asserted. Without schedstat (not Linux) the whole delay counts as busy.
// perf_hooks.monitorEventLoopDelay's histogram of raw delays is reported too.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { runHostTests } from './runner';
import { StallProbe } from './stallProbe';

/** The part of Glassbox's activate() result the test uses (src/extension/extension.ts, GlassboxApi). */
interface GlassboxApi {
  controllerFor(modelPath: string): { readonly onDidEnd: vscode.Event<string> } | undefined;
  storeFor(modelPath: string): {
    readonly state: string;
    readonly train: readonly unknown[];
    readonly message?: string;
  };
}

/** Longest the host's main thread may be busy without serving its timers while a model trains, ms (issue 4). */
const MAX_BUSY_MS = 50;
/** monitorEventLoopDelay's sampling period; each of its samples is this plus the delay. */
const RESOLUTION_MS = 10;
/** Training must last at least this long for the measurement to mean something. */
const MIN_TRAINING_MS = 3_000;
/** The models are long enough to train for minutes on any machine; the test stops them after this
 *  long, so the measured window does not depend on how fast the machine is. */
const MEASURE_MS = 8_000;

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<GlassboxApi>('glassbox.glassbox');
  assert.ok(ext, 'Glassbox is not loaded');
  const api = await ext.activate();
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');

  const measure = async (file: string) => {
    const modelPath = join(folder.uri.fsPath, 'examples', file);
    await vscode.window.showTextDocument(vscode.Uri.file(modelPath));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // let opening the editor settle first

    const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    const probe = new StallProbe(() => api.storeFor(modelPath).state);
    histogram.enable();
    await vscode.commands.executeCommand('glassbox.trainModel', vscode.Uri.file(modelPath));
    const controller = api.controllerFor(modelPath);
    assert.ok(controller, 'the command started no run');
    const state = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${file} did not end within 60 s of the stop request`)),
        MEASURE_MS + 60_000,
      );
      // The stop goes through the real command, so the measured window includes stopping the worker.
      const stopper = setTimeout(
        () => void vscode.commands.executeCommand('glassbox.stopTraining', vscode.Uri.file(modelPath)),
        MEASURE_MS,
      );
      controller.onDidEnd((s) => {
        clearTimeout(timer);
        clearTimeout(stopper);
        resolve(s);
      });
    });
    histogram.disable();
    const report = probe.stop();

    const ms = (ns: number) => (ns / 1e6 - RESOLUTION_MS).toFixed(1);
    const worstBusy = report.worst('busy');
    const summary =
      `${file}: ${state} after ${(report.elapsedMs / 1000).toFixed(1)} s, ${api.storeFor(modelPath).train.length} loss points. ` +
      `Host main thread: ${report.totals}. Timer probe (${report.ticks} ticks): longest busy stretch ${worstBusy[0]?.busyMs ?? 0} ms, ` +
      `longest raw delay ${report.worst('late')[0]?.lateMs ?? 0} ms${report.split ? '' : ' (no schedstat: busy = raw)'}; ` +
      `monitorEventLoopDelay (raw): p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms. ` +
      `Worst by busy: ${JSON.stringify(worstBusy)}; by raw delay: ${JSON.stringify(report.worst('late'))}; GCs ≥ 5 ms [at, ms]: ${JSON.stringify(report.gcs)}`;
    console.log(`[host-test] ${summary}`);
    assert.ok(
      state === 'stopped' || state === 'finished',
      `${file} ended ${state}: ${api.storeFor(modelPath).message}`,
    );
    assert.ok(
      report.elapsedMs >= MIN_TRAINING_MS,
      `${file} trained for only ${report.elapsedMs.toFixed(0)} ms: too short to measure`,
    );
    assert.ok(
      (worstBusy[0]?.busyMs ?? 0) < MAX_BUSY_MS,
      `the extension host's main thread was busy ${worstBusy[0]?.busyMs} ms without serving its event loop (limit ${MAX_BUSY_MS} ms). ${summary}`,
    );
  };

  await runHostTests('responsiveness', [
    [
      "the host's event loop is never busy 50 ms while mnist-mlp trains (MNIST sample, telemetry on)",
      () => measure('mnist-short.nn.json'),
    ],
    [
      "the host's event loop is never busy 50 ms while E3.3 trains (hundreds of epochs a second)",
      () => measure('E3.3-long.nn.json'),
    ],
    [
      "the host's event loop is never busy 50 ms while a CNN trains (feature maps in every frame)",
      () => measure('cnn-long.nn.json'),
    ],
  ]);
}
