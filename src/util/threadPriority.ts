import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority by `steps` nice levels (at most to 19) and
 * returns the new nice value, or undefined where that cannot be done. On Linux the nice value
 * belongs to a thread (setpriority(2) on its thread id), and the threads it starts later inherit
 * it: the engine worker calls this before it starts its kernel threads, so training yields the
 * CPU to the extension host, the workbench and the webviews when they need it (the Probe tab's
 * answer crosses all of them), and takes whatever they leave. Other systems: untouched.
 */
export function lowerThreadPriority(steps: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    // /proc/thread-self → "<pid>/task/<tid>"; Node has no gettid.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    const nice = Math.min(19, getPriority(tid) + steps);
    setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return undefined;
  }
}
