import { ValueError } from '../errors';
import { Linear, LeakyReLU, ReLU, Sigmoid, Tanh } from '../ops/activations';
import type { Operation } from '../ops/operation';
import { Softmax } from '../ops/softmax';
import type { Profile } from '../profile';

export type ActivationName = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'softmax';
export const ACTIVATION_NAMES: readonly ActivationName[] = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'softmax',
];

/** A fresh activation operation (never a shared default instance, unlike the book's `Linear()`). */
export function createActivation(name: ActivationName, profile: Profile, alpha?: number): Operation {
  switch (name) {
    case 'linear':
      return new Linear();
    case 'sigmoid':
      return new Sigmoid();
    case 'tanh':
      return new Tanh();
    case 'relu':
      return ReLU.forProfile(profile);
    case 'leakyRelu':
      return new LeakyReLU(alpha);
    case 'softmax':
      return new Softmax();
    default:
      throw new ValueError(`unknown activation '${String(name)}'; expected one of ${ACTIVATION_NAMES.join(', ')}`);
  }
}
