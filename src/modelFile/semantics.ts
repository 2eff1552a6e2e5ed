import type { DataShape } from '../data/dataSpec';
import { formatShape } from '../engine';
import type { Problem, ProblemCode, Severity } from './problem';
import type { JsonPath } from './schemaCheck';
import type { LayerRow } from './shapes';
import { LATENT_MAX_PCA_WIDTH } from './schema/modelSchema';
import type { LatentSpec, LayerSpec, LossSpec, ModelSource, ModelSpec, OptimizerSpec, TrainingSpec } from './spec';
import { t } from '../l10n';

export interface SemanticInput {
  readonly top: Pick<ModelSpec, 'profile' | 'precision'>;
  readonly layers?: readonly LayerSpec[];
  readonly rows?: readonly LayerRow[];
  readonly data?: DataShape;
  readonly loss?: LossSpec;
  readonly optimizer?: OptimizerSpec;
  readonly training?: TrainingSpec;
  readonly latent?: LatentSpec;
}

/** Checks across sections: outputs vs targets, loss vs task and activation, useless settings. */
export function crossChecks(x: SemanticInput, source: ModelSource): Problem[] {
  const out: Problem[] = [];
  const add = (path: JsonPath, severity: Severity, code: ProblemCode, message: string) =>
    out.push({ range: source.rangeOf(path), severity, code, message });
  const last = x.layers ? x.layers.length - 1 : -1;
  const lastAct = last >= 0 ? (x.layers?.[last].args.activation as string | undefined) : undefined;

  if (x.rows && x.data && x.layers && x.rows.length === x.layers.length) {
    const o = x.rows[last].outputShape;
    const wanted = x.data.outputs;
    if (o.length !== 1)
      add(
        ['layers', last],
        'error',
        'targets',
        t(
          'the last layer outputs {0} per example; the loss needs a vector of {1} (add flatten and dense layers)',
          formatShape(o),
          wanted,
        ),
      );
    else if (o[0] !== wanted) {
      const path = x.layers[last].args.units !== undefined ? ['layers', last, 'units'] : ['layers', last];
      add(
        path,
        'error',
        'targets',
        t(
          'the last layer outputs {0} per example but the data has {1}{2}: expected {3} units',
          o[0] === 1 ? t('{0} value', o[0]) : t('{0} values', o[0]),
          wanted === 1 ? t('{0} target', wanted) : t('{0} targets', wanted),
          x.data.task === 'classification' ? t(' (one per class)') : '',
          wanted,
        ),
      );
    }
  }
  if (x.loss && x.data) {
    if (x.loss.type === 'softmaxCrossEntropy' && x.data.task === 'regression')
      add(
        ['loss'],
        'error',
        'loss',
        t(
          'softmaxCrossEntropy needs one-hot class targets, but this data has numeric targets: use meanSquaredError (or set classes for a CSV of labels)',
        ),
      );
    if (x.loss.type === 'softmaxCrossEntropy' && x.data.task === 'reconstruction')
      add(
        ['loss'],
        'error',
        'loss',
        t("an autoencoder (data target 'input') reconstructs pixel values, not classes: use meanSquaredError"),
      );
    if (x.loss.type === 'binaryCrossEntropy' && x.data.task === 'regression')
      add(
        ['loss'],
        'warning',
        'loss',
        t('binaryCrossEntropy expects targets in [0, 1]; this data has numeric (regression) targets'),
      );
  }
  if (x.loss && lastAct) {
    if (x.loss.type === 'softmaxCrossEntropy' && lastAct === 'softmax')
      add(
        ['layers', last, 'activation'],
        'warning',
        'loss',
        t("softmaxCrossEntropy applies softmax itself: a softmax activation here applies it twice (use 'linear')"),
      );
    if (x.loss.type === 'binaryCrossEntropy' && lastAct !== 'sigmoid')
      add(
        ['layers', last, 'activation'],
        'warning',
        'loss',
        t("binaryCrossEntropy expects probabilities: use a 'sigmoid' last activation, not '{0}'", lastAct),
      );
  }
  // Weights are stored and resumed by layer name: two layers with one name would swap weights
  // on resume (a different result, silently). Default names (dense2) count too.
  const firstWith = new Map<string, number>();
  x.layers?.forEach((l, i) => {
    const name = l.name ?? `${l.type}${i + 1}`;
    const first = firstWith.get(name);
    if (first === undefined) firstWith.set(name, i);
    else
      add(
        source.node(['layers', i, 'name']) ? ['layers', i, 'name'] : ['layers', i],
        'error',
        'semantic',
        t(
          "layer name '{0}' is already used by layer {1}: names must be unique (weights and checkpoints are matched by name)",
          name,
          first + 1,
        ),
      );
  });
  x.layers?.forEach((l, i) => {
    if (source.node(['layers', i, 'alpha']) && l.args.activation !== 'leakyRelu')
      add(['layers', i, 'alpha'], 'warning', 'semantic', t("alpha only applies to the 'leakyRelu' activation"));
    if (x.top.profile === 'book' && l.args.activation === 'relu')
      add(
        ['layers', i, 'activation'],
        'info',
        'semantic',
        t("book profile: relu's backward passes gradients through unchanged, as the book's code did (E4.4)"),
      );
  });
  const tr = x.training;
  if (tr) {
    if (tr.evalEvery > tr.epochs)
      add(
        ['training', 'evalEvery'],
        'warning',
        'semantic',
        t('no evaluation will run: evalEvery ({0}) is more than epochs ({1})', tr.evalEvery, tr.epochs),
      );
    if (x.data?.trainRows !== undefined && tr.batchSize > x.data.trainRows)
      add(
        ['training', 'batchSize'],
        'warning',
        'semantic',
        t('batchSize {0} is more than the {1} training rows: each epoch is one batch', tr.batchSize, x.data.trainRows),
      );
    const acc = tr.metrics?.indexOf('accuracy') ?? -1;
    if (acc >= 0 && x.data?.task === 'regression')
      add(
        ['training', 'metrics', acc],
        'error',
        'semantic',
        t('accuracy needs one-hot class targets; this data is a regression'),
      );
    if (acc >= 0 && x.data?.task === 'reconstruction')
      add(
        ['training', 'metrics', acc],
        'error',
        'semantic',
        t(
          "accuracy needs class targets; an autoencoder (data target 'input') is scored by reconstruction error: use 'mse' or 'mae'",
        ),
      );
  }
  if (x.latent && x.layers) for (const p of latentChecks(x.latent, x.layers, x.rows, x.data, source)) out.push(p);
  const d = x.optimizer?.decay;
  if (d && x.optimizer && d.finalLr >= x.optimizer.lr)
    add(
      ['optimizer', 'decay', 'finalLr'],
      'warning',
      'semantic',
      t('finalLr {0} is not below lr {1}: the learning rate will not decay', d.finalLr, x.optimizer.lr),
    );
  if (x.top.profile === 'book' && x.top.precision === 'float32')
    add(
      source.node(['precision']) ? ['precision'] : ['profile'],
      'info',
      'semantic',
      t("the book's numbers were computed in float64: set precision to float64 for parity"),
    );
  // Sizes are judged by the resource budget (budget.ts), which refuses what cannot fit.
  return out;
}

/** The latent section names a layer that exists (and PCA a narrow one). */
function latentChecks(
  latent: LatentSpec,
  layers: readonly LayerSpec[],
  rows: readonly LayerRow[] | undefined,
  data: DataShape | undefined,
  source: ModelSource,
): Problem[] {
  const out: Problem[] = [];
  const at = (key: string) => source.rangeOf(source.node(['latent', key]) ? ['latent', key] : ['latent']);
  const names = layers.map((l, i) => l.name ?? `${l.type}${i + 1}`);
  const index = names.indexOf(latent.layer);
  const width = index >= 0 && rows?.[index] ? rows[index].outputShape.reduce((a, b) => a * b, 1) : 0;
  // PCA eigen-decomposes a width×width covariance (O(width³)): meant for codes, not feature maps.
  if (latent.method === 'pca' && width > LATENT_MAX_PCA_WIDTH)
    out.push({
      range: at('layer'),
      severity: 'error',
      code: 'semantic',
      message: t(
        "latent: '{0}' outputs {1} values per example; PCA here is for narrow layers (at most {2}), such as an encoding: use method 'tsne' or a narrower layer",
        latent.layer,
        width,
        LATENT_MAX_PCA_WIDTH,
      ),
    });
  if (index < 0)
    out.push({
      range: at('layer'),
      severity: 'error',
      code: 'semantic',
      message: t("latent: no layer named '{0}'; the layers are {1}", latent.layer, names.join(', ')),
    });
  if (data?.testRows !== undefined && latent.rows > data.testRows)
    out.push({
      range: at('rows'),
      severity: 'info',
      code: 'semantic',
      message: t('latent: the test set has {0} rows; all of them are projected', data.testRows),
    });
  return out;
}
