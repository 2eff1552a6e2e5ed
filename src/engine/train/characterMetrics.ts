import type { Tensor } from '../tensor/tensor';

/** Cross-entropy per character (nats, bits) and next-character accuracy of logits [rows, T, V]. */
export function characterMetrics(logits: Tensor, target: Tensor): Record<string, number> {
  const v = logits.shape[2];
  const positions = logits.size / v;
  const x = logits.data,
    y = target.data;
  let nats = 0,
    hits = 0;
  for (let r = 0; r < positions; r++) {
    const o = r * v;
    let max = -Infinity,
      arg = 0,
      truth = 0;
    for (let j = 0; j < v; j++) {
      if (x[o + j] > max) {
        max = x[o + j];
        arg = j;
      }
      if (y[o + j] === 1) truth = j;
    }
    let z = 0;
    for (let j = 0; j < v; j++) z += Math.exp(x[o + j] - max);
    nats += max + Math.log(z) - x[o + truth];
    if (arg === truth) hits++;
  }
  const ce = nats / positions;
  return { crossEntropy: ce, bitsPerChar: ce / Math.LN2, perplexity: Math.exp(ce), accuracy: hits / positions };
}
