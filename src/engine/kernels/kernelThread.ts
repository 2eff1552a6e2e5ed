import { CONTROL, GEMM_VARIANTS, KernelThreadInit } from './parallel';
import { TASKS } from './parallelTasks';
import type { ThreadKernels } from './threadKernels';
import { getWebAssembly } from './wasm/wasmApi';
import { instantiateConv } from './wasm/wasmConv';
import { instantiateElementwise } from './wasm/wasmElementwise';
import { instantiateGemm } from './wasm/wasmGemm';
import { instantiateGemm64 } from './wasm/wasmGemm64';

/**
 * The body of a helper kernel thread (kernels/parallel.ts): instantiates the engine's WebAssembly
 * modules on the shared memory it was given, then runs the range tasks the main thread posts in
 * its control block until told to stop (go = −1). Blocks its thread: the host runs it in a thread
 * of its own (on Node, src/util/kernelThreadEntry.ts). A task that throws sets the block's error
 * word, reports through `onError`, and the thread carries on.
 */
export function runKernelThread(init: KernelThreadInit, onError: (e: unknown) => void = () => {}): void {
  const memory = init.memory;
  // A thread that cannot instantiate the modules still answers every task (with its error word
  // set), so the main thread fails with a message instead of waiting forever.
  let kernels: ThreadKernels | null = null;
  try {
    kernels = threadKernels(init);
  } catch (e) {
    onError(e);
  }
  const c = init.control >> 2;
  let i32 = new Int32Array(memory.buffer);
  // The control block starts zeroed and the first task is go = 1, so a task posted before this
  // thread got here is not missed.
  let seen = 0;
  for (;;) {
    // Wait for a new go word: spin a little (tasks come back to back within a step), then sleep.
    let go = Atomics.load(i32, c + CONTROL.GO);
    // The last task may ask for a longer spin (runTask's linger): its caller posts the next soon.
    const spin = Math.max(CONTROL.SPIN, i32[c + CONTROL.LINGER]);
    for (let i = 0; go === seen && i < spin; i++) go = Atomics.load(i32, c + CONTROL.GO);
    while (go === seen) {
      Atomics.wait(i32, c + CONTROL.GO, seen);
      go = Atomics.load(i32, c + CONTROL.GO);
    }
    if (go === -1) return;
    seen = go;
    if (i32.buffer.byteLength !== memory.buffer.byteLength) i32 = new Int32Array(memory.buffer);
    // Claim the part; if the caller already took it back, there is nothing to do (and no `done`:
    // the caller does not wait for a part it ran itself).
    // The expected value is this task's seq: a thread that read an older go word cannot claim a
    // newer task's part (whose arguments it has not seen).
    if (Atomics.compareExchange(i32, c + CONTROL.CLAIM, go, go + CONTROL.CLAIMED) !== go) continue;
    const args = i32.subarray(c + CONTROL.ARGS, c + CONTROL.ARGS + 64 - CONTROL.ARGS);
    try {
      if (!kernels) throw new Error('kernel thread: no kernels on this thread');
      TASKS[i32[c + CONTROL.TASK]](kernels, args, i32[c + CONTROL.FROM], i32[c + CONTROL.TO], init.index);
    } catch (e) {
      i32[c + CONTROL.ERROR] = 1;
      onError(e);
    }
    Atomics.store(i32, c + CONTROL.DONE, go);
    Atomics.notify(i32, c + CONTROL.DONE);
  }
}

function threadKernels(init: KernelThreadInit): ThreadKernels {
  const wasm = getWebAssembly();
  if (!wasm) throw new Error('kernel thread: this runtime has no WebAssembly');
  const memory = init.memory;
  const elementwise = GEMM_VARIANTS.map((v) => instantiateElementwise(wasm, memory, v));
  if (!elementwise[0]) throw new Error('kernel thread: the elementwise module does not validate here');
  let view = new Float32Array(memory.buffer);
  const gemms = GEMM_VARIANTS.map((v) => instantiateGemm(wasm, v, memory));
  return {
    f32: () => (view.buffer.byteLength === memory.buffer.byteLength ? view : (view = new Float32Array(memory.buffer))),
    // Index GEMM_F64 (= GEMM_VARIANTS.length): the float64 GEMM.
    gemm: [...gemms.map((g) => g?.gemm ?? null), instantiateGemm64(wasm, memory)?.gemm ?? null],
    gemmPacked: gemms.map((g) => g?.gemmPacked ?? null),
    conv: GEMM_VARIANTS.map((v) => instantiateConv(wasm, v, memory)),
    elementwise,
    workspace: init.workspace,
  };
}
