import type { DataSpec } from '../data/dataSpec';
import type { Quirks } from '../engine';
import { discriminatorValues, JsonSchema } from './schema/jsonSchema';
import { MODEL_SCHEMA } from './schema/modelSchema';
import type { LatentSpec, LayerSpec, LossSpec, ModelSpec, OptimizerSpec } from './spec';
import { trainingSpec } from './textModel';

type Obj = Record<string, unknown>;

/** A shorthand name ('boston', 'softmaxCrossEntropy') as the object it stands for, defaults filled. */
function expand(value: unknown, union: JsonSchema): Obj {
  if (typeof value !== 'string') return value as Obj;
  const branch = union.oneOf?.find((b) => discriminatorValues(b).includes(value));
  const out: Obj = { type: value };
  for (const [k, p] of Object.entries(branch?.properties ?? {}))
    if (k !== 'type' && p.default !== undefined) out[k] = p.default;
  return out;
}

const props = MODEL_SCHEMA.properties as Record<string, JsonSchema>;

/** The checked value of each top-level section as typed spec parts (only clean sections are passed). */
export function sectionSpecs(value: Obj, clean: (section: string) => boolean, modelName: string) {
  const seed = clean('seed') ? (value.seed as number) : 1;
  const top = {
    name: clean('name') && typeof value.name === 'string' ? value.name : modelName,
    description: clean('description') && typeof value.description === 'string' ? value.description : undefined,
    profile: clean('profile') ? (value.profile as ModelSpec['profile']) : 'modern',
    ...(clean('quirks') && value.quirks !== undefined && Object.keys(value.quirks as Obj).length > 0
      ? { quirks: value.quirks as Quirks }
      : {}),
    precision: clean('precision') ? (value.precision as ModelSpec['precision']) : 'float32',
    seed,
  } as const;
  const data =
    clean('data') && value.data !== undefined ? (expand(value.data, props.data) as unknown as DataSpec) : undefined;
  const layers =
    clean('layers') && Array.isArray(value.layers)
      ? (value.layers as Obj[]).map((l): LayerSpec => {
          const { type, name, ...args } = l;
          return { type: type as string, ...(typeof name === 'string' ? { name } : {}), args };
        })
      : undefined;
  const loss =
    clean('loss') && value.loss !== undefined ? (expand(value.loss, props.loss) as unknown as LossSpec) : undefined;
  const optimizer =
    clean('optimizer') && value.optimizer !== undefined ? (value.optimizer as OptimizerSpec) : undefined;
  const training =
    clean('training') && value.training !== undefined
      ? trainingSpec({ seed, ...(value.training as Obj) }, value.data)
      : undefined;
  const latent = clean('latent') && value.latent !== undefined ? latentSpec(value.latent) : undefined;
  return { top, data, layers, loss, optimizer, training, latent };
}

/** A layer name as shorthand for PCA with the default options; an object has its defaults filled by the checker. */
function latentSpec(value: unknown): LatentSpec {
  if (typeof value !== 'string') return value as LatentSpec;
  const options = (props.latent.oneOf ?? []).find((b) => b.type === 'object')?.properties ?? {};
  return {
    layer: value,
    method: options.method.default,
    rows: options.rows.default,
    seed: options.seed.default,
  } as LatentSpec;
}
