import type { NeuralNetwork, Optimizer, TensorData, TrainerState } from '../engine';
import { DataError } from '../data/dataError';
import { decodeWeights, encodeWeights, NamedTensor, WeightsFile } from './weightsFormat';

/** Parameter tensors named `<layer>.<param>` (e.g. dense1.W), in `network.params()` order. */
export function parameterTensors(network: NeuralNetwork, values?: readonly TensorData[]): NamedTensor[] {
  const out: NamedTensor[] = [];
  let i = 0;
  for (const layer of network.layers) {
    for (const p of layer.params()) {
      out.push({ name: `${layer.name}.${p.name}`, shape: p.value.shape, data: values ? values[i] : p.value.data });
      i++;
    }
  }
  return out;
}

export function encodeParameters(
  network: NeuralNetwork,
  meta: Record<string, unknown>,
  values?: readonly TensorData[],
): Uint8Array {
  return encodeWeights(parameterTensors(network, values), { kind: 'weights', dtype: network.dtype, ...meta });
}

/** Values of a weights file in the network's parameter order, checked by name and size. */
export function parametersFrom(file: WeightsFile, network: NeuralNetwork, path: string, prefix = ''): TensorData[] {
  const expected = parameterTensors(network);
  return expected.map((e) => {
    const t = file.tensors.find((x) => x.name === prefix + e.name);
    if (!t || t.data.length !== e.data.length) {
      throw new DataError(
        path,
        {},
        `${t ? `tensor '${prefix + e.name}' has ${t.data.length} values` : `no tensor '${prefix + e.name}'`}; the model needs ${e.data.length} (${e.name} of shape [${e.shape.join(', ')}]); was the model file changed?`,
      );
    }
    return Float64Array.from(t.data as ArrayLike<number>) as TensorData;
  });
}

/**
 * Everything to continue training exactly after `state.epoch` epochs: parameters, optimizer
 * slots, early stopping's best weights, the RNG and the compounding row order.
 */
export function encodeCheckpoint(network: NeuralNetwork, optimizer: Optimizer, state: TrainerState): Uint8Array {
  const tensors: NamedTensor[] = parameterTensors(network);
  optimizer
    .exportState(network.params())
    .forEach((slots, i) =>
      slots.forEach((s, j) => tensors.push({ name: `optimizer/${i}/${j}`, shape: [s.length], data: s })),
    );
  if (state.best)
    parameterTensors(network, state.best.weights).forEach((t) => tensors.push({ ...t, name: `best/${t.name}` }));
  tensors.push(
    { name: 'rng/mt', shape: [624], data: state.rng.mt },
    { name: 'order', shape: [state.order.length], data: state.order },
  );
  return encodeWeights(tensors, {
    kind: 'checkpoint',
    dtype: network.dtype,
    epoch: state.epoch,
    optimizer: optimizer.name,
    lr: optimizer.lr,
    rngPos: state.rng.pos,
    rngCachedGauss: state.rng.cachedGauss,
    bestLoss: Number.isFinite(state.bestLoss) ? state.bestLoss : null,
    bestEpoch: state.best?.epoch ?? null,
  });
}

/** Restores parameters and optimizer state into a built network; returns the trainer state. */
export function restoreCheckpoint(
  bytes: Uint8Array,
  path: string,
  network: NeuralNetwork,
  optimizer: Optimizer,
): TrainerState {
  const file = decodeWeights(bytes, path);
  const m = file.meta;
  if (m.kind !== 'checkpoint') throw new DataError(path, {}, `expected a checkpoint, found a '${String(m.kind)}' file`);
  network.restore(parametersFrom(file, network, path));
  const params = network.params();
  const slots = params.map((_, i) =>
    file.tensors.filter((t) => t.name.startsWith(`optimizer/${i}/`)).map((t) => t.data as TensorData),
  );
  optimizer.importState(
    params,
    slots.map((s) => s.map((a) => (network.dtype === 'float64' ? Float64Array.from(a) : Float32Array.from(a)))),
  );
  const tensor = (name: string) => {
    const t = file.tensors.find((x) => x.name === name);
    if (!t) throw new DataError(path, {}, `checkpoint has no '${name}' tensor`);
    return t.data;
  };
  const hasBest = file.tensors.some((t) => t.name.startsWith('best/'));
  return {
    epoch: m.epoch as number,
    rng: {
      mt: Uint32Array.from(tensor('rng/mt')),
      pos: m.rngPos as number,
      cachedGauss: (m.rngCachedGauss as number | null) ?? null,
    },
    order: Int32Array.from(tensor('order')),
    bestLoss: typeof m.bestLoss === 'number' ? m.bestLoss : Infinity,
    best: hasBest
      ? {
          weights: parametersFrom(file, network, path, 'best/').map((w) =>
            network.dtype === 'float64' ? w : Float32Array.from(w),
          ),
          epoch: m.bestEpoch as number,
        }
      : null,
  };
}
