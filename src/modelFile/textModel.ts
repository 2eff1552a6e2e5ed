import type { DataShape } from '../data/dataSpec';
import type { TextFitOptions } from '../engine';
import type { Problem, ProblemCode, Range, Severity } from './problem';
import { isRecurrentType } from './layerRegistry';
import type { JsonPath } from './schemaCheck';
import type { LayerRow } from './shapes';
import type { LayerSpec, LossSpec, ModelSource, ModelSpec, TrainingSpec } from './spec';
import { t } from '../l10n';

/*
 * Character models (chapter 6) in model files: a `text` data source, recurrent layers, the
 * sequence loss and iteration-counted training. Everything text-specific about defaults and
 * validation is here, so the general checks (semantics.ts) stay as they are.
 */

export const isTextData = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'text';

/**
 * The training section with defaults that depend on the data: evalEvery 10 epochs, or for text
 * 100 iterations; for text also the sample defaults and `epochs` = the number of rounds of
 * evalEvery iterations (what the run record and the Trainer's reports count).
 */
export function trainingSpec(t: Record<string, unknown>, data: unknown): TrainingSpec {
  const text = isTextData(data);
  const evalEvery = (t.evalEvery as number | undefined) ?? (text ? 100 : 10);
  if (!text) return { ...t, evalEvery } as unknown as TrainingSpec;
  const iterations = t.iterations as number | undefined;
  return {
    ...t,
    evalEvery,
    ...(iterations !== undefined ? { epochs: Math.ceil(iterations / evalEvery) } : {}),
    sampleEvery: t.sampleEvery ?? 100,
    sampleLength: t.sampleLength ?? 200,
    sampleTemperature: t.sampleTemperature ?? 1,
  } as unknown as TrainingSpec;
}

/**
 * The Trainer's text options: the book profile draws the book's overlapping windows (each row
 * one character after the previous, rowStride 1); otherwise rows are disjoint (rowStride T), so
 * a batch covers batch·T new characters.
 */
export function textFitOptions(spec: ModelSpec): TextFitOptions | undefined {
  if (spec.data.type !== 'text') return undefined;
  const t = spec.training;
  return {
    iterations: t.iterations ?? t.epochs * t.evalEvery,
    rowStride: spec.profile === 'book' ? 1 : spec.data.sequenceLength,
    ...(t.sampleEvery !== undefined ? { sampleEvery: t.sampleEvery } : {}),
    ...(t.sampleLength !== undefined ? { sampleLength: t.sampleLength } : {}),
    ...(t.sampleSeedText !== undefined ? { sampleSeedText: t.sampleSeedText } : {}),
    ...(t.sampleTemperature !== undefined ? { sampleTemperature: t.sampleTemperature } : {}),
  };
}

/** Characters a batch reaches (CharBatches: batch·rowStride + T, plus one). */
export function charsPerBatch(batchSize: number, rowStride: number, sequenceLength: number): number {
  return batchSize * rowStride + sequenceLength + 1;
}

interface Sections {
  readonly top: Pick<ModelSpec, 'profile'>;
  readonly data?: ModelSpec['data'];
  readonly layers?: readonly LayerSpec[];
  readonly loss?: LossSpec;
  readonly training?: TrainingSpec;
}

class Problems {
  readonly list: Problem[] = [];
  constructor(private readonly source: ModelSource) {}
  add(
    path: JsonPath,
    severity: Severity,
    code: ProblemCode,
    message: string,
    range: Range = this.source.rangeOf(path),
  ): void {
    this.list.push({ range, severity, code, message });
  }
  /** A missing property, reported at the object's opening brace as the schema checker does. */
  missing(path: JsonPath, message: string): void {
    this.add(path, 'error', 'required', message, this.source.startOf(path));
  }
}

/**
 * Before shape inference: the last recurrent layer of a text model gets outputSize = the
 * vocabulary size when the file leaves it out; other recurrent layers must say it. A text model
 * is a stack of recurrent layers (as the book's): any other kind is an error at its `type`, and
 * `shapes: false` then skips shape inference, which would only repeat it.
 */
export function resolveTextLayers(
  s: Sections,
  data: DataShape | undefined,
  source: ModelSource,
): { layers?: LayerSpec[]; problems: Problem[]; shapes: boolean } {
  const out = new Problems(source);
  if (!s.layers) return { problems: [], shapes: true };
  const text = isTextData(s.data);
  const last = s.layers.length - 1;
  let shapes = true;
  const layers = s.layers.map((l, i): LayerSpec => {
    if (text && !isRecurrentType(l.type)) {
      out.add(
        ['layers', i, 'type'],
        'error',
        'shape',
        t(
          "layers[{0}]: a {1} layer in a text model: character models stack recurrent layers (rnn, lstm, gru), each [T, features] → [T, outputSize], as the book; a {1} layer would mix the T time steps into one vector. The last recurrent layer's outputSize gives the logits.",
          i,
          l.type,
        ),
      );
      shapes = false;
    }
    if (!isRecurrentType(l.type) || l.args.outputSize !== undefined) return l;
    if (i === last && text) {
      if (data?.text) return { ...l, args: { ...l.args, outputSize: data.text.vocabulary.length } };
      shapes = false; // the data error says why the vocabulary is unknown
      return l;
    }
    out.missing(
      ['layers', i],
      t(
        "layers[{0}]: missing required property 'outputSize': the values per time step, i.e. the next layer's features (only the last layer of a text model defaults to the vocabulary size)",
        i,
      ),
    );
    shapes = false;
    return l;
  });
  return { layers, problems: out.list, shapes };
}

/** After shape inference: loss, output size, iterations, batch size and samples of a text model, and text-only settings elsewhere. */
export function textChecks(
  s: Sections,
  data: DataShape | undefined,
  rows: readonly LayerRow[] | undefined,
  source: ModelSource,
): Problem[] {
  const out = new Problems(source);
  const text = isTextData(s.data);
  const tr = s.training;
  const written = (k: string) => source.node(['training', k]) !== undefined;
  if (!text) {
    if (s.loss?.type === 'sequenceSoftmaxCrossEntropy')
      out.add(
        ['loss'],
        'error',
        'loss',
        t(
          "sequenceSoftmaxCrossEntropy is the loss of character models: it needs text data (data type 'text') and recurrent layers; for class labels use softmaxCrossEntropy",
        ),
      );
    if (tr && tr.epochs === undefined)
      out.missing(
        ['training'],
        t("training: missing required property 'epochs': Number of passes over the training set."),
      );
    for (const k of ['iterations', 'sampleEvery', 'sampleLength', 'sampleSeedText', 'sampleTemperature']) {
      if (written(k))
        out.add(
          ['training', k],
          'warning',
          'semantic',
          t("{0} is only used by text models (data type 'text'); this model trains for epochs", k),
        );
    }
    return out.list;
  }
  if (s.loss && s.loss.type !== 'sequenceSoftmaxCrossEntropy')
    out.add(
      ['loss'],
      'error',
      'loss',
      t(
        "text data needs the loss 'sequenceSoftmaxCrossEntropy' (softmax cross-entropy of the next character at every time step), not '{0}'",
        s.loss.type,
      ),
    );
  const v = data?.text?.vocabulary.length;
  if (rows && s.layers && rows.length === s.layers.length && v !== undefined) {
    const last = rows.length - 1;
    const o = rows[last].outputShape;
    if (o[o.length - 1] !== v) {
      const path = s.layers[last].args.outputSize !== undefined ? ['layers', last, 'outputSize'] : ['layers', last];
      out.add(
        path,
        'error',
        'targets',
        t(
          'the last layer outputs {0} values per character but the text has {1} distinct characters: outputSize must be {1} (or leave it out)',
          o[o.length - 1],
          v,
        ),
      );
    }
  }
  if (!tr) return out.list;
  if (tr.iterations === undefined)
    out.missing(
      ['training'],
      t(
        "training: missing required property 'iterations': text models train for a number of batches (the book's num_iterations, e.g. 1000), not epochs",
      ),
    );
  if (written('epochs'))
    out.add(
      ['training', 'epochs'],
      'warning',
      'semantic',
      t(
        "epochs is not used by text models: they train for 'iterations' batches, evaluated every 'evalEvery' iterations",
      ),
    );
  if (written('earlyStopping') && tr.earlyStopping)
    out.add(
      ['training', 'earlyStopping'],
      'warning',
      'semantic',
      t('early stopping is not used by text models (the book has none); the best evaluation is still kept as best.gbw'),
    );
  if (written('metrics'))
    out.add(
      ['training', 'metrics'],
      'warning',
      'semantic',
      t(
        'text models always report crossEntropy (nats per character), bitsPerChar, perplexity and accuracy; metrics is ignored',
      ),
    );
  if (data?.text) {
    const stride = s.top.profile === 'book' ? 1 : data.text.sequenceLength;
    const need = charsPerBatch(tr.batchSize, stride, data.text.sequenceLength);
    if (need > data.text.trainChars) {
      out.add(
        written('batchSize') ? ['training', 'batchSize'] : ['training'],
        'error',
        'semantic',
        t(
          'a batch of {0} windows of {1} characters{2} needs {3} characters, but the training text has {4}: use a smaller batchSize or sequenceLength, or a longer text',
          tr.batchSize,
          data.text.sequenceLength,
          stride === 1 ? t(' (each one character after the previous, the book profile)') : '',
          need,
          data.text.trainChars,
        ),
      );
    }
    if (tr.sampleSeedText !== undefined) {
      const unknown = [...tr.sampleSeedText].find((c) => !data.text?.vocabulary.includes(c));
      if (unknown !== undefined)
        out.add(
          ['training', 'sampleSeedText'],
          'error',
          'semantic',
          t(
            'the character {0} does not occur in the text, so the model cannot read it; the vocabulary is {1}',
            JSON.stringify(unknown),
            JSON.stringify(data.text.vocabulary.join('')),
          ),
        );
    }
  }
  return out.list;
}
