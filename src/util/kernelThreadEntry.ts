import { parentPort, workerData } from 'node:worker_threads';
import type { KernelThreadInit } from '../engine/kernels/parallel';
import { runKernelThread } from '../engine/kernels/kernelThread';

// A kernel helper thread (src/util/kernelThreads.ts starts it): the engine's loop, on the shared
// memory in workerData. A failed task is reported to the starting thread as a message.
runKernelThread(workerData as KernelThreadInit, (e) => {
  parentPort?.postMessage({
    type: 'kernelThreadError',
    message: e instanceof Error ? (e.stack ?? e.message) : String(e),
  });
});
