/**
 * Chapter 5, 1-D convolutions from first principles: a line-by-line transcription of the
 * book's notebook loops (SethHWeidman/DLFS_code 05_convolutions/Code.ipynb; book-parity §6.6),
 * on plain arrays so a learner can step through every index. Not used by the engine's layers.
 *
 * Every convolution here is a cross-correlation with "same" zero padding (pad = k // 2) and
 * stride 1:  out[o] = Σ_p param[p] · inpPad[o + p].
 */

/** `_pad_1d`: `num` zeros on each side. [1,2,3,4,5] with num 1 → [0,1,2,3,4,5,0]. */
export function pad1d(inp: readonly number[], num: number): number[] {
  const z = new Array<number>(num).fill(0);
  return [...z, ...inp, ...z];
}

/** `conv_1d`: output has the input's length. */
export function conv1d(inp: readonly number[], param: readonly number[]): number[] {
  const paramLen = param.length;
  const inpPad = pad1d(inp, Math.floor(paramLen / 2));
  const out = new Array<number>(inp.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    for (let p = 0; p < paramLen; p++) out[o] += param[p] * inpPad[o + p];
  }
  return out;
}

/** `conv_1d_sum`: the "loss" L = Σ out, whose gradient with respect to out is all ones. */
export function conv1dSum(inp: readonly number[], param: readonly number[]): number {
  return conv1d(inp, param).reduce((s, v) => s + v, 0);
}

/** `_param_grad_1d`: dL/dparam[p] = Σ_o inpPad[o + p] · outputGrad[o] (outputGrad defaults to ones). */
export function paramGrad1d(
  inp: readonly number[],
  param: readonly number[],
  outputGrad?: readonly number[],
): number[] {
  const inputPad = pad1d(inp, Math.floor(param.length / 2));
  const g = outputGrad ?? inp.map(() => 1);
  const paramGrad = new Array<number>(param.length).fill(0);
  for (let o = 0; o < inp.length; o++) {
    for (let p = 0; p < param.length; p++) paramGrad[p] += inputPad[o + p] * g[o];
  }
  return paramGrad;
}

/**
 * `_input_grad_1d`: dL/dinp[o] = Σ_f outPad[o + k − f − 1] · param[f]. The index k − f − 1 walks
 * the kernel backwards: the input gradient of a cross-correlation is a convolution with the
 * flipped kernel (lincoln's vectorised Conv2D_Op forgets this flip; this loop does not).
 */
export function inputGrad1d(
  inp: readonly number[],
  param: readonly number[],
  outputGrad?: readonly number[],
): number[] {
  const paramLen = param.length;
  const outputPad = pad1d(outputGrad ?? inp.map(() => 1), Math.floor(paramLen / 2));
  const inputGrad = new Array<number>(inp.length).fill(0);
  for (let o = 0; o < inp.length; o++) {
    for (let f = 0; f < paramLen; f++) inputGrad[o] += outputPad[o + paramLen - f - 1] * param[f];
  }
  return inputGrad;
}

/** `_pad_1d_batch`: pads every row. */
export function pad1dBatch(inp: readonly (readonly number[])[], num: number): number[][] {
  return inp.map((obs) => pad1d(obs, num));
}

/** `conv_1d_batch`: one conv1d per row. */
export function conv1dBatch(inp: readonly (readonly number[])[], param: readonly number[]): number[][] {
  return inp.map((obs) => conv1d(obs, param));
}

/** `conv_1d_batch_sum`. */
export function conv1dBatchSum(inp: readonly (readonly number[])[], param: readonly number[]): number {
  return conv1dBatch(inp, param).reduce((s, row) => row.reduce((t, v) => t + v, s), 0);
}

/** `input_grad_1d_batch`: the input gradient of every row, output gradient all ones. */
export function inputGrad1dBatch(inp: readonly (readonly number[])[], param: readonly number[]): number[][] {
  return inp.map((obs) => inputGrad1d(obs, param));
}

/**
 * `param_grad_1d_batch`: the parameter gradient summed over the batch, output gradient all ones.
 * As in the notebook the padding is hard-coded to 1, so this is right only for kernels of size 3.
 */
export function paramGrad1dBatch(inp: readonly (readonly number[])[], param: readonly number[]): number[] {
  const inpPad = pad1dBatch(inp, 1);
  const paramGrad = new Array<number>(param.length).fill(0);
  for (let i = 0; i < inp.length; i++) {
    for (let o = 0; o < inp[i].length; o++) {
      for (let p = 0; p < param.length; p++) paramGrad[p] += inpPad[i][o + p] * 1;
    }
  }
  return paramGrad;
}
