/** A small valid model file on Boston, with fields overridable per test. */
export function bostonModel(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      name: 'tiny',
      profile: 'modern',
      precision: 'float64',
      seed: 3,
      data: 'boston',
      layers: [
        { type: 'dense', units: 4, activation: 'tanh' },
        { type: 'dense', units: 1 },
      ],
      loss: 'meanSquaredError',
      optimizer: { type: 'sgd', lr: 0.01 },
      training: { epochs: 5, batchSize: 32, evalEvery: 1 },
      ...overrides,
    },
    null,
    2,
  );
}
