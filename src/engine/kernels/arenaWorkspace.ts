import type { WasmArena } from './wasm/wasmArena';

const registry = new FinalizationRegistry<{
  arena: WasmArena;
  offsets: Map<string, { offset: number; bytes: number }>;
}>((held) => {
  for (const b of held.offsets.values()) held.arena.release(b.offset);
});

/**
 * Named blocks of arena memory that one owner (an operation) reuses from call to call: grown on
 * demand, never shrunk, released when the owner is garbage-collected. For buffers a kernel task
 * must find in the shared memory (patches, copies of operands), without allocating per call.
 */
export class ArenaWorkspace {
  private readonly blocks = new Map<string, { offset: number; bytes: number }>();

  constructor(
    readonly arena: WasmArena,
    owner: object,
  ) {
    registry.register(owner, { arena, offsets: this.blocks });
  }

  /** Byte offset of the block `name`, at least `bytes` long (contents kept only while it fits). */
  block(name: string, bytes: number): number {
    const b = this.blocks.get(name);
    if (b && b.bytes >= bytes) return b.offset;
    if (b) this.arena.release(b.offset);
    const offset = this.arena.allocate(Math.max(16, bytes));
    this.blocks.set(name, { offset, bytes });
    return offset;
  }

  /** Byte offset of `data` in the arena: in place when it lives there, else copied into block `name`. */
  place(name: string, data: ArrayLike<number> & { readonly length: number }): number {
    const resident = data instanceof Float32Array ? this.arena.resident(data) : null;
    if (resident) return resident.byteOffset;
    const at = this.block(name, data.length * 4);
    this.f32().set(data, at >> 2);
    return at;
  }

  /** A Float32Array over the whole memory (valid until the memory grows; ask again after allocating). */
  f32(): Float32Array {
    return new Float32Array(this.arena.buffer());
  }
}
