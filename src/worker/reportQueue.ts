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
  'resumed',
  'log',
  'error',
  'done',
]);

/** Returns the worker's `post`: queues a report and sends the queue when due. */
export function reportQueue(port: MessagePort): (m: FromWorker, transfer?: ArrayBuffer[]) => void {
  let queue: FromWorker[] = [];
  let queueTransfer: ArrayBuffer[] = [];
  let lastFlush = 0;
  return (m, transfer = []) => {
    queue.push(m);
    queueTransfer.push(...transfer);
    const now = Date.now();
    if (IMMEDIATE.has(m.type) || now - lastFlush >= BATCH_MS) {
      port.postMessage(
        queue.length === 1 ? queue[0] : ({ type: 'batch', messages: queue } satisfies FromWorker),
        queueTransfer,
      );
      queue = [];
      queueTransfer = [];
      lastFlush = now;
    }
  };
}
