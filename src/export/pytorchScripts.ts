import type { ModelSpec } from '../modelFile/spec';
import { pyComment, pyDocText } from './pythonText';

/** verify.py: Glassbox's weights and saved inputs through model.py, compared with Glassbox's saved outputs. */
export function verifyPython(spec: ModelSpec): string {
  return `"""Checks that model.py computes what Glassbox computes for ${pyDocText(spec.name)}.

Loads weights.npz into model.Model, runs the saved inputs (verify_inputs.npy: the first test rows)
in evaluation mode and compares with Glassbox's outputs for the same rows (verify_outputs.npy).
Prints the largest difference; exits 1 when it is over the tolerance, which scales with the
outputs' size: tolerance * max(1, largest |output|).

    python3 verify.py [--tolerance 1e-5]
"""
import argparse
import os
import sys

import numpy as np
import torch

from model import create_model, load_weights

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\\n')[0])
    parser.add_argument('--tolerance', type=float, default=1e-5)
    parser.add_argument('--weights', default=os.path.join(HERE, 'weights.npz'))
    args = parser.parse_args()
    model = create_model()
    load_weights(model, args.weights)
    model.eval()
    x = torch.from_numpy(np.load(os.path.join(HERE, 'verify_inputs.npy')))
    expected = np.load(os.path.join(HERE, 'verify_outputs.npy'))
    with torch.no_grad():
        y = model(x).numpy()
    if y.shape != expected.shape:
        print(f'shape mismatch: PyTorch {y.shape}, Glassbox {expected.shape}')
        return 1
    diff = float(np.abs(y.astype(np.float64) - expected.astype(np.float64)).max())
    scale = max(1.0, float(np.abs(expected).max()))
    ok = diff <= args.tolerance * scale
    print(f'verify: {x.shape[0]} rows, outputs {list(y.shape[1:])}, largest difference {diff:.3e} '
          f'(largest |output| {scale:.3g}, tolerance {args.tolerance:g} x {scale:.3g}): '
          f'{"OK" if ok else "TOO LARGE"}')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
`;
}

export interface ReadmeFacts {
  readonly weightsFrom: string;
  readonly differences: readonly string[];
  readonly noTrain?: string;
  readonly rows: number;
}

/** README.md: what each file is and the exact commands. */
export function readmeText(spec: ModelSpec, f: ReadmeFacts): string {
  const name = pyComment(spec.name);
  const lines = [
    `# ${name} in PyTorch`,
    '',
    `Exported by \`glassbox export --pytorch\` from the Glassbox model file *${name}*. Needs Python 3 with`,
    'PyTorch and NumPy (Debian: `apt-get install python3-torch python3-numpy`).',
    '',
    '| File | What it is |',
    '|---|---|',
    "| `model.py` | `Model`, an `nn.Module` computing what Glassbox's layers compute, with Glassbox's parameter names; `load_weights`, `save_weights` |",
    `| \`weights.npz\` | The weights (\`np.load\` reads them), from ${pyComment(f.weightsFrom)} |`,
    `| \`verify_inputs.npy\`, \`verify_outputs.npy\` | The first ${f.rows} test rows and Glassbox's outputs for them |`,
    '| `verify.py` | Runs the inputs through `model.py` with `weights.npz` and prints the largest difference |',
  ];
  if (!f.noTrain)
    lines.push(
      '| `train.py` | Trains the model as the model file says (data, loss, optimizer, batch size, epochs, evaluation, metrics) and saves `trained.npz` in the same layout |',
    );
  lines.push(
    '',
    '## Commands',
    '',
    '```sh',
    'python3 verify.py                       # largest difference; exit 1 over 1e-5 × max(1, |output|)',
  );
  if (!f.noTrain)
    lines.push(
      'python3 train.py                        # one process (CPU, or --device cuda)',
      'python3 train.py --epochs 1             # fewer epochs',
      'torchrun --nproc_per_node=2 train.py    # DistributedDataParallel, gloo on CPU (nccl with --device cuda)',
      "# Debian's PyTorch 1.13 on Python 3.11: its torchrun fails in Std.from_str; this works around it:",
      'torchrun --nproc_per_node=2 --redirects 1 --tee 1 train.py',
      'npx glassbox import trained.npz --into MODEL.nn.json   # back into Glassbox as a run record',
    );
  lines.push('```', '');
  if (f.noTrain) lines.push(`No \`train.py\`: ${f.noTrain}`, '');
  if (f.differences.length) {
    lines.push('## Differences from Glassbox', '');
    for (const d of f.differences) lines.push(`- ${d}`);
    lines.push('');
  }
  return lines.join('\n');
}
