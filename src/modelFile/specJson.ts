import type { ModelSpec } from './spec';
import { t } from '../l10n';

/**
 * A resolved spec (a run record's config.json) written back in model-file form, so the model-file
 * validator can check it: a damaged or edited config.json then gets the same clear messages as a
 * model file, instead of crashing whatever reads it. Throws a plain Error when the value is not
 * even shaped like a spec (the caller reports it).
 */
export function specToModelJson(spec: ModelSpec): Record<string, unknown> {
  if (!spec || typeof spec !== 'object' || !Array.isArray(spec.layers)) throw new Error(t('not a model'));
  const { layers, ...rest } = spec;
  return {
    ...rest,
    layers: layers.map((l) => {
      if (!l || typeof l !== 'object') throw new Error(t('a layer is not an object'));
      return { ...(l.args ?? {}), type: l.type, ...(l.name !== undefined ? { name: l.name } : {}) };
    }),
  };
}
