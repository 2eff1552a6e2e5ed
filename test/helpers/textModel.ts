/** A small character text (public-domain verse, composed for tests) and a text model file around it. */
export const TEXT = `Tyger Tyger, burning bright,
In the forests of the night;
What immortal hand or eye,
Could frame thy fearful symmetry?
Little Lamb who made thee
Dost thou know who made thee
Gave thee life and bid thee feed,
By the stream and o'er the mead;
`.repeat(3);

/** A text model file (JSON) with `data.path` = text.txt beside it; `over` replaces top-level sections. */
export function textModel(over: Record<string, unknown> = {}): string {
  const m: Record<string, unknown> = {
    name: 'text-test',
    seed: 3,
    data: { type: 'text', path: 'text.txt', sequenceLength: 8, validationFraction: 0.2 },
    layers: [{ type: 'lstm', hiddenSize: 16 }],
    loss: 'sequenceSoftmaxCrossEntropy',
    optimizer: { type: 'adam', lr: 0.01, clip: 5 },
    training: { iterations: 40, batchSize: 4, evalEvery: 20, sampleEvery: 20, sampleLength: 30, sampleSeedText: 'The' },
    ...over,
  };
  return JSON.stringify(m, null, 2) + '\n';
}
