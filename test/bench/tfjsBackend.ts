import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

export type Tfjs = typeof tf;
export type TfjsBackendName = 'cpu' | 'wasm';

let wasmThreadsSet = false;

/**
 * Switches TensorFlow.js to a backend and returns the library. `cpu` is tfjs's pure-JS backend;
 * `wasm` is XNNPACK compiled to WebAssembly (SIMD build when the runtime has SIMD), loading its
 * .wasm from node_modules with no network. Its thread count must be fixed before the backend
 * starts, so it is set to one once: in Node the backend's multithreaded build is not used
 * (WASM_HAS_MULTITHREAD_SUPPORT is false), so one thread is also its all-thread figure.
 */
export async function useTfjs(backend: TfjsBackendName): Promise<Tfjs> {
  if (backend === 'wasm' && !wasmThreadsSet) {
    setThreadsCount(1);
    wasmThreadsSet = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js backend '${backend}' failed to start`);
  await tf.ready();
  return tf;
}

/** What the JSON record says about TensorFlow.js (read after `useTfjs('wasm')`). */
export function tfjsInfo(): Record<string, unknown> {
  return {
    version: tf.version.tfjs,
    wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    wasmMultithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
    wasmThreads: getThreadsCount(),
  };
}
