import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../../src/protocol/workerProtocol';
import { Control, ControlWord } from '../../src/worker/controlWord';

export type Done = Extract<FromWorker, { type: 'done' }>;

/** The compiled worker entry (tests run from out/test/...). */
export const WORKER = resolve(__dirname, '../../src/worker/engineWorker.js');

/**
 * Drives the real worker entry in a worker_threads Worker as the extension host does: posts
 * `start`, unpacks the worker's batched reports, and lets a test wait for one of them.
 */
export function startWorkerRun(start: Omit<Extract<ToWorker, { type: 'start' }>, 'type' | 'runId'>) {
  const control = new ControlWord();
  const worker = new Worker(WORKER, { workerData: { control: control.buffer } });
  const messages: FromWorker[] = [];
  const listeners: ((m: FromWorker) => void)[] = [];
  worker.on('message', (posted: FromWorker) => {
    for (const m of posted.type === 'batch' ? posted.messages : [posted]) {
      messages.push(m);
      listeners.forEach((l) => l(m));
    }
  });
  worker.postMessage({ type: 'start', runId: 't', ...start } satisfies ToWorker);
  const until = (pred: (m: FromWorker) => boolean, from = 0, timeoutMs = 60_000) =>
    new Promise<FromWorker>((res, rej) => {
      const hit = messages.slice(from).find(pred);
      if (hit) return res(hit);
      const t = setTimeout(() => rej(new Error(`timed out; got ${messages.map((m) => m.type).join(',')}`)), timeoutMs);
      listeners.push((m) => {
        if (pred(m)) {
          clearTimeout(t);
          res(m);
        }
      });
    });
  /** Resolves with `done`, then ends the worker (the host terminates it after `done` too). */
  const done = async (): Promise<Done> => {
    const d = (await until((m) => m.type === 'done')) as Done;
    await worker.terminate();
    return d;
  };
  /** Paused: trains exactly one batch and waits until the worker has paused again. */
  const step = async (): Promise<void> => {
    const from = messages.length;
    control.set(Control.Step);
    await until((m) => m.type === 'paused', from);
  };
  return { worker, control, messages, until, done, step };
}
