import { assertValue } from '../errors';
import type { ForwardMode } from '../ops/operation';
import { Tensor } from '../tensor/tensor';
import type { NeuralNetwork } from './neuralNetwork';

/**
 * Inference-mode output of layer `layerIndex` for every row of x: [rows, ...that layer's output
 * shape], e.g. the autoencoder's encoding [rows, 28]. Runs only the layers up to it, in chunks of
 * rows (the network's inference chunk) so memory stays bounded. The network must be built.
 */
export function layerActivations(network: NeuralNetwork, x: Tensor, layerIndex: number): Tensor {
  assertValue(
    Number.isInteger(layerIndex) && layerIndex >= 0 && layerIndex < network.layers.length,
    () => `layerActivations: layer index ${layerIndex} is not in 0..${network.layers.length - 1}`,
  );
  assertValue(network.isBuilt, () => 'layerActivations: the network is not built (train or build it first)');
  const input = x.dtype === network.dtype ? x : x.astype(network.dtype);
  const mode: ForwardMode = { training: false, rng: network.rng, profile: network.profile };
  const n = input.shape[0];
  const rowSize = input.size / n;
  const chunk = network.inferenceChunk(input.shape.slice(1));
  let out: Tensor | undefined;
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    let h = new Tensor([rows, ...input.shape.slice(1)], input.data.subarray(start * rowSize, (start + rows) * rowSize));
    for (let i = 0; i <= layerIndex; i++) h = network.layers[i].forward(h, mode).y;
    if (!out) out = Tensor.zeros([n, ...h.shape.slice(1)], h.dtype);
    out.data.set(h.data, start * (h.size / rows));
  }
  return out as Tensor;
}
