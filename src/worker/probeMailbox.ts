/**
 * A text the user typed into the panel's Sequence tab, for the training worker to run through its
 * model. It travels through shared memory, not a message, for the same reason as the control word
 * (controlWord.ts): the worker's training loop is synchronous and never reads its message port
 * while it trains; it looks here between batches. Layout (Int32): [0] a sequence number bumped
 * for each new text, [1] its length in code points, [2 …] the code points.
 */
export const MAX_PROBE_CHARS = 200;
const HEADER = 2;

export class ProbeMailbox {
  readonly words: Int32Array;
  private seen = 0;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * (HEADER + MAX_PROBE_CHARS))) {
    this.words = new Int32Array(buffer);
  }

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  /** Host side: leaves `text` (its first MAX_PROBE_CHARS code points) for the worker and wakes it. */
  post(text: string): void {
    let n = 0;
    for (const c of text) {
      if (n === MAX_PROBE_CHARS) break;
      Atomics.store(this.words, HEADER + n++, c.codePointAt(0) ?? 0);
    }
    Atomics.store(this.words, 1, n);
    Atomics.add(this.words, 0, 1);
    Atomics.notify(this.words, 0);
  }

  /** Worker side: the newest text not taken yet, or undefined (one load when there is none). */
  take(): string | undefined {
    const seq = Atomics.load(this.words, 0);
    if (seq === this.seen) return undefined;
    this.seen = seq;
    const n = Math.min(MAX_PROBE_CHARS, Math.max(0, Atomics.load(this.words, 1)));
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCodePoint(Atomics.load(this.words, HEADER + i));
    return s;
  }

  /** Worker side: sleeps until a new text is posted, or `timeoutMs`. */
  wait(timeoutMs: number): void {
    Atomics.wait(this.words, 0, this.seen, timeoutMs);
  }
}
