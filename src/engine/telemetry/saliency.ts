import type { NetworkTape } from '../network/neuralNetwork';
import type { Layer } from '../layers/layer';
import { RecurrentOperation } from '../recurrent/recurrentOperation';
import { Tensor } from '../tensor/tensor';

/**
 * What drives one output of the network for one example (Simonyan et al. 2013, "Deep inside
 * convolutional networks"; Grad-CAM's channel weights, Selvaraju et al. 2017):
 * - `input`: ∂y_c/∂x, the gradient of output c (the class's score: the logit, before any softmax
 *   the loss applies) with respect to the input, in the input's shape [1, ...];
 * - `maps[i]`: for a layer whose output is a stack of feature maps [1, C, H, W], per channel the
 *   sum over the map of activation × ∂y_c/∂activation (C values: how much each map pushes the
 *   score up or down); undefined for other layers.
 */
export interface Saliency {
  readonly cls: number;
  readonly input: Float32Array;
  readonly maps: readonly (Float32Array | undefined)[];
}

/** Whether `saliency` applies: one example, a [1, outputs] output, no recurrent layer. */
export function saliencyApplies(layers: readonly Layer[], output: Tensor): boolean {
  return (
    output.rank === 2 &&
    output.shape[0] === 1 &&
    !layers.some((l) => l.ops.some((op) => op instanceof RecurrentOperation))
  );
}

/**
 * Backpropagates the seed e_c (one at output `cls`, zero elsewhere) through an inference forward's
 * tape, input gradients only: parameter gradients, optimizer state and the random stream are not
 * touched, so it can run between training batches. `y`: the forward's output [1, outputs];
 * `cls` < 0 picks the largest output (the predicted class).
 */
export function saliency(layers: readonly Layer[], y: Tensor, tape: NetworkTape, cls: number): Saliency {
  const outputs = y.shape[1];
  let c = cls;
  if (c < 0 || c >= outputs) {
    c = 0;
    for (let k = 1; k < outputs; k++) if (y.data[k] > y.data[c]) c = k;
  }
  let g = Tensor.zeros(y.shape, y.dtype);
  g.data[c] = 1;
  const maps: (Float32Array | undefined)[] = new Array(layers.length).fill(undefined);
  for (let i = layers.length - 1; i >= 0; i--) {
    const ctxs = tape.layers[i].ops;
    const ops = layers[i].ops;
    // The layer's maps: its last [1, C, H, W] output (a conv's, before a flatten or dropout), as the Probe tab draws.
    let pick = -1;
    for (let k = ctxs.length - 1; k >= 0 && pick < 0; k--) if (ctxs[k].y.rank === 4) pick = k;
    for (let k = ops.length - 1; k >= 0; k--) {
      if (k === pick) maps[i] = channelImportance(ctxs[k].y, g);
      g = ops[k].backwardInput(g, ctxs[k]);
    }
  }
  return { cls: c, input: Float32Array.from(g.data), maps };
}

/** Per channel c of a [1, C, H, W] activation a and its gradient g: Σ_hw a·g. */
function channelImportance(a: Tensor, g: Tensor): Float32Array {
  const [, channels, h, w] = a.shape;
  const out = new Float32Array(channels);
  const hw = h * w;
  for (let ch = 0; ch < channels; ch++) {
    let s = 0;
    for (let k = ch * hw; k < (ch + 1) * hw; k++) s += a.data[k] * g.data[k];
    out[ch] = s;
  }
  return out;
}
