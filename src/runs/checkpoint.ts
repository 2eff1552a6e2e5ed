import type { NeuralNetwork, Optimizer, TensorData, TrainerState } from '../engine';
import { DataError } from '../data/dataError';
import { fingerprintDifference, type ModelFingerprint } from './modelFingerprint';
import { decodeWeights, encodeWeights, NamedTensor, WeightsFile } from './weightsFormat';
import { t } from '../l10n';

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

/**
 * The layers' state tensors named `<layer>.<name>` (e.g. rnn1.H, bn1.runningMean), from the network
 * or from the tail of a `snapshot()` (after the parameters); none when the snapshot has no state.
 */
export function stateTensors(network: NeuralNetwork, snapshot?: readonly TensorData[]): NamedTensor[] {
  const state = network.state();
  const offset = network.params().length;
  if (snapshot && snapshot.length !== offset + state.length) return [];
  return state.map((s, i) => ({ name: s.name, shape: s.shape, data: snapshot ? snapshot[offset + i] : s.data }));
}

/** The model as a weights file stores it: parameters, then the layers' state (from the network or a snapshot). */
export function modelTensors(network: NeuralNetwork, snapshot?: readonly TensorData[]): NamedTensor[] {
  return [...parameterTensors(network, snapshot), ...stateTensors(network, snapshot)];
}

export function encodeParameters(
  network: NeuralNetwork,
  meta: Record<string, unknown>,
  snapshot?: readonly TensorData[],
): Uint8Array {
  return encodeWeights(modelTensors(network, snapshot), { kind: 'weights', dtype: network.dtype, ...meta });
}

/** Values of a weights file in the network's parameter order, checked by name and size. */
export function parametersFrom(file: WeightsFile, network: NeuralNetwork, path: string, prefix = ''): TensorData[] {
  const expected = parameterTensors(network);
  return expected.map((e) => {
    const found = file.tensors.find((x) => x.name === prefix + e.name);
    if (!found || found.data.length !== e.data.length) {
      throw new DataError(
        path,
        {},
        (found
          ? t("tensor '{0}' has {1} values", prefix + e.name, found.data.length)
          : t("no tensor '{0}'", prefix + e.name)) +
          t(
            '; the model needs {0} ({1} of shape [{2}]); was the model file changed?',
            e.data.length,
            e.name,
            e.shape.join(', '),
          ),
      );
    }
    return Float64Array.from(found.data as ArrayLike<number>) as TensorData;
  });
}

/**
 * Values of the layers' state tensors in a weights file, in `network.state()` order, or null when
 * the file has none of them (written before layers had state: the state is then left as it is).
 */
export function stateFrom(file: WeightsFile, network: NeuralNetwork, path: string, prefix = ''): TensorData[] | null {
  const expected = network.state();
  const found = expected.map((e) => file.tensors.find((x) => x.name === prefix + e.name));
  if (expected.length === 0 || found.every((t) => !t)) return null;
  return expected.map((e, i) => {
    const tensor = found[i];
    if (!tensor || tensor.data.length !== e.data.length)
      throw new DataError(
        path,
        {},
        (tensor
          ? t("state tensor '{0}' has {1} values", prefix + e.name, tensor.data.length)
          : t("no state tensor '{0}'", prefix + e.name)) +
          t('; the model needs {0} (shape [{1}]); was the model file changed?', e.data.length, e.shape.join(', ')),
      );
    return Float64Array.from(tensor.data as ArrayLike<number>) as TensorData;
  });
}

/**
 * Everything to continue training exactly after `state.epoch` epochs: parameters, the layers'
 * state, optimizer slots, early stopping's best model, the RNG and the compounding row order.
 */
export function encodeCheckpoint(
  network: NeuralNetwork,
  optimizer: Optimizer,
  state: TrainerState,
  fingerprint?: ModelFingerprint,
): Uint8Array {
  const tensors: NamedTensor[] = modelTensors(network);
  optimizer
    .exportState(network.params())
    .forEach((slots, i) =>
      slots.forEach((s, j) => tensors.push({ name: `optimizer/${i}/${j}`, shape: [s.length], data: s })),
    );
  if (state.best)
    modelTensors(network, state.best.weights).forEach((t) => tensors.push({ ...t, name: `best/${t.name}` }));
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
    ...(fingerprint ? { model: fingerprint } : {}),
  });
}

/**
 * Restores parameters, the layers' state (when the checkpoint has it) and optimizer state into a
 * built network; returns the trainer state.
 */
export function restoreCheckpoint(
  bytes: Uint8Array,
  path: string,
  network: NeuralNetwork,
  optimizer: Optimizer,
  fingerprint?: ModelFingerprint,
): TrainerState {
  const file = decodeWeights(bytes, path);
  const m = file.meta;
  if (m.kind !== 'checkpoint')
    throw new DataError(path, {}, t("expected a checkpoint, found a '{0}' file", String(m.kind)));
  const changed = fingerprint && fingerprintDifference(m.model, fingerprint);
  if (changed) throw new DataError(path, {}, t('this checkpoint belongs to another model: {0}', changed));
  if (m.optimizer !== optimizer.name)
    throw new DataError(
      path,
      {},
      t('this checkpoint was written by {0}, the model uses {1}', String(m.optimizer), optimizer.name),
    );
  if (!Number.isInteger(m.epoch) || (m.epoch as number) < 1)
    throw new DataError(path, {}, t('its epoch {0} is not a positive integer', JSON.stringify(m.epoch)));
  network.restore(parametersFrom(file, network, path));
  const layerState = stateFrom(file, network, path);
  if (layerState) network.loadState(layerState);
  const params = network.params();
  const slots = params.map((_, i) =>
    file.tensors.filter((x) => x.name.startsWith(`optimizer/${i}/`)).map((x) => x.data as TensorData),
  );
  // An optimizer with state (momentum, AdaGrad's sums, Adam's moments) must find all of it: a fresh
  // start would resume to a different result without a word.
  if (optimizer.name !== 'SGD')
    params.forEach((p, i) => {
      if (slots[i].length === 0 || slots[i][0].length !== p.value.size)
        throw new DataError(
          path,
          {},
          t(
            'its {0} state for {1} is missing or has the wrong size: cannot resume exactly',
            optimizer.name,
            parameterTensors(network)[i].name,
          ),
        );
    });
  optimizer.importState(
    params,
    slots.map((s) => s.map((a) => (network.dtype === 'float64' ? Float64Array.from(a) : Float32Array.from(a)))),
  );
  const tensor = (name: string) => {
    const tensor = file.tensors.find((x) => x.name === name);
    if (!tensor) throw new DataError(path, {}, t("checkpoint has no '{0}' tensor", name));
    return tensor.data;
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
          weights: [
            ...parametersFrom(file, network, path, 'best/'),
            ...(stateFrom(file, network, path, 'best/') ?? []),
          ].map((w) => (network.dtype === 'float64' ? w : Float32Array.from(w))),
          epoch: m.bestEpoch as number,
        }
      : null,
  };
}
