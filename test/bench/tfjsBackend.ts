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
    registerWasmConv2dBackpropFilter();
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

/**
 * TF.js 4.22's wasm backend has no Conv2DBackpropFilter kernel, so a Conv2D layer cannot train on
 * it ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). W2 registers one that
 * runs the backend's own Conv3DBackpropFilterV2 kernel on the same buffers viewed with a depth of 1
 * (x [B, 1, H, W, C], dy [B, 1, oh, ow, Cout], filter [1, kh, kw, C, Cout]): still all wasm.
 */
function registerWasmConv2dBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  if (!conv3d) return;
  type Info = { dataId: object; shape: number[]; dtype: string };
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: (({
      inputs,
      backend,
      attrs,
    }: {
      inputs: { x: Info; dy: Info };
      backend: unknown;
      attrs: Record<string, unknown>;
    }) => {
      const { x, dy } = inputs;
      const strides = attrs.strides as number | [number, number];
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      const [kh, kw, cin, cout] = attrs.filterShape as number[];
      if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')
        throw new Error('bench Conv2DBackpropFilter (wasm): NHWC only');
      const pad = attrs.pad;
      if (typeof pad !== 'string' && typeof pad !== 'number')
        throw new Error('bench Conv2DBackpropFilter (wasm): explicit padding unsupported');
      const x5 = { ...x, shape: [x.shape[0], 1, ...x.shape.slice(1)] };
      const dy5 = { ...dy, shape: [dy.shape[0], 1, ...dy.shape.slice(1)] };
      const dw = conv3d.kernelFunc({
        inputs: { x: x5, dy: dy5 },
        backend,
        attrs: { strides: [1, 1, sh, sw, 1], pad, filterShape: [1, kh, kw, cin, cout] },
      } as never) as Info;
      return { dataId: dw.dataId, shape: [kh, kw, cin, cout], dtype: dw.dtype };
    }) as never,
  });
}
