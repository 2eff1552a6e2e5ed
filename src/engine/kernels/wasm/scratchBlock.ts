import type { WasmArena } from './wasmArena';

/**
 * A block of the arena that kernels copy operands through: it grows to the largest request and is
 * then reused, so a steady training loop allocates nothing. `view` covers the whole memory and is
 * renewed whenever the memory has grown (a grown WebAssembly memory has a new buffer).
 */
export class ScratchBlock {
  private offset = 0;
  private bytes = 0;
  view: Float32Array;

  constructor(private readonly arena: WasmArena) {
    this.view = new Float32Array(arena.buffer());
  }

  /** Byte offset of a block of at least `bytes`; `view` is current afterwards. */
  reserve(bytes: number): number {
    if (bytes > this.bytes) {
      if (this.bytes) this.arena.release(this.offset);
      this.offset = this.arena.allocate(bytes);
      this.bytes = bytes;
    }
    if (this.view.buffer !== this.arena.memory.buffer) this.view = new Float32Array(this.arena.buffer());
    return this.offset;
  }
}
