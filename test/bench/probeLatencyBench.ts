/*
 * Issue 16's probe latency, the worker's part: the real engine worker trains examples/mnist-cnn
 * (telemetry at the default 5 frames a second, as in VS Code) while this thread, standing in for
 * the extension host, posts a drawn-digit Probe request into the shared mailbox, waits for its answer and 100–300 ms more (as the E2E draws strokes)
 * and times its answer: posted → taken by the worker (the wait for the batch's end, or the
 * evaluation's chunk) → built → received here. The webview's hops are not in it (the E2E
 * probeWorkbench measures the whole path). Also prints the load average beside every figure, and
 * the training speed (steps a second, from the worker's progress reports) over `quiet` seconds
 * without probes before the drawing starts, against the speed while drawing: the worker rests
 * between batches while the user draws (engineWorker.ts, DRAWING_REST_MS).
 *
 *   node out/test/bench/probeLatencyBench.js [seconds=40] [epochs=3] [quiet=15]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../src/data/packageRoot';
import type { FromWorker } from '../../src/protocol/workerProtocol';
import { digitImage } from '../../src/protocol/digitImage';
import { Control, ControlWord } from '../../src/worker/controlWord';
import { ProbeMailbox } from '../../src/worker/probeMailbox';
import { WORKER } from '../helpers/workerRun';

interface Answer {
  id: number;
  takenAt?: number;
  builtAt?: number;
  received: number;
  kind: string;
  bytes: number;
}

/** Bytes of typed arrays a message carries (what crosses to the host and on to the webview). */
function payloadBytes(v: unknown, seen = new Set<unknown>()): number {
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (typeof v !== 'object' || v === null || seen.has(v)) return 0;
  seen.add(v);
  let n = 0;
  for (const x of Object.values(v)) n += payloadBytes(x, seen);
  return n;
}

const quantile = (v: number[], q: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))];

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 40);
  const epochs = Number(process.argv[3] ?? 3);
  const quiet = Number(process.argv[4] ?? 15);
  const root = packageRoot();
  const dir = mkdtempSync(join(tmpdir(), 'probelat-'));
  const modelPath = join(root, 'examples', 'mnist-cnn.nn.json');
  const modelText = readFileSync(modelPath, 'utf8')
    .replace('"epochs": 2,', `"epochs": ${epochs},`)
    .replace('"evalEvery": 1,', '"evalEvery": 1, "earlyStopping": false,');
  const control = new ControlWord();
  const probes = new ProbeMailbox();
  const worker = new Worker(WORKER, { workerData: { control: control.buffer, probe: probes.buffer } });
  const posted = new Map<number, number>();
  const answers: Answer[] = [];
  const events: { at: number; what: string }[] = [];
  let done = false;
  let started = false;
  const progress: { at: number; step: number }[] = [];
  worker.on('message', (m: FromWorker) => {
    const received = Date.now();
    for (const x of m.type === 'batch' ? m.messages : [m]) {
      if (x.type === 'started') started = true;
      if (x.type === 'progress') progress.push({ at: received, step: x.step });
      if (x.type === 'epochEnd' || x.type === 'evaluation') events.push({ at: received, what: x.type });
      if (x.type === 'done') done = true;
      // A Probe tab answer ('probe'), or a full frame (before answers existed, every probe's answer).
      const src = x.type === 'telemetry' ? x.frame.probeSource : x.type === 'probe' ? x.answer.probeSource : undefined;
      const id = src?.id;
      if (id !== undefined && posted.has(id) && !answers.some((a) => a.id === id))
        answers.push({
          id,
          takenAt: src?.takenAt,
          builtAt: src?.builtAt,
          received,
          kind: x.type,
          bytes: payloadBytes(x),
        });
    }
  });
  worker.postMessage({ type: 'start', runId: 'b', modelPath, modelText, runsDir: dir, telemetryHz: 5 });
  while (!started) await new Promise((r) => setTimeout(r, 50));
  control.set(Control.Run);
  const load0 = loadavg()[0];
  const strokes: [number, number][][] = [
    [
      [100, 20],
      [110, 250],
    ],
    [
      [40, 40],
      [240, 40],
      [120, 250],
    ],
  ];
  let id = 1;
  // Training alone first (the first 2 s left out: JIT warm-up), then the strokes.
  const quietFrom = Date.now() + 2000;
  await new Promise((r) => setTimeout(r, quiet * 1000));
  const t0 = Date.now();
  // As the E2E's strokes: one request, its answer (or 5 s), a pause, the next.
  while (!done && Date.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    const pixels = Array.from(digitImage([strokes[id % 2]]));
    const asked = id++;
    posted.set(asked, Date.now());
    probes.postRequest({ kind: 'image', pixels, id: asked });
    control.wake();
    for (const t1 = Date.now(); !answers.some((a) => a.id === asked) && Date.now() - t1 < 5000;)
      await new Promise((r) => setTimeout(r, 2));
  }
  const t1 = Date.now();
  await new Promise((r) => setTimeout(r, 1500));
  const load1 = loadavg()[0];
  const rate = (from: number, to: number): number => {
    const inside = progress.filter((p) => p.at >= from && p.at <= to);
    if (inside.length < 2) return NaN;
    const [a, b] = [inside[0], inside[inside.length - 1]];
    return ((b.step - a.step) * 1000) / (b.at - a.at);
  };
  await worker.terminate();
  printEpochTimes(dir);
  rmSync(dir, { recursive: true, force: true });
  const total = answers.map((a) => a.received - posted.get(a.id)!);
  const legs = answers.map((a) => {
    const p = posted.get(a.id)!;
    return [(a.takenAt ?? p) - p, (a.builtAt ?? a.received) - (a.takenAt ?? p), a.received - (a.builtAt ?? a.received)];
  });
  const med = (k: number) =>
    quantile(
      legs.map((l) => l[k]),
      0.5,
    );
  const evalNear = answers.filter((a) =>
    events.some((e) => e.at >= posted.get(a.id)! - 1000 && e.at <= a.received),
  ).length;
  console.log(
    `probe answers while training mnist-cnn: ${answers.length} of ${id - 1} requests answered ; ` +
      `load average ${load0.toFixed(2)} → ${load1.toFixed(2)}`,
  );
  console.log(
    `  posted → received: median ${quantile(total, 0.5)} ms, p90 ${quantile(total, 0.9)} ms, max ${Math.max(...total)} ms` +
      `; legs (to worker / build / to host), median ms: ${med(0)} / ${med(1)} / ${med(2)}`,
  );
  console.log(
    `  message: ${answers[0]?.kind}, ${Math.round(
      quantile(
        answers.map((a) => a.bytes),
        0.5,
      ) / 1024,
    )} KB of typed arrays; ${evalNear} answers with an epoch end between request and answer`,
  );
  const alone = rate(quietFrom, t0),
    drawing = rate(t0, t1);
  console.log(
    `  training speed: ${alone.toFixed(1)} steps/s alone (${quiet - 2} s), ${drawing.toFixed(1)} steps/s while drawing ` +
      `(${((t1 - t0) / 1000).toFixed(0)} s): ${((100 * drawing) / alone).toFixed(0)}% (epoch ends in either window count)`,
  );
  console.log(
    `  slowest: ${[...total]
      .sort((a, b) => b - a)
      .slice(0, 6)
      .join(', ')} ms`,
  );
}

/** The run record's split of each epoch (metrics.json): training, evaluation (the probe waits through it). */
function printEpochTimes(dir: string): void {
  for (const run of readdirSync(dir)) {
    const file = join(dir, run, 'metrics.json');
    if (!existsSync(file)) continue;
    const m = JSON.parse(readFileSync(file, 'utf8')) as {
      epochs: { epoch: number; trainSeconds: number }[];
      evaluations: { epoch: number; seconds: number }[];
    };
    for (const e of m.epochs)
      console.log(
        `  epoch ${e.epoch}: training ${e.trainSeconds.toFixed(1)} s, evaluation ${m.evaluations.find((v) => v.epoch === e.epoch)?.seconds.toFixed(3) ?? '-'} s`,
      );
  }
}

void main();
