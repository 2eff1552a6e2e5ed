import type { MessagePort } from 'node:worker_threads';
import type { FromWorker } from '../protocol/workerProtocol';

/*
 * Reports go to the host in batches: one cross-thread message at most every BATCH_MS, whatever the
 * model's speed (a small model runs hundreds of epochs a second, each with an epoch end and maybe
 * an evaluation). Every message wakes the extension host's main thread, and a flood of them made
 * it stall on a busy machine. State changes go at once, with whatever is queued before them.
 */
const BATCH_MS = 50;
const IMMEDIATE: ReadonlySet<FromWorker['type']> = new Set([
  'started',
  'paused',
  'stopping',
  'probe',
  'probeError',
  'resumed',
  'log',
  'error',
  'done',
]);

/** The worker's `post`: queues a report and sends the queue when due; `flush` sends it now. */
export interface ReportPost {
  (m: FromWorker, transfer?: ArrayBuffer[]): void;
  flush(): void;
}

/** Returns the worker's `post`: queues a report and sends the queue when due. */
export function reportQueue(port: MessagePort): ReportPost {
  let queue: FromWorker[] = [];
  let queueTransfer: ArrayBuffer[] = [];
  let lastFlush = 0;
  const flush = (): void => {
    if (queue.length === 0) return;
    port.postMessage(
      queue.length === 1 ? queue[0] : ({ type: 'batch', messages: queue } satisfies FromWorker),
      queueTransfer,
    );
    queue = [];
    queueTransfer = [];
    lastFlush = Date.now();
  };
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => {
    queue.push(m);
    queueTransfer.push(...transfer);
    if (IMMEDIATE.has(m.type) || Date.now() - lastFlush >= BATCH_MS) flush();
  };
  return Object.assign(post, { flush });
}
