import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadData } from '../data/dataSource';
import { isTextDataset, type NeuralNetwork, type Shape, Tensor } from '../engine';
import { buildModel } from '../modelFile/build';
import { parametersFrom, stateFrom } from '../runs/checkpoint';
import { decodeWeights } from '../runs/weightsFormat';
import { ExportError, type ExportSource } from './exportSource';
import { encodeNpy, encodeNpz, type NpyArray } from './npzFormat';
import { modelPython } from './pytorchModel';
import { trainPython, trainUnsupported } from './pytorchTrain';
import { readmeText, verifyPython } from './pytorchScripts';
import { t } from '../l10n';

/** Rows of the test set saved for verify.py. */
export const VERIFY_ROWS = 32;

export interface ExportResult {
  readonly outDir: string;
  readonly files: string[];
  /** Settings exported with a difference (also at the top of model.py). */
  readonly differences: string[];
  /** Why train.py was not written, when it was not. */
  readonly noTrain?: string;
  /** Where the weights came from. */
  readonly weightsFrom: string;
}

const line = (src: ExportSource, path: (string | number)[]) => src.source.rangeOf(path).start.line + 1;

/** Settings with no faithful PyTorch form: refused, naming the property and its line. */
function refusals(src: ExportSource): string[] {
  const s = src.spec;
  const out: string[] = [];
  if (s.profile === 'book')
    out.push(
      `${src.shownFile}:${line(src, ['profile'])}: ${t(
        '"profile": "book" reproduces the book\'s code quirks (lazy reseeded initialisation, keep-probability dropout without rescaling, the book\'s loss and momentum forms, the conv gradient bug); PyTorch has no faithful form of them. Export a copy with "profile": "modern".',
      )}`,
    );
  if (s.profile !== 'book' && s.quirks && Object.values(s.quirks).some((on) => on))
    out.push(
      `${src.shownFile}:${line(src, ['quirks'])}: ${t(
        '"quirks" switches on behaviours of the book\'s code that PyTorch has no faithful form of. Export a copy without them.',
      )}`,
    );
  s.layers.forEach((l, i) => {
    if (l.args.state === 'carry')
      out.push(
        `${src.shownFile}:${line(src, ['layers', i, 'state'])}: ${t(
          'layers[{0}].state "carry" (the batch mean of the previous batch\'s final state, with no gradient across batches) is not exported; use "zero".',
          i,
        )}`,
      );
  });
  return out;
}

/** Settings exported with a stated difference. */
function differencesOf(src: ExportSource): string[] {
  const spec = src.spec;
  const d: string[] = [];
  d.push(
    "initialisation: train.py draws the initial weights with torch's random generator from the same distributions (same scheme per layer), not the same numbers as Glassbox; weights.npz holds Glassbox's own values.",
  );
  if (spec.data.type === 'text')
    d.push(
      'character models: train.py draws the same ordered batches and reports the same validation metrics, but writes no text samples (sampleEvery).',
    );
  else
    d.push(
      "shuffling: train.py shuffles rows with torch's generator (DistributedSampler under torchrun), not Glassbox's NumPy-legacy permutation, so batches differ.",
    );
  if (spec.training.evalEveryBatches)
    d.push(
      `${src.shownFile}:${line(src, ['training', 'evalEveryBatches'])}: training.evalEveryBatches ${spec.training.evalEveryBatches}: train.py evaluates after epochs only (every evalEvery epochs and after the last), not every ${spec.training.evalEveryBatches} batches.`,
    );
  if (spec.latent)
    d.push(
      `${src.shownFile}:${line(src, ['latent'])}: latent: train.py does not project the '${spec.latent.layer}' layer (no latent.json; glassbox train writes it).`,
    );
  return d;
}

function npyOf(t: Tensor, rows?: number): NpyArray {
  const n = rows ?? t.shape[0];
  const per = t.size / t.shape[0];
  const data = t.data.slice(0, n * per) as Float32Array | Float64Array;
  return { shape: [n, ...t.shape.slice(1)], data };
}

/** Parameters and layer state as model.py's state dict names them: layers.<index>.<name>. */
export function stateDictOf(network: NeuralNetwork): { name: string; array: NpyArray }[] {
  const out: { name: string; array: NpyArray }[] = [];
  network.layers.forEach((layer, i) => {
    for (const p of layer.params())
      out.push({
        name: `layers.${i}.${p.name}`,
        array: { shape: p.value.shape, data: p.value.data.slice() as Float32Array },
      });
    for (const s of layer.state())
      out.push({
        name: `layers.${i}.${s.name}`,
        array: { shape: s.value.shape, data: s.value.data.slice() as Float32Array },
      });
  });
  return out;
}

/**
 * Writes the PyTorch project for a model file or run: model.py, weights.npz, verify.py with
 * verify_inputs.npy / verify_outputs.npy (the first test rows and Glassbox's outputs for them),
 * train.py (when the data source has a Python form) and README.md.
 */
export function exportPyTorch(src: ExportSource, outDir: string): ExportResult {
  const refused = refusals(src);
  if (refused.length) throw new ExportError(refused.join('\n'));
  const spec = src.spec;
  const { network } = buildModel(spec);
  const data = loadData(spec.data, src.modelFile, spec.precision);
  const inputShape: Shape = data.dataset.xTest.shape.slice(1);
  network.build(inputShape);
  let weightsFrom = `Glassbox's initialisation (seed ${spec.seed}; no run given)`;
  if (src.weightsFile) {
    const file = decodeWeights(new Uint8Array(readFileSync(src.weightsFile)), src.weightsFile);
    const values = parametersFrom(file, network, src.weightsFile);
    const state = stateFrom(file, network, src.weightsFile);
    network.restore(state ? [...values, ...state] : values);
    weightsFrom = src.weightsFile;
  }
  const shapes = network.inferShapes(inputShape);
  const differences = differencesOf(src);
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(outDir, name), content);
    files.push(name);
  };
  write('model.py', modelPython(spec, inputShape, shapes, differences));
  write('weights.npz', encodeNpz(stateDictOf(network)));
  const rows = Math.min(VERIFY_ROWS, data.dataset.xTest.shape[0]);
  const x = npyOf(data.dataset.xTest, rows);
  const input = new Tensor(x.shape, x.data);
  write('verify_inputs.npy', encodeNpy(x));
  write('verify_outputs.npy', encodeNpy(npyOf(network.predict(input))));
  write('verify.py', verifyPython(spec));
  const noTrain = trainUnsupported(spec);
  const vocabulary = isTextDataset(data.dataset) ? data.dataset.text.vocab.chars : undefined;
  if (!noTrain) write('train.py', trainPython(spec, src.modelFile, vocabulary));
  write('README.md', readmeText(spec, { weightsFrom, differences, noTrain, rows }));
  return { outDir, files, differences, weightsFrom, ...(noTrain ? { noTrain } : {}) };
}
