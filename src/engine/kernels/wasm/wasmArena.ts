import { getWebAssembly, WasmApi, WasmMemory } from './wasmApi';

const PAGE = 65536;
/** 4 GiB, the most a 32-bit memory can address. Shared memory needs a maximum; it is only reserved. */
const MAX_PAGES = 65536;
const MIN_BLOCK = 64;

/**
 * The engine's WebAssembly memory and an allocator over it. Every kernel module imports this one
 * memory, so a tensor allocated here (a layer's weights and gradients, the optimizer's state)
 * is used by the kernels in place, with no copy in or out.
 *
 * The memory is shared (SharedArrayBuffer): growing it never detaches the views already handed
 * out, which a long-lived tensor needs (a plain memory's grow would empty every Float32Array on
 * it), and workers can later run kernels on the same memory.
 *
 * Blocks are power-of-two sized (≥ 64 bytes, 16-byte aligned) with one free list per size. A
 * block from `float32()` returns to its list when its Float32Array is garbage-collected
 * (FinalizationRegistry), so views derived from it (subarray) must not outlive it.
 */
export class WasmArena {
  private top = MIN_BLOCK; // offset 0 stays unused, so no block starts at the null address
  private readonly freeLists = new Map<number, number[]>();
  private readonly blockSize = new Map<number, number>();
  private readonly buffers = new WeakSet<object>();
  private readonly registry = new FinalizationRegistry<number>((offset) => this.release(offset));

  private constructor(
    /** The WebAssembly API the memory came from; kernel modules are compiled with it too. */
    readonly api: WasmApi,
    readonly memory: WasmMemory,
  ) {
    this.buffers.add(memory.buffer);
  }

  /** A new arena, or null when the runtime has no WebAssembly or no shared memory. */
  static create(wasm: WasmApi | null | undefined = getWebAssembly()): WasmArena | null {
    if (!wasm) return null;
    try {
      return new WasmArena(wasm, new wasm.Memory({ initial: 16, maximum: MAX_PAGES, shared: true }));
    } catch {
      return null;
    }
  }

  /** Byte offset of a block of at least `bytes` bytes; release it with `release`. */
  allocate(bytes: number): number {
    let size = MIN_BLOCK;
    while (size < bytes) size *= 2;
    const list = this.freeLists.get(size);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.blockSize.set(reused, size);
      return reused;
    }
    const offset = this.top;
    this.ensure(offset + size);
    this.top = offset + size;
    this.blockSize.set(offset, size);
    return offset;
  }

  release(offset: number): void {
    const size = this.blockSize.get(offset);
    if (size === undefined) return;
    this.blockSize.delete(offset);
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(offset);
  }

  /** A zero-filled Float32Array in this memory, released when it is garbage-collected. */
  float32(length: number): Float32Array {
    const offset = this.allocate(length * 4);
    const view = new Float32Array(this.buffer(), offset, length);
    view.fill(0);
    this.registry.register(view, offset);
    return view;
  }

  /** A zero-filled Float64Array in this memory (the book profile's float64 tensors), released like float32(). */
  float64(length: number): Float64Array {
    const offset = this.allocate(length * 8);
    const view = new Float64Array(this.buffer(), offset, length);
    view.fill(0);
    this.registry.register(view, offset);
    return view;
  }

  /** True when `x` is a view of this memory (its byteOffset is then an address kernels can use). */
  owns(x: ArrayBufferView): boolean {
    return this.buffers.has(x.buffer);
  }

  /** x when it lives in this memory (kernels read it in place), else null (they copy it in). */
  resident(x: Float32Array): Float32Array | null {
    return this.owns(x) ? x : null;
  }

  /** Bytes reserved so far (high-water mark of the allocator). */
  get reservedBytes(): number {
    return this.top;
  }

  /** The current buffer over the whole memory. */
  buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    this.buffers.add(b);
    return b;
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      // Grow by at least a quarter, so a growing model does not grow the memory on every tensor.
      this.memory.grow(Math.max(Math.ceil((bytes - have) / PAGE), Math.ceil(have / PAGE / 4)));
      this.buffers.add(this.memory.buffer);
    }
  }
}
