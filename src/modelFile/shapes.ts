import { formatShape, GlassboxError, MODERN, Profile, Shape } from '../engine';
import { layerKind } from './layerRegistry';
import type { LayerSpec } from './spec';
import { t } from '../l10n';
import { errorText } from '../util/errorText';

export interface LayerRow {
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly details: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly parameters: number;
}

export interface ShapeFailure {
  readonly index: number;
  readonly message: string;
  /** The layer property the problem is about (reshape's `shape`), when the kind names one. */
  readonly property?: string;
}

/**
 * Shape inference through the layers with the engine's own `outputShape` (no weights are
 * allocated): the output shape and parameter count of each layer, or the first layer whose
 * input does not fit, with the engine's message.
 */
export function inferLayerShapes(
  layers: readonly LayerSpec[],
  inputShape: Shape,
  profile: Profile = MODERN,
): { rows: LayerRow[]; failure?: ShapeFailure } {
  const rows: LayerRow[] = [];
  let shape = inputShape;
  for (let i = 0; i < layers.length; i++) {
    const spec = layers[i];
    const kind = layerKind(spec.type);
    if (!kind) return { rows, failure: { index: i, message: t("unknown layer type '{0}'", spec.type) } };
    try {
      const out = kind.create(spec.args as Record<string, unknown>).outputShape(shape);
      rows.push({
        index: i,
        name: spec.name ?? `${spec.type}${i + 1}`,
        type: spec.type,
        details: kind.describe(spec.args as Record<string, unknown>),
        inputShape: shape,
        outputShape: out,
        parameters: kind.parameterCount(shape, spec.args as Record<string, unknown>, profile),
      });
      shape = out;
    } catch (e) {
      if (!(e instanceof GlassboxError)) throw e;
      const property = kind.shapeProperty;
      return {
        rows,
        failure: {
          index: i,
          message: t('layers[{0}] ({1}) cannot take input {2}: {3}', i, spec.type, formatShape(shape), errorText(e)),
          ...(property ? { property } : {}),
        },
      };
    }
  }
  return { rows };
}
