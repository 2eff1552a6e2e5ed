import type { TensorData } from '../tensor/tensor';
import { gemm } from './gemm';
import { fastGemm, kernelArena } from './kernelBackend';
import type { MatmulLayout } from './matmulLayout';
import { gemmVariantIndex, kernelThreads, runTask } from './parallel';
import { GEMM_BATCH_HEADER, GEMM_BATCH_WORDS, GEMM_PACKED, GEMM_PLAIN } from './gemmBatchTask';
import { Task } from './parallelTasks';
import type { WasmArena } from './wasm/wasmArena';
import { WasmGemm } from './wasm/wasmGemm';

/** One product C[m,n] (+)= op(A)·op(B) of a batch (kernels/gemm.ts's arguments). */
export interface GemmProduct {
  readonly layout: MatmulLayout;
  readonly a: TensorData;
  readonly b: TensorData;
  readonly c: TensorData;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly accumulate?: boolean;
  /**
   * Element strides [rsA, csA, rsB, csB] other than the layout's (gemm.wat's addressing): a column
   * block of a wider matrix. Arena operands only (the caller guarantees every address is in them).
   */
  readonly strides?: readonly [number, number, number, number];
  /**
   * `b` is a B packed beforehand (kernels/packedGemm.ts) and this product computes C's columns of
   * panels [q0, q1), C's rows `ldc` elements apart: gemm.wat's gemmPacked. Arena operands only.
   */
  readonly packed?: { readonly kcStep: number; readonly ldc: number; readonly q0: number; readonly q1: number };
}

/** Flops of a batch below which it stays on the calling thread (one hand-off costs ~10–50 µs). */
const BATCH_MIN_FLOPS = 8 << 20;

/**
 * With `linger`, helpers poll this many times (~0.2–0.3 ms) for the next batch before sleeping: an
 * LSTM step's batches come ~0.1–0.2 ms apart (the step's elementwise work between them), longer
 * than the default spin, and a sleeping helper joins the next batch a wake-up late.
 */
const LINGER_POLLS = 20000;

/** The product table in the arena (grown as needed; GEMM_BATCH_WORDS int32 words a product). */
let table: { arena: WasmArena | null; offset: number; products: number } = { arena: null, offset: -1, products: 0 };

/**
 * Independent products, none reading another's output: the same results as calling `gemm` on
 * each in turn, bit for bit. With kernel threads running and every float32 operand in the kernel
 * arena (parameters, their gradients, a training step's tensors), they run as one task whose
 * products are claimed whole, one at a time, by the threads (an LSTM step's four gate products:
 * about two a thread, more for the one that got its core first), one hand-off for the batch instead of one per product, and no thread packs a B another
 * also packs (as a row split of each product would). Otherwise they run one by one through `gemm`.
 * `options.linger`: the caller posts another batch shortly (LINGER_POLLS).
 */
export function gemmMany(products: readonly GemmProduct[], options: { readonly linger?: boolean } = {}): void {
  const fast = fastGemm(),
    arena = kernelArena();
  let flops = 0;
  for (const p of products) flops += 2 * p.m * p.k * p.n;
  const inArena = (x: TensorData) => x instanceof Float32Array && arena !== null && arena.owns(x);
  const special = (p: GemmProduct) => p.packed !== undefined || p.strides !== undefined;
  if (
    !fast ||
    !arena ||
    kernelThreads() === 1 ||
    products.length < 2 ||
    flops < BATCH_MIN_FLOPS ||
    !products.every((p) => p.m > 0 && p.k > 0 && p.n > 0 && inArena(p.a) && inArena(p.b) && inArena(p.c))
  ) {
    for (const p of products) {
      if (!special(p)) gemm(p.layout, p.a, p.b, p.c, p.m, p.k, p.n, p.accumulate);
      else if (fast && inArena(p.a) && inArena(p.b) && inArena(p.c)) runOne(fast, p);
      else throw new Error('gemmMany: a packed or strided product needs its operands in the kernel arena');
    }
    return;
  }
  for (const p of products)
    if (!special(p) && (p.a.length < p.m * p.k || p.b.length < p.k * p.n || p.c.length < p.m * p.n))
      // Through gemm for its ShapeError.
      return gemm(p.layout, p.a, p.b, p.c, p.m, p.k, p.n, p.accumulate);
  runBatch(
    arena,
    products.map((p) => gemmWords(p)),
    options.linger ?? false,
  );
}

/**
 * Runs a table of batch entries (parallelTasks.ts's GemmBatch kinds: products, an LSTM step's row
 * parts, column sums) as one task: each entry whole on one thread, claimed one at a time by the
 * threads taking part (with one thread, all on this one, in order). Every operand in the arena,
 * the WebAssembly backend selected. Entries that write the same memory must not be in one batch.
 */
export function runKernelBatch(entries: readonly (readonly number[])[], linger = false): void {
  const arena = kernelArena();
  if (!arena || !fastGemm()) throw new Error('runKernelBatch: the WebAssembly backend is not selected');
  runBatch(arena, entries, linger);
}

function runBatch(arena: WasmArena, entries: readonly (readonly number[])[], linger: boolean): void {
  // A new backend selection may bring another arena: the table must live in the threads' one.
  if (table.arena !== arena || table.products < entries.length) {
    if (table.arena === arena && table.offset >= 0) arena.release(table.offset);
    const count = Math.max(entries.length, table.arena === arena ? table.products : 0);
    table = { arena, offset: arena.allocate(GEMM_BATCH_HEADER + count * GEMM_BATCH_WORDS * 4), products: count };
  }
  // The claim counter starts at 0: the threads take entries in table order.
  Atomics.store(new Int32Array(arena.buffer(), table.offset, 1), 0, 0);
  const w = new Int32Array(arena.buffer(), table.offset + GEMM_BATCH_HEADER, entries.length * GEMM_BATCH_WORDS);
  entries.forEach((e, i) => w.set(e, i * GEMM_BATCH_WORDS));
  // One part per thread; each claims entries until none is left (parallelTasks.ts's gemmBatch).
  runTask(
    Task.GemmBatch,
    [gemmVariantIndex(), table.offset, entries.length],
    kernelThreads(),
    1,
    1,
    linger ? LINGER_POLLS : 0,
  );
}

/** A product's GemmBatch table entry (parallelTasks.ts's GEMM_BATCH_WORDS layout). */
export function gemmWords(p: GemmProduct): number[] {
  const [rsA, csA, rsB, csB] = p.strides ?? WasmGemm.strides(p.layout, p.m, p.k, p.n);
  const acc = p.accumulate ? 1 : 0;
  const q = p.packed;
  return q
    ? [
        GEMM_PACKED,
        p.m,
        p.k,
        p.n,
        p.a.byteOffset,
        rsA,
        csA,
        p.b.byteOffset,
        q.kcStep,
        p.c.byteOffset,
        q.ldc,
        acc,
        q.q0,
        q.q1,
      ]
    : [GEMM_PLAIN, p.m, p.k, p.n, p.a.byteOffset, rsA, csA, p.b.byteOffset, rsB, csB, p.c.byteOffset, acc];
}

/** One packed or strided product on the calling thread. */
function runOne(fast: WasmGemm, p: GemmProduct): void {
  const w = gemmWords(p);
  if (p.packed)
    fast.gemmPacked(w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], fast.workspace, w[12], w[13]);
  else fast.run(w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10], w[11], fast.workspace);
}
