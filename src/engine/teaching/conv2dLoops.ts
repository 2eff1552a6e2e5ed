/**
 * Chapter 5, 2-D and multi-channel convolutions from first principles: the book notebook's loops
 * (05_convolutions/Code.ipynb; book-parity §6.6) on nested arrays, indexed exactly as the
 * NumPy code is (`out[cOut][oW][oH]`), in the same loop order, so every floating-point sum is
 * accumulated in the order the notebook accumulated it. Square images, odd square kernels,
 * "same" zero padding (pad = k // 2), stride 1, as the notebook assumes.
 *
 * Multi-channel parameters use the book's layout [inChannels, outChannels, k, k]; the engine's
 * Conv2dOp uses PyTorch's [outChannels, inChannels, kh, kw].
 */
export type Mat = number[][];
export type Vol = number[][][];

const zeros2 = (h: number, w: number): Mat => Array.from({ length: h }, () => new Array<number>(w).fill(0));
const zeros3 = (c: number, h: number, w: number): Vol => Array.from({ length: c }, () => zeros2(h, w));

/** `_pad_2d_obs`: `num` rows and columns of zeros around one square image. */
export function pad2dObs(inp: Mat, num: number): Mat {
  const out = zeros2(inp.length + 2 * num, inp[0].length + 2 * num);
  inp.forEach((row, i) => row.forEach((v, j) => (out[i + num][j + num] = v)));
  return out;
}

/** `_pad_2d`: pads every image of a batch [B, H, W]. */
export function pad2d(inp: Vol, num: number): Vol {
  return inp.map((obs) => pad2dObs(obs, num));
}

/** `_compute_output_obs_2d`: out[oW][oH] = Σ_{pW,pH} param[pW][pH] · obsPad[oW + pW][oH + pH]. */
export function computeOutputObs2d(obs: Mat, param: Mat): Mat {
  const k = param.length;
  const obsPad = pad2dObs(obs, Math.floor(k / 2));
  const out = zeros2(obs.length, obs[0].length);
  for (let oW = 0; oW < out.length; oW++)
    for (let oH = 0; oH < out[0].length; oH++)
      for (let pW = 0; pW < k; pW++)
        for (let pH = 0; pH < k; pH++) out[oW][oH] += param[pW][pH] * obsPad[oW + pW][oH + pH];
  return out;
}

/** `_compute_output_2d`: one image at a time. */
export function computeOutput2d(imgBatch: Vol, param: Mat): Vol {
  return imgBatch.map((obs) => computeOutputObs2d(obs, param));
}

/** `_compute_grads_obs_2d`: the input gradient, with the kernel walked backwards (k − p − 1). */
export function computeGradsObs2d(inputObs: Mat, outputGradObs: Mat, param: Mat): Mat {
  const k = param.length;
  const outputObsPad = pad2dObs(outputGradObs, Math.floor(k / 2));
  const inputGrad = zeros2(inputObs.length, inputObs[0].length);
  for (let iW = 0; iW < inputObs.length; iW++)
    for (let iH = 0; iH < inputObs[0].length; iH++)
      for (let pW = 0; pW < k; pW++)
        for (let pH = 0; pH < k; pH++)
          inputGrad[iW][iH] += outputObsPad[iW + k - pW - 1][iH + k - pH - 1] * param[pW][pH];
  return inputGrad;
}

/** `_compute_grads_2d`: the input gradient of every image. */
export function computeGrads2d(inp: Vol, outputGrad: Vol, param: Mat): Vol {
  return inp.map((obs, i) => computeGradsObs2d(obs, outputGrad[i], param));
}

/** `_param_grad_2d`: dL/dparam[pW][pH] = Σ_{i,oW,oH} inpPad[i][oW + pW][oH + pH] · outputGrad[i][oW][oH]. */
export function paramGrad2d(inp: Vol, outputGrad: Vol, param: Mat): Mat {
  const k = param.length;
  const inpPad = pad2d(inp, Math.floor(k / 2));
  const paramGrad = zeros2(k, k);
  for (let i = 0; i < inp.length; i++)
    for (let oW = 0; oW < outputGrad[0].length; oW++)
      for (let oH = 0; oH < outputGrad[0][0].length; oH++)
        for (let pW = 0; pW < k; pW++)
          for (let pH = 0; pH < k; pH++) paramGrad[pW][pH] += inpPad[i][oW + pW][oH + pH] * outputGrad[i][oW][oH];
  return paramGrad;
}

/** `_compute_output_obs`: obs [Cin, H, W], param [Cin, Cout, k, k] → out [Cout, H, W]. */
export function computeOutputObs(obs: Vol, param: Vol[]): Vol {
  const k = param[0][0].length;
  const obsPad = obs.map((channel) => pad2dObs(channel, Math.floor(k / 2)));
  const [inChannels, outChannels, size] = [param.length, param[0].length, obs[0].length];
  const out = zeros3(outChannels, size, size);
  for (let cIn = 0; cIn < inChannels; cIn++)
    for (let cOut = 0; cOut < outChannels; cOut++)
      for (let oW = 0; oW < size; oW++)
        for (let oH = 0; oH < size; oH++)
          for (let pW = 0; pW < k; pW++)
            for (let pH = 0; pH < k; pH++)
              out[cOut][oW][oH] += param[cIn][cOut][pW][pH] * obsPad[cIn][oW + pW][oH + pH];
  return out;
}

/** `_output`: a batch [B, Cin, H, W] → [B, Cout, H, W]. */
export function output(inp: Vol[], param: Vol[]): Vol[] {
  return inp.map((obs) => computeOutputObs(obs, param));
}

/** `_compute_grads_obs`: the input gradient of one observation [Cin, H, W]. */
export function computeGradsObs(inputObs: Vol, outputGradObs: Vol, param: Vol[]): Vol {
  const k = param[0][0].length;
  const outputObsPad = outputGradObs.map((channel) => pad2dObs(channel, Math.floor(k / 2)));
  const inputGrad = zeros3(inputObs.length, inputObs[0].length, inputObs[0][0].length);
  for (let cIn = 0; cIn < inputObs.length; cIn++)
    for (let cOut = 0; cOut < param[0].length; cOut++)
      for (let iW = 0; iW < inputObs[0].length; iW++)
        for (let iH = 0; iH < inputObs[0][0].length; iH++)
          for (let pW = 0; pW < k; pW++)
            for (let pH = 0; pH < k; pH++)
              inputGrad[cIn][iW][iH] += outputObsPad[cOut][iW + k - pW - 1][iH + k - pH - 1] * param[cIn][cOut][pW][pH];
  return inputGrad;
}

/** `_input_grad`: the input gradient of a batch. */
export function inputGrad(inp: Vol[], outputGrad: Vol[], param: Vol[]): Vol[] {
  return inp.map((obs, i) => computeGradsObs(obs, outputGrad[i], param));
}

/** `_param_grad`: dL/dparam [Cin, Cout, k, k], summed over the batch. */
export function paramGrad(inp: Vol[], outputGrad: Vol[], param: Vol[]): Vol[] {
  const k = param[0][0].length;
  const inpPad = inp.map((obs) => obs.map((channel) => pad2dObs(channel, Math.floor(k / 2))));
  const grad = param.map((byOut) => byOut.map(() => zeros2(k, k)));
  const [outH, outW] = [outputGrad[0][0].length, outputGrad[0][0][0].length];
  for (let i = 0; i < inp.length; i++)
    for (let cIn = 0; cIn < param.length; cIn++)
      for (let cOut = 0; cOut < param[0].length; cOut++)
        for (let oW = 0; oW < outH; oW++)
          for (let oH = 0; oH < outW; oH++)
            for (let pW = 0; pW < k; pW++)
              for (let pH = 0; pH < k; pH++)
                grad[cIn][cOut][pW][pH] += inpPad[i][cIn][oW + pW][oH + pH] * outputGrad[i][cOut][oW][oH];
  return grad;
}
