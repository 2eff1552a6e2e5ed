import { MAX_PROBE_VALUES, PROBE_KINDS, type ProbeRequest } from '../protocol/probeRequest';

/**
 * What the user asks the training worker to run through its model: a text typed into the panel's
 * Sequence tab, or a Probe tab request (a test row, a drawn image, slider values). It travels
 * through shared memory, not a message, for the same reason as the control word (controlWord.ts):
 * the worker's training loop is synchronous and never reads its message port while it trains; it
 * looks here between batches. Only the newest request counts.
 *
 * Layout (Int32 words; the payload also viewed as Float32): [0] a sequence number, odd while the
 * host writes (a seqlock: the worker never takes a half-written request), [1] the kind (0 text,
 * 1 + index in PROBE_KINDS), [2] the payload's length, [3] the row or label (−1: none), [4] the
 * saliency target (−1: the predicted class), [5] the request id, [6 …] the payload: code points
 * (text) or float32 values (image, features).
 */
export const MAX_PROBE_CHARS = 200;
const HEADER = 6;
const CAPACITY = Math.max(MAX_PROBE_CHARS, MAX_PROBE_VALUES);

/** What the worker takes: a typed text, or a Probe tab request. */
export type Probe = { readonly kind: 'text'; readonly text: string } | ProbeRequest;

export class ProbeMailbox {
  readonly words: Int32Array;
  private readonly floats: Float32Array;
  private seen = 0;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * (HEADER + CAPACITY))) {
    this.words = new Int32Array(buffer);
    this.floats = new Float32Array(buffer, 4 * HEADER);
  }

  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  /** Host side: leaves `text` (its first MAX_PROBE_CHARS code points) for the worker and wakes it. */
  post(text: string): void {
    this.write(() => {
      let n = 0;
      for (const c of text) {
        if (n === MAX_PROBE_CHARS) break;
        Atomics.store(this.words, HEADER + n++, c.codePointAt(0) ?? 0);
      }
      this.header(0, n, -1, -1, 0);
    });
  }

  /** Host side: leaves a (validated) Probe tab request for the worker and wakes it. */
  postRequest(r: ProbeRequest): void {
    this.write(() => {
      const values = r.kind === 'image' ? r.pixels : r.kind === 'features' ? r.values : [];
      const n = Math.min(values.length, MAX_PROBE_VALUES);
      for (let i = 0; i < n; i++) this.floats[i] = values[i];
      const arg = r.kind === 'row' ? r.row : r.kind === 'random' ? (r.label ?? -1) : -1;
      this.header(1 + PROBE_KINDS.indexOf(r.kind), n, arg, r.target ?? -1, r.id);
    });
  }

  /** Worker side: the newest request not taken yet, or undefined (one load when there is none). */
  take(): Probe | undefined {
    for (let attempt = 0; attempt < 100; attempt++) {
      const seq = Atomics.load(this.words, 0);
      if (seq === this.seen || seq & 1) return undefined; // nothing new, or being written (a wake follows)
      const probe = this.read();
      // Rewritten while read: read the newer one.
      if (Atomics.load(this.words, 0) !== seq) continue;
      this.seen = seq;
      return probe;
    }
    return undefined;
  }

  /** Worker side: sleeps until a new request is posted, or `timeoutMs`. */
  wait(timeoutMs: number): void {
    Atomics.wait(this.words, 0, this.seen, timeoutMs);
  }

  private write(fill: () => void): void {
    Atomics.add(this.words, 0, 1); // odd: being written
    fill();
    Atomics.add(this.words, 0, 1);
    Atomics.notify(this.words, 0);
  }

  private header(kind: number, n: number, arg: number, target: number, id: number): void {
    Atomics.store(this.words, 1, kind);
    Atomics.store(this.words, 2, n);
    Atomics.store(this.words, 3, arg);
    Atomics.store(this.words, 4, target);
    Atomics.store(this.words, 5, id);
  }

  private read(): Probe | undefined {
    const w = this.words;
    const kind = Atomics.load(w, 1);
    const n = Math.max(0, Atomics.load(w, 2));
    const arg = Atomics.load(w, 3);
    const target = Atomics.load(w, 4);
    const common = { id: Atomics.load(w, 5), ...(target >= 0 ? { target } : {}) };
    if (kind === 0) {
      let text = '';
      for (let i = 0; i < Math.min(n, MAX_PROBE_CHARS); i++) text += String.fromCodePoint(Atomics.load(w, HEADER + i));
      return { kind: 'text', text };
    }
    const values = () => Array.from(this.floats.subarray(0, Math.min(n, MAX_PROBE_VALUES)));
    switch (PROBE_KINDS[kind - 1]) {
      case 'row':
        return { kind: 'row', row: Math.max(0, arg), ...common };
      case 'random':
        return { kind: 'random', ...(arg >= 0 ? { label: arg } : {}), ...common };
      case 'image':
        return { kind: 'image', pixels: values(), ...common };
      case 'features':
        return { kind: 'features', values: values(), ...common };
      default:
        return undefined;
    }
  }
}
