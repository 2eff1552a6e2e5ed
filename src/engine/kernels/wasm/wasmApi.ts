/**
 * The small part of the WebAssembly JS API the kernels use. Its standard typings live in lib.dom,
 * which the engine may not load, so it is declared here as plain interfaces (no global
 * declaration, so nothing clashes with a host that does load lib.dom) and looked up on
 * globalThis at run time: a runtime without WebAssembly simply yields undefined.
 */
export interface WasmMemory {
  /** For shared memory a SharedArrayBuffer: after a grow it is a new object over the same memory. */
  readonly buffer: ArrayBufferLike;
  /** Grows by `pages` × 64 KiB; returns the previous size in pages. Detaches the old buffer unless shared. */
  grow(pages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export interface WasmMemoryDescriptor {
  initial: number;
  maximum?: number;
  shared?: boolean;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: WasmMemoryDescriptor) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: Record<string, unknown>) => WasmInstance;
}

export function getWebAssembly(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}
