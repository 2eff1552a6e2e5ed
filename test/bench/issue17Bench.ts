import type { Dataset } from '../../src/engine/train/dataset';
import { setKernelThreads } from '../../src/engine/kernels/parallel';
import { type ProductFigure, productReport, runProductPath } from './productPath';
import { runWorkerPath, workerPathReport, type WorkerPathFigure } from './workerPath';
import { median, runVersusPytorch, versusReport, type VsResult, type VsWorkload } from './versusPytorch';

/**
 * runBench's sections for issue 17: `vs` (W1, W2, W4 against PyTorch in alternating pairs, best
 * settings and one thread each) and `product` (`glassbox train` on the same workloads, per epoch
 * from metrics.json, against the bench's figures) and `worker` (the extension's engine worker
 * against `glassbox train` on the same model files: workerPath.ts). `--pairs=N` (default 3, --quick 1),
 * `--workloads=w1,w2,w4` (the default: all three).
 */
export async function runIssue17(o: {
  root: string;
  only: readonly string[];
  quick: boolean;
  threads: number;
  hasTorch: boolean;
  flat: () => Dataset;
  images: () => Dataset;
  log: (s: string) => void;
}): Promise<{ versus?: VsResult; product?: ProductFigure[]; worker?: WorkerPathFigure[] }> {
  const listed = process.argv.find((a) => a.startsWith('--workloads='));
  const workloads = (listed ? listed.slice('--workloads='.length).split(',') : ['w1', 'w2', 'w4']) as VsWorkload[];
  const pairsArg = process.argv.find((a) => a.startsWith('--pairs='));
  const pairs = pairsArg ? Number(pairsArg.slice('--pairs='.length)) : o.quick ? 1 : 3;
  const out: { versus?: VsResult; product?: ProductFigure[]; worker?: WorkerPathFigure[] } = {};
  if (o.only.includes('vs') && o.hasTorch) {
    o.log(`\nIssue 17: Glassbox vs PyTorch 1.13, alternating pairs (W1, W2 per epoch; W4 per step)`);
    out.versus = await runVersusPytorch({ ...o, workloads, pairs });
    setKernelThreads(1);
    for (const line of versusReport(out.versus)) o.log(line);
  }
  if (o.only.includes('product')) {
    o.log(`\nIssue 17: the product path (glassbox train, metrics.json trainSeconds) vs the bench`);
    const bench = (w: VsWorkload, threads: number) => {
      const f = out.versus?.figures.find((x) => x.workload === w && x.side === 'glassbox' && x.threads === threads);
      return f ? { wall: median(f.wall), cpu: median(f.cpu) } : undefined;
    };
    out.product = runProductPath({ ...o, workloads, threads: [...new Set([1, o.threads])], bench });
    o.log(productReport(out.product));
  }
  if (o.only.includes('worker')) {
    o.log(`\nIssue 17: VS Code's worker path (telemetry at the default rate) vs glassbox train, alternating pairs`);
    out.worker = await runWorkerPath({ ...o, workloads, pairs });
    o.log(workerPathReport(out.worker));
  }
  return out;
}
