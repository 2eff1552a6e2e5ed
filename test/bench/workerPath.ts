import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { applyEdits, modify } from 'jsonc-parser';
import type { FromWorker } from '../../src/protocol/workerProtocol';
import { ControlWord } from '../../src/worker/controlWord';
import { table } from './report';
import { DEFAULT_HZ } from './telemetryBench';
import { median, type VsWorkload } from './versusPytorch';

/**
 * VS Code's path against the CLI (issue 17: "VS Code's worker path is measured the same way,
 * telemetry at the default rate included, ≤ 3% over the CLI"). The same W1/W2/W4 model file
 * (test/bench/models/) is trained in alternating pairs by `glassbox train` (a child process,
 * telemetry at the CLI's 1 frame/s) and by the extension's engine worker (out/src/worker/engineWorker.js
 * in a worker_threads Worker, started as RunController starts it, telemetry at the
 * glassbox.telemetryRate default, every report posted to this thread and read as the host reads it).
 * Per epoch (W4: per step) from each run record's metrics.json `trainSeconds`, first epoch left out.
 */
export interface WorkerPathFigure {
  readonly workload: VsWorkload;
  readonly threads: number;
  /** Per pair: median over the epochs after the first, per epoch (W4: per step), seconds. */
  readonly cli: number[];
  readonly worker: number[];
  /** The same by CPU (metrics.json `trainCpuSeconds`: the training thread's CPU). */
  readonly cliCpu: number[];
  readonly workerCpu: number[];
  /** Telemetry frames the worker posted per run (median). */
  readonly frames: number;
}

interface MetricsFile {
  epochs: { trainSeconds: number; trainCpuSeconds: number }[];
}

/** Epochs (W4: iterations) each run trains, and what one unit of the figures is. */
const LENGTH: Record<VsWorkload, { key: string; value: number; perUnit: number }> = {
  w1: { key: 'epochs', value: 4, perUnit: 1 },
  w2: { key: 'epochs', value: 2, perUnit: 1 },
  w4: { key: 'iterations', value: 400, perUnit: 100 },
};

const WORKER = join(__dirname, '..', '..', 'src', 'worker', 'engineWorker.js');

function perUnit(runDir: string, w: VsWorkload): { wall: number; cpu: number } {
  const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as MetricsFile;
  const later = m.epochs.slice(1);
  const n = LENGTH[w].perUnit;
  return { wall: median(later.map((e) => e.trainSeconds)) / n, cpu: median(later.map((e) => e.trainCpuSeconds)) / n };
}

function runCli(root: string, dir: string, w: VsWorkload, threads: number): { wall: number; cpu: number } {
  const r = spawnSync(
    process.execPath,
    [join(root, 'bin', 'glassbox.js'), 'train', `${w}.nn.json`, '--json', '--threads', String(threads)],
    { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`glassbox train ${w} failed (${r.status}): ${r.stderr}`);
  const runs = join(dir, '.glassbox', 'runs');
  const run = readdirSync(runs).sort().pop()!;
  return perUnit(join(runs, run), w);
}

async function runWorker(
  dir: string,
  w: VsWorkload,
  threads: number,
): Promise<{ wall: number; cpu: number; frames: number }> {
  const control = new ControlWord();
  const worker = new Worker(WORKER, { workerData: { control: control.buffer } });
  let frames = 0;
  const done = new Promise<Extract<FromWorker, { type: 'done' }>>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (posted: FromWorker) => {
      for (const m of posted.type === 'batch' ? posted.messages : [posted]) {
        if (m.type === 'telemetry') frames++;
        if (m.type === 'error') reject(new Error(`worker: ${m.message}`));
        if (m.type === 'done') resolve(m);
      }
    });
  });
  const modelPath = join(dir, `${w}.nn.json`);
  worker.postMessage({
    type: 'start',
    runId: `bench-${w}`,
    modelPath,
    modelText: readFileSync(modelPath, 'utf8'),
    runsDir: join(dir, '.glassbox', 'runs'),
    telemetryHz: DEFAULT_HZ,
    paused: false,
    threads,
  });
  try {
    const d = await done;
    return { ...perUnit(d.runDir, w), frames };
  } finally {
    // A finished run's worker stays to answer probes: end it, as closing the panel does.
    await worker.terminate();
  }
}

/** `pairs` alternating (CLI, worker) runs of each workload at `threads` kernel threads. */
export async function runWorkerPath(o: {
  root: string;
  workloads: readonly VsWorkload[];
  threads: number;
  pairs: number;
  log: (s: string) => void;
}): Promise<WorkerPathFigure[]> {
  const out: WorkerPathFigure[] = [];
  const models = join(o.root, 'test', 'bench', 'models');
  for (const w of o.workloads) {
    const dir = mkdtempSync(join(tmpdir(), `glassbox-worker-path-${w}-`));
    try {
      for (const f of readdirSync(models).filter((f) => f.startsWith(w))) copyFileSync(join(models, f), join(dir, f));
      const file = join(dir, `${w}.nn.json`);
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, applyEdits(text, modify(text, ['training', LENGTH[w].key], LENGTH[w].value, {})));
      const fig = { cli: [] as number[], worker: [] as number[], cliCpu: [] as number[], workerCpu: [] as number[] };
      const frames: number[] = [];
      for (let p = 0; p < o.pairs; p++) {
        const c = runCli(o.root, dir, w, o.threads);
        const k = await runWorker(dir, w, o.threads);
        fig.cli.push(c.wall);
        fig.cliCpu.push(c.cpu);
        fig.worker.push(k.wall);
        fig.workerCpu.push(k.cpu);
        frames.push(k.frames);
        o.log(
          `  ${w.toUpperCase()} pair ${p + 1}: CLI ${fmt(w, c.wall)} (CPU ${fmt(w, c.cpu)}), worker ${fmt(w, k.wall)} (CPU ${fmt(w, k.cpu)}, ${k.frames} frames)`,
        );
      }
      out.push({ workload: w, threads: o.threads, ...fig, frames: median(frames) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

const fmt = (w: VsWorkload, s: number) => (w === 'w4' ? `${(s * 1000).toFixed(1)} ms/step` : `${s.toFixed(3)} s/epoch`);

/** Quartiles of the pairs' worker/CLI ratios (a pair's two runs share the machine's drift). */
function pairQuartiles(f: WorkerPathFigure): string {
  const r = f.worker.map((w, i) => w / f.cli[i]).sort((a, b) => a - b);
  const q = (p: number) => r[Math.min(r.length - 1, Math.floor(p * r.length))];
  return `${q(0.5).toFixed(3)}× (${q(0.25).toFixed(2)}–${q(0.75).toFixed(2)})`;
}

/** The comparison: worker over CLI per workload, by wall and CPU medians; target ≤ 1.03. */
export function workerPathReport(figs: readonly WorkerPathFigure[]): string {
  return table(
    [
      '',
      'threads',
      'CLI, wall',
      'worker, wall',
      'ratio',
      'per pair (quartiles)',
      'target ≤ 1.03',
      'CLI, CPU',
      'worker, CPU',
      'ratio',
      'frames',
    ],
    figs.map((f) => {
      const ratio = median(f.worker) / median(f.cli);
      return [
        f.workload.toUpperCase(),
        String(f.threads),
        fmt(f.workload, median(f.cli)),
        fmt(f.workload, median(f.worker)),
        `${ratio.toFixed(3)}×`,
        pairQuartiles(f),
        ratio <= 1.03 ? 'met' : 'NOT met',
        fmt(f.workload, median(f.cliCpu)),
        fmt(f.workload, median(f.workerCpu)),
        `${(median(f.workerCpu) / median(f.cliCpu)).toFixed(3)}×`,
        String(f.frames),
      ];
    }),
  );
}
