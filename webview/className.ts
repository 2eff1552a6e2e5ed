import type { RunSummary } from '../src/protocol/telemetry';

/** Longest class name shown in full: names are the user's folder names (untrusted, shown as text only). */
const MAX_CHARS = 24;

/**
 * Class `i` as the panel shows it: its name when the data names its classes (an image folder's
 * subfolders, RunSummary.classNames), otherwise its index, as for MNIST's digits.
 */
export function className(names: RunSummary['classNames'] | undefined, i: number): string {
  const name = names?.[i];
  if (name === undefined) return String(i);
  const chars = [...name];
  return chars.length > MAX_CHARS ? chars.slice(0, MAX_CHARS - 1).join('') + '…' : name;
}
