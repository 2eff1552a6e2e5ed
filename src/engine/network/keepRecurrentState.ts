import { RecurrentLayer } from '../layers/recurrentLayer';
import type { NeuralNetwork } from './neuralNetwork';

/**
 * Runs `fn` (an extra forward pass: telemetry's probe, say) and puts back the state each built
 * recurrent layer carries between calls. In 'carry' mode every forward replaces that state (the
 * book's RNN layers do), so a look inside the network must not change what training sees next.
 */
export function keepingRecurrentState<T>(network: NeuralNetwork, fn: () => T): T {
  const recurrent = network.layers.filter((l): l is RecurrentLayer => l instanceof RecurrentLayer && l.isBuilt);
  const saved = recurrent.map((l) => l.carriedState);
  try {
    return fn();
  } finally {
    recurrent.forEach((l, i) => {
      l.carriedState = saved[i];
    });
  }
}
