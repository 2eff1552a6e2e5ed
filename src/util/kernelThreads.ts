import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { kernelThreads, startKernelThreads, stopKernelThreads } from '../engine/kernels/parallel';

/** Where the running helpers' failures go: the latest enableKernelThreads caller's handler. */
let reportError: (message: string) => void = (m) => console.error(m);

/** The default thread count for training: both cores of a dual-core machine, no more (min(2, cores)). */
export function defaultKernelThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * Gives the engine `threads` threads for its float32 kernels (kernels/parallel.ts): starts
 * `threads − 1` worker_threads Workers running src/util/kernelThreadEntry.ts on the engine's shared
 * WebAssembly memory. Call after enableRelaxedSimd() and before training; returns the threads in
 * use (1 when the runtime has no WebAssembly backend). The workers do not keep the process alive.
 * `onError` hears of a task that failed in a helper (the engine also throws on the calling thread).
 */
export function enableKernelThreads(
  threads: number = defaultKernelThreads(),
  onError: (message: string) => void = (m) => console.error(m),
): number {
  // Helpers kept from an earlier call (same count: startKernelThreads keeps them) report here too.
  reportError = onError;
  if (!(threads > 1)) {
    stopKernelThreads();
    return kernelThreads();
  }
  const workers: Worker[] = [];
  // In a checkout the entry sits beside this file (out/src/util); in the bundles, beside the
  // bundle that inlined this file (dist/).
  const entry = join(__dirname, 'kernelThreadEntry.js');
  return startKernelThreads(
    {
      start(init) {
        const w = new Worker(entry, { workerData: init, name: `glassbox-kernels-${init.index}` });
        w.on('message', (m: { type?: string; message?: string }) => {
          if (m?.type === 'kernelThreadError') reportError(`Glassbox kernel thread ${init.index}: ${m.message}`);
        });
        w.on('error', (e) => reportError(`Glassbox kernel thread ${init.index} crashed: ${e.message}`));
        // After the listeners: adding a 'message' listener refs the worker again.
        w.unref();
        workers.push(w);
      },
      stop() {
        for (const w of workers.splice(0)) void w.terminate();
      },
    },
    threads,
  );
}
