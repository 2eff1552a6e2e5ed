import { elementwiseOf, gemmOf, type ThreadKernels } from './threadKernels';

/*
 * The GemmBatch kernel-thread task (Task.GemmBatch in parallelTasks.ts): a table of products and
 * LSTM step rows, claimed entry by entry by every thread taking part (kernels/gemmMany.ts,
 * recurrent/lstmFused.ts build the tables).
 */

/**
 * Int32 words per product in a GemmBatch table: kind, then for kind GEMM_PLAIN m, k, n, a, rsA, csA,
 * b, rsB, csB, c, accumulate (gemm.wat's gemm), for kind GEMM_PACKED m, k, n, a, rsA, csA, pb,
 * kcStep, c, ldc, accumulate, q0, q1 (gemmPacked: panels [q0, q1) of C on a packed B).
 */
export const GEMM_BATCH_WORDS = 16;
export const GEMM_PLAIN = 0;
export const GEMM_PACKED = 1;
/**
 * Batch entries that are not one product (an LSTM step's rows, recurrent/lstmFused.ts): kind, r0,
 * r1, args (byte offset of the step's int32 arguments, LSTM_FORWARD_ARGS / LSTM_BACKWARD_ARGS).
 * LSTM_FORWARD_ROWS: S[r0:r1] = z[r0:r1]·B (packed), then the elementwise forward of those rows;
 * LSTM_BACKWARD_ROWS: the elementwise backward of rows r0..r1 into dS (no bias sums), then
 * dz[r0:r1] = dS[r0:r1]·B (packed). COL_SUM: src, srcStride (bytes), rows, n, dst: dst += Σ rows.
 */
export const LSTM_FORWARD_ROWS = 2;
export const LSTM_BACKWARD_ROWS = 3;
export const COL_SUM = 4;
/** LSTM_FORWARD_ROWS arguments: k, hidden, z, pb, kcStep, s, bF, bI, bC, bO, cPrev, f, i, g, o, c, tc, h. */
export const LSTM_FORWARD_ARGS = 18;
/** LSTM_BACKWARD_ROWS arguments: hidden, dH, dCNext, f, i, g, o, cPrev, tc, ds, dCPrev, pb, kcStep, nOut, dz. */
export const LSTM_BACKWARD_ARGS = 15;

/** Bytes before a GemmBatch table's first product: the claim counter (one int32, padded). */
export const GEMM_BATCH_HEADER = 16;

/**
 * GemmBatch: a table of independent products (an LSTM step's four gate products), each whole on
 * one thread, so the result is bit-identical to running them one by one. Every thread taking
 * part claims the next unclaimed product (an atomic counter at the table's start, zeroed by the
 * caller) until none is left: a helper that starts late, or loses its core on a busy machine,
 * leaves more of the batch to the others instead of holding the caller up with a fixed share.
 * The range only counts the threads taking part. args: variant, table (byte offset: the counter,
 * then GEMM_BATCH_WORDS int32 words per product), products.
 */
export function gemmBatch(t: ThreadKernels, a: ArrayLike<number>): void {
  const g = gemmOf(t, a[0]);
  const table = a[1],
    count = a[2];
  const i32 = new Int32Array(t.f32().buffer);
  const counter = table >> 2,
    first = (table + GEMM_BATCH_HEADER) >> 2;
  for (let p = Atomics.add(i32, counter, 1); p < count; p = Atomics.add(i32, counter, 1)) {
    const i = first + p * GEMM_BATCH_WORDS;
    const kind = i32[i];
    if (kind === LSTM_FORWARD_ROWS || kind === LSTM_BACKWARD_ROWS) {
      const r0 = i32[i + 1],
        rows = i32[i + 2] - r0;
      const x = i32.subarray(i32[i + 3] >> 2);
      const packed = t.gemmPacked[a[0]];
      if (!packed) throw new Error(`kernel thread: packed GEMM variant ${a[0]} is not available on this thread`);
      const e = elementwiseOf(t, a[0]);
      if (kind === LSTM_FORWARD_ROWS) {
        const [k, h, z, pb, kcStep, sAll] = [x[0], x[1], x[2], x[3], x[4], x[5]];
        const n4 = 4 * h;
        const s = sAll + 4 * r0 * n4,
          off = 4 * r0 * h;
        packed(rows, k, n4, z + 4 * r0 * k, k, 1, pb, kcStep, s, n4, 0, t.workspace, 0, n4 / 8);
        e.lstmForward(
          s,
          s + 4 * h,
          s + 8 * h,
          s + 12 * h,
          4 * n4,
          x[6],
          x[7],
          x[8],
          x[9],
          x[10] + off,
          x[11] + off,
          x[12] + off,
          x[13] + off,
          x[14] + off,
          x[15] + off,
          x[16] + off,
          x[17] + off,
          rows,
          h,
        );
      } else {
        const h = x[0],
          n4 = 4 * h,
          off = 4 * r0 * h;
        const ds = x[9] + 4 * r0 * n4;
        e.lstmBackward(
          x[1] + off,
          x[2] + off,
          x[3] + off,
          x[4] + off,
          x[5] + off,
          x[6] + off,
          x[7] + off,
          x[8] + off,
          ds,
          ds + 4 * h,
          ds + 8 * h,
          ds + 12 * h,
          4 * n4,
          x[10] + off,
          0,
          0,
          0,
          0,
          rows,
          h,
          0,
        );
        const nOut = x[13];
        packed(
          rows,
          n4,
          nOut,
          ds,
          n4,
          1,
          x[11],
          x[12],
          x[14] + 4 * r0 * nOut,
          nOut,
          0,
          t.workspace,
          0,
          Math.ceil(nOut / 8),
        );
      }
      continue;
    }
    if (kind === COL_SUM) {
      elementwiseOf(t, a[0]).colSum(i32[i + 1], i32[i + 2], i32[i + 3], i32[i + 4], i32[i + 5]);
      continue;
    }
    if (kind === GEMM_PACKED) {
      const packed = t.gemmPacked[a[0]];
      if (!packed) throw new Error(`kernel thread: packed GEMM variant ${a[0]} is not available on this thread`);
      packed(
        i32[i + 1],
        i32[i + 2],
        i32[i + 3],
        i32[i + 4],
        i32[i + 5],
        i32[i + 6],
        i32[i + 7],
        i32[i + 8],
        i32[i + 9],
        i32[i + 10],
        i32[i + 11],
        t.workspace,
        i32[i + 12],
        i32[i + 13],
      );
      continue;
    }
    g(
      i32[i + 1],
      i32[i + 2],
      i32[i + 3],
      i32[i + 4],
      i32[i + 5],
      i32[i + 6],
      i32[i + 7],
      i32[i + 8],
      i32[i + 9],
      i32[i + 10],
      i32[i + 11],
      t.workspace,
    );
  }
}
