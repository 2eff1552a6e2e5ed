import { engineLogger } from '../logger';
import { fastConv, fastElementwise, fastGemm, fastGemm64, kernelArena } from './kernelBackend';
import { GEMM_F64, Task, TASKS } from './parallelTasks';
import type { RangeTask, ThreadKernels } from './threadKernels';
import type { WasmMemory } from './wasm/wasmApi';
import type { ElementwiseExports, TanhBackwardExport, TanhExport } from './wasm/wasmElementwise';
import type { WasmArena } from './wasm/wasmArena';
import type { ConvExports } from './wasm/wasmConv';
import type { GemmExport, GemmPackedExport, WasmGemmVariant } from './wasm/wasmGemm';

/*
 * Kernel threads: more cores on one shared WebAssembly memory.
 *
 * The engine cannot start threads itself (no Node, no DOM), so the host hands it a
 * KernelThreadHost that starts a thread running `runKernelThread(init)` (kernels/kernelThread.ts)
 * — on Node a worker_threads Worker (src/util/kernelThreads.ts). Everything else is here: each
 * helper gets a control block in the arena; to run a range task the caller cuts the range into one
 * part per thread, writes each helper's part into its block, bumps the block's `go` word
 * (Atomics.notify), runs part 0 itself and waits for each helper's `done` word (Atomics.wait).
 * A helper claims its part (compare-and-swap on the block's `claim` word) before running it; a part
 * still unclaimed when the caller has finished its own is taken back and run by the caller, so a
 * helper that is asleep or not scheduled on a busy machine never stalls a step. Helpers spin briefly before sleeping, so the back-to-back tasks of a training step do not pay a
 * wake-up each. Operands must live in the shared memory: the callers (kernels/gemm.ts,
 * ops/conv2d.ts, ops/activations.ts) copy them into the arena where they are not already.
 *
 * Work is split only where it pays (see `parts`): a task whose range is too small for two parts
 * runs on the calling thread alone, and with one thread (the default) nothing changes at all.
 */

/** What a helper thread is started with; structured-cloneable (the memory is shared). */
export interface KernelThreadInit {
  readonly memory: WasmMemory;
  /** Byte offset of this helper's control block (CONTROL_INTS int32 words). */
  readonly control: number;
  /** Byte offset of this helper's GEMM workspace. */
  readonly workspace: number;
  /** 1, 2, …: the thread's part index. */
  readonly index: number;
}

/** The host's side: start a thread that calls `runKernelThread(init)`, and stop them all. */
export interface KernelThreadHost {
  start(init: KernelThreadInit): void;
  /** Terminates the threads started (they block in Atomics.wait between tasks). */
  stop?(): void;
}

// Control block words (int32). ARGS onward are the task's arguments.
const GO = 0,
  DONE = 1,
  TASK = 2,
  FROM = 3,
  TO = 4,
  ERROR = 5,
  CLAIM = 6,
  LINGER = 7,
  ARGS = 8;
export const CONTROL_INTS = 64;
const MAX_ARGS = CONTROL_INTS - ARGS;
/**
 * Polls of a control word before a thread sleeps in Atomics.wait (a few microseconds). Longer
 * spins saved wake-ups on an idle machine but cost CPU on a busy one (W1 used 1.6× the CPU time of
 * one thread with 20,000 polls on a loaded 2-core machine).
 */
const SPIN = 4000;
/** GEMM variants by index, as the tasks receive them. */
export const GEMM_VARIANTS: readonly WasmGemmVariant[] = ['simd128', 'relaxedSimd'];

interface Pool {
  readonly arena: WasmArena;
  readonly host: KernelThreadHost;
  /** Control block byte offsets, one per helper. */
  readonly controls: number[];
  seq: number;
}

let pool: Pool | null = null;
/** Threads to use (1 = the caller only), at most 1 + the helpers started. */
let active = 1;
let mainKernels: ThreadKernels | null = null;

/**
 * Starts `threads − 1` helper threads through `host` (the caller is the first thread) and uses
 * them from now on; returns the number of threads in use. 1 (or a runtime without the
 * WebAssembly backend) leaves everything on the calling thread. Calling it again with the same
 * count keeps the running helpers (and `host` starts nothing); another count stops them first.
 */
export function startKernelThreads(host: KernelThreadHost, threads: number): number {
  const arena = kernelArena();
  const helpers = Math.max(0, Math.floor(threads) - 1);
  // The same helpers on the same memory: keep them. Each start allocates control blocks and GEMM
  // workspaces (~3.5 MB a helper) that a stopped helper's thread may still be reading until it
  // exits, so they are never reused; restarting for every training session leaked them.
  if (pool && arena === pool.arena && helpers === pool.controls.length && helpers > 0) {
    host.stop?.(); // the caller's host started nothing
    active = helpers + 1;
    return active;
  }
  stopKernelThreads();
  if (!arena || helpers === 0) return kernelThreads();
  const controls: number[] = [];
  for (let i = 1; i <= helpers; i++) {
    const control = arena.allocate(CONTROL_INTS * 4);
    new Int32Array(arena.buffer(), control, CONTROL_INTS).fill(0);
    // One workspace per helper, for whichever GEMM (float32 or float64) a task runs.
    const workspace = arena.allocate(Math.max(fastGemm()?.workspaceBytes ?? 0, fastGemm64()?.workspaceBytes ?? 0));
    host.start({ memory: arena.memory, control, workspace, index: i });
    controls.push(control);
  }
  pool = { arena, host, controls, seq: 0 };
  active = helpers + 1;
  engineLogger().info(`Glassbox kernels: ${active} threads on one shared memory.`);
  return active;
}

/** Stops the helper threads; work runs on the calling thread again. */
export function stopKernelThreads(): void {
  if (!pool) return;
  const p = pool;
  pool = null;
  active = 1;
  const i32 = new Int32Array(p.arena.buffer());
  for (const c of p.controls) {
    Atomics.store(i32, (c >> 2) + GO, -1);
    Atomics.notify(i32, (c >> 2) + GO);
  }
  p.host.stop?.();
}

/** Uses at most `threads` of the threads started (1 = the calling thread only), for comparisons. */
export function setKernelThreads(threads: number): number {
  active = Math.max(1, Math.min(Math.floor(threads), 1 + (pool?.controls.length ?? 0)));
  return active;
}

/** Threads float32 kernels may use now (1 when no helpers run). */
export function kernelThreads(): number {
  return pool ? active : 1;
}

/**
 * Runs a range task over [0, total) on up to `kernelThreads()` threads, parts of at least `grain`
 * items whose boundaries are multiples of `align`; part 0 on the calling thread. Operands must be
 * in the arena. Throws if a helper failed. `linger`: polls a helper spends waiting for the next
 * task before it sleeps, when more than SPIN (a caller that posts tasks back to back with a little
 * work of its own between them, an LSTM's steps, so the helper is awake for the next one).
 */
export function runTask(
  task: number,
  args: readonly number[],
  total: number,
  grain: number,
  align = 1,
  linger = 0,
): void {
  const t = threadKernels();
  const parts = pool ? Math.max(1, Math.min(active, Math.floor(total / Math.max(1, grain)))) : 1;
  if (parts === 1 || !pool) {
    TASKS[task](t, args, 0, total, 0);
    return;
  }
  if (args.length > MAX_ARGS) throw new Error(`runTask: ${args.length} arguments, at most ${MAX_ARGS}`);
  const p = pool;
  const i32 = new Int32Array(p.arena.buffer());
  const seq = (p.seq = (p.seq % 0x3fffffff) + 1); // 1 … 2³⁰ − 1: never 0, the blocks' initial value
  const cut = (i: number) => (i === parts ? total : Math.min(total, Math.round((total * i) / parts / align) * align));
  for (let h = 1; h < parts; h++) {
    const c = p.controls[h - 1] >> 2;
    i32[c + TASK] = task;
    i32[c + FROM] = cut(h);
    i32[c + TO] = cut(h + 1);
    i32[c + ERROR] = 0;
    i32[c + LINGER] = linger;
    for (let i = 0; i < args.length; i++) i32[c + ARGS + i] = args[i];
    // claim = seq: posted, not yet claimed (a helper still looking at an older task cannot claim it).
    Atomics.store(i32, c + CLAIM, seq);
    Atomics.store(i32, c + GO, seq);
    Atomics.notify(i32, c + GO);
  }
  let failure: unknown;
  try {
    TASKS[task](t, args, 0, cut(1), 0);
  } catch (e) {
    failure = e;
  }
  for (let h = 1; h < parts; h++) {
    const c = p.controls[h - 1] >> 2;
    // A helper that has not started its part yet (asleep, or not scheduled on a busy machine)
    // loses it: the caller takes it back and runs it here, instead of waiting for the helper.
    if (Atomics.compareExchange(i32, c + CLAIM, seq, -1) === seq) {
      if (failure === undefined) {
        try {
          TASKS[task](t, args, cut(h), cut(h + 1), h);
        } catch (e) {
          failure = e;
        }
      }
      continue;
    }
    waitFor(i32, c + DONE, seq);
    if (i32[c + ERROR] !== 0 && failure === undefined)
      failure = new Error(`kernel thread ${h} failed in task ${task} (see the thread's error output)`);
  }
  if (failure !== undefined) throw failure;
}

/** Index of the GEMM variant the main thread's backend uses (the tasks' first argument). */
export function gemmVariantIndex(): number {
  return GEMM_VARIANTS.indexOf(fastGemm()?.variant ?? 'simd128');
}

/** Index of the elementwise variant the main thread's backend uses (the tanh tasks' first argument). */
function elementwiseVariantIndex(): number {
  return GEMM_VARIANTS.indexOf(fastElementwise()?.variant ?? 'simd128');
}

/**
 * A GemmExport for WasmGemm.gemm that splits the rows of C across the threads when the product is
 * big enough to pay for it (≥ 2 MFLOP and 8 rows per thread), else runs it here.
 */
export function threadedGemm(): GemmExport | undefined {
  if (kernelThreads() === 1) return undefined;
  const variant = gemmVariantIndex();
  return (m, k, n, a, rsA, csA, b, rsB, csB, c, acc) => {
    const small = 2 * m * k * n < 2 * GEMM_MIN_FLOPS;
    const grain = small ? m : Math.max(8, Math.ceil(GEMM_MIN_FLOPS / Math.max(1, 2 * k * n)));
    runTask(Task.GemmRows, [variant, m, k, n, a, rsA, csA, b, rsB, csB, c, acc], m, grain, 4);
  };
}
/** Elements per part below which an elementwise kernel stays on one thread. */
const ELEMENTWISE_GRAIN = 1 << 16;

/** A tanh export that splits long ranges across the threads (undefined: one thread). */
export function threadedTanh(): TanhExport | undefined {
  if (kernelThreads() === 1) return undefined;
  const variant = elementwiseVariantIndex();
  return (x, y, n) => runTask(Task.Tanh, [variant, x, y], n, ELEMENTWISE_GRAIN, 4);
}

/** The same for tanh's backward. */
export function threadedTanhBackward(): TanhBackwardExport | undefined {
  if (kernelThreads() === 1) return undefined;
  const variant = elementwiseVariantIndex();
  return (dy, y, dx, n) => runTask(Task.TanhBackward, [variant, dy, y, dx], n, ELEMENTWISE_GRAIN, 4);
}

/**
 * Flops below which a GEMM part is not worth a thread hand-off (~130 µs of work): W1's products
 * (8.4 MFLOP) stay on one thread, where splitting them made an epoch slower (0.87×); W2's dense
 * products (15 MFLOP) split in two.
 */
const GEMM_MIN_FLOPS = 5 << 20;

/** The calling thread's kernels (the engine's selected backend). */
function threadKernels(): ThreadKernels {
  const gemm = fastGemm(),
    ew = fastElementwise(),
    arena = kernelArena();
  if (!gemm || !ew || !arena) throw new Error('kernel tasks need the WebAssembly backend');
  if (
    mainKernels &&
    mainKernels.gemm[gemmVariantIndex()] === gemm.run &&
    mainKernels.gemm[GEMM_F64] === (fastGemm64()?.run ?? null) &&
    mainKernels.elementwise[elementwiseVariantIndex()]?.tanh === ew.tanhRun
  )
    return mainKernels;
  let view = new Float32Array(arena.buffer());
  const gemms: (GemmExport | null)[] = [null, null, null];
  const packed: (GemmPackedExport | null)[] = [null, null];
  packed[GEMM_VARIANTS.indexOf(gemm.variant)] = gemm.gemmPacked;
  gemms[GEMM_VARIANTS.indexOf(gemm.variant)] = gemm.run;
  gemms[GEMM_F64] = fastGemm64()?.run ?? null;
  const convs: (ConvExports | null)[] = [null, null];
  convs[GEMM_VARIANTS.indexOf(gemm.variant)] = fastConv();
  const elementwise: (ElementwiseExports | null)[] = [null, null];
  elementwise[GEMM_VARIANTS.indexOf(ew.variant)] = {
    tanh: ew.tanhRun,
    tanhBackward: ew.tanhBackwardRun,
    momentum: ew.momentumRun,
    sgd: ew.sgdRun,
    adam: ew.adamRun,
    im2col: ew.im2colRun,
    mul: ew.mulRun,
    add: ew.addRun,
    bernoulli: ew.bernoulliRun,
    lstmForward: ew.lstmForwardRun,
    lstmBackward: ew.lstmBackwardRun,
    colSum: ew.colSumRun,
  };
  mainKernels = {
    f32: () => (view.buffer === arena.memory.buffer ? view : (view = new Float32Array(arena.buffer()))),
    gemm: gemms,
    gemmPacked: packed,
    elementwise,
    conv: convs,
    workspace: gemm.workspace,
  };
  return mainKernels;
}

/** Waits until i32[at] === value: a short spin, then Atomics.wait. */
export function waitFor(i32: Int32Array, at: number, value: number): void {
  for (let i = 0; i < SPIN; i++) if (Atomics.load(i32, at) === value) return;
  for (;;) {
    const now = Atomics.load(i32, at);
    if (now === value) return;
    Atomics.wait(i32, at, now, 1000);
  }
}

/** The control-word protocol, for kernels/kernelThread.ts. */
/** Added to a task's seq in the claim word by the helper that claimed it. */
const CLAIMED = 0x40000000;
export const CONTROL = { GO, DONE, TASK, FROM, TO, ERROR, CLAIM, CLAIMED, LINGER, ARGS, SPIN } as const;
export type { RangeTask };
