import { conv2dInfo, pool2dInfo, type Padding2d, type Size2d, size2d } from '../engine/conv/convShape';
import type { Shape } from '../engine';
import { layerKind } from '../modelFile/layerRegistry';
import type { LayerSpec, ModelSpec } from '../modelFile/spec';
import { pyBool, pyComment, pyDocText, pyNumber, pyString } from './pythonText';
import { PYTORCH_LAYERS } from './pytorchLayers';

/** One layer as model.py builds it: the constructor call and the comment above it. */
interface PythonLayer {
  readonly comment: string;
  readonly call: string;
}

/** A layer's Glassbox name: the file's `name`, or `<type><index + 1>` as the engine names it. */
export const layerName = (l: LayerSpec, i: number): string => l.name ?? `${l.type}${i + 1}`;

const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;
const pair = (v: readonly number[]) => `(${v.map(pyNumber).join(', ')})`;
/** An activation (or init) name, checked against the engine's list before it becomes a string literal. */
const word = (v: unknown, allowed: readonly string[], what: string): string => {
  if (typeof v !== 'string' || !allowed.includes(v)) throw new Error(`unsupported ${what} ${JSON.stringify(v)}`);
  return pyString(v);
};
const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax'];
const INITS = ['standard', 'glorot', 'he', 'glorotBook', 'pytorch'];

/** F.pad's (left, right, top, bottom) from the engine's geometry. */
const padOf = (i: { padLeft: number; padRight: number; padTop: number; padBottom: number }) =>
  pair([i.padLeft, i.padRight, i.padTop, i.padBottom]);

function pythonLayer(l: LayerSpec, index: number, input: Shape, output: Shape): PythonLayer {
  const a = l.args as Record<string, unknown>;
  const kind = layerKind(l.type);
  const describe = kind ? kind.descriptor.describe(a) : '';
  const comment = pyComment(
    `${index + 1}. ${layerName(l, index)} (${l.type}${describe ? `: ${describe}` : ''}): ${fmtShape(input)} -> ${fmtShape(output)}`,
  );
  const act = () =>
    `activation=${word(a.activation ?? 'linear', ACTIVATIONS, 'activation')}, alpha=${pyNumber(a.alpha ?? 0.01)}`;
  switch (l.type) {
    case 'dense':
      return {
        comment,
        call:
          `Dense(${pyNumber(input[0])}, ${pyNumber(a.units)}, ${act()}, init=${word(a.init ?? 'standard', INITS, 'init')}, ` +
          `keep_prob=${pyNumber(a.keepProb ?? 1)}, use_bias=${pyBool(a.useBias ?? true)})`,
      };
    case 'conv2d': {
      const [kh, kw] = size2d(a.kernelSize as Size2d, 'kernelSize', 'conv2d');
      const info = conv2dInfo(
        'conv2d',
        input,
        [a.filters as number, input[0], kh, kw],
        (a.stride ?? 1) as Size2d,
        (a.padding ?? 'same') as Padding2d,
      );
      return {
        comment,
        call:
          `Conv2d(${pyNumber(input[0])}, ${pyNumber(a.filters)}, kernel=${pair([kh, kw])}, ` +
          `stride=${pair([info.strideHeight, info.strideWidth])}, pad=${padOf(info)}, ${act()}, ` +
          `init=${word(a.init ?? 'standard', INITS, 'init')}, keep_prob=${pyNumber(a.keepProb ?? 1)}, ` +
          `use_bias=${pyBool(a.useBias ?? true)}, flatten=${pyBool(a.flatten ?? false)})`,
      };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      const info = pool2dInfo(
        l.type,
        input,
        a.kernelSize as Size2d,
        a.stride as Size2d | undefined,
        (a.padding ?? 0) as Padding2d,
      );
      const cls = l.type === 'maxPool2d' ? 'MaxPool2d' : 'AvgPool2d';
      return {
        comment,
        call: `${cls}(kernel=${pair([info.kernelHeight, info.kernelWidth])}, stride=${pair([info.strideHeight, info.strideWidth])}, pad=${padOf(info)})`,
      };
    }
    case 'flatten':
      return { comment, call: 'Flatten()' };
    case 'reshape':
      return { comment, call: `Reshape(${pair(a.shape as number[])})` };
    case 'batchNorm':
      return {
        comment,
        call: `BatchNorm(${pyNumber(input[0])}, momentum=${pyNumber(a.momentum ?? 0.1)}, eps=${pyNumber(a.eps ?? 1e-5)}, ${act()})`,
      };
    case 'rnn':
    case 'lstm':
    case 'gru': {
      const cls = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' }[l.type];
      const scale = a.weightScale === undefined ? 'None' : pyNumber(a.weightScale);
      return {
        comment,
        call: `${cls}(${pyNumber(input[1])}, ${pyNumber(a.hiddenSize)}, ${pyNumber(a.outputSize)}, weight_scale=${scale})`,
      };
    }
    default:
      throw new Error(`layer kind '${l.type}' has no PyTorch form in this exporter`);
  }
}

/**
 * model.py: the layer library (pytorchLayers.ts), then `Model`, whose `layers` ModuleList holds
 * one module per model-file layer in order, so state-dict keys are `layers.<index>.<parameter>`
 * with Glassbox's parameter names (W, B, gamma, W_f, …) and layouts.
 * `shapes[i]` is layer i's output shape; `inputShape` one example's input.
 */
export function modelPython(
  spec: ModelSpec,
  inputShape: Shape,
  shapes: readonly Shape[],
  differences: readonly string[],
): string {
  const layers = spec.layers.map((l, i) => pythonLayer(l, i, i === 0 ? inputShape : shapes[i - 1], shapes[i]));
  const header = [
    `"""${pyDocText(spec.name)}: a PyTorch module equivalent to the Glassbox model file.`,
    '',
    'Generated by `glassbox export --pytorch`. Each layer computes what the Glassbox engine computes,',
    "with Glassbox's parameter names and layouts (dense W is [in, units]: x @ W + B), so the state",
    "dict's keys are layers.<index>.<parameter> and weights.npz loads without Glassbox.",
    '"""',
  ];
  const lines = [...header];
  if (spec.description) lines.push(`# ${pyComment(spec.description)}`);
  if (differences.length) {
    lines.push('#', '# DIFFERENCES FROM THE GLASSBOX MODEL FILE:');
    for (const d of differences) lines.push(`#   - ${pyComment(d, 300)}`);
  }
  lines.push(
    'import math',
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    `# One example's input shape (without the batch axis) and the model file's precision.`,
    `INPUT_SHAPE = ${pair(inputShape)}`,
    `DTYPE = torch.${spec.precision}`,
    PYTORCH_LAYERS,
    '',
    'class Model(nn.Module):',
    `    """${pyDocText(spec.name)}, layer by layer as in the model file."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.layers = nn.ModuleList([',
  );
  for (const l of layers) lines.push(`            # ${l.comment}`, `            ${l.call},`);
  lines.push(
    '        ])',
    '',
    '    def forward(self, x):',
    '        for layer in self.layers:',
    '            x = layer(x)',
    '        return x',
    '',
    '',
    'def create_model(seed=None):',
    `    """A freshly initialised model in the model file's precision (seed: torch's RNG)."""`,
    '    if seed is not None:',
    '        torch.manual_seed(seed)',
    '    return Model().to(DTYPE)',
    '',
  );
  return lines.join('\n');
}
