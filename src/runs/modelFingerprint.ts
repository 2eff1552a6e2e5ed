import type { ModelSpec } from '../modelFile/spec';
import { t } from '../l10n';

/**
 * What a checkpoint must agree with to be resumed: the model's structure (every layer's kind, name
 * and arguments), loss, optimizer, precision and profile. Stored in the checkpoint's metadata, so
 * a resume against an edited config.json is refused with the difference named, instead of loading
 * weights into a model that merely has tensors of the same sizes (tanh → relu keeps every shape).
 */
export interface ModelFingerprint {
  readonly layers: readonly { readonly type: string; readonly name: string; readonly args: string }[];
  readonly loss: string;
  readonly optimizer: string;
  readonly precision: string;
  readonly profile: string;
  /** The profile's switched quirks (canonical JSON), absent when none are. */
  readonly quirks?: string;
}

/** JSON with sorted keys, so the same arguments always give the same text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

export function modelFingerprint(spec: ModelSpec): ModelFingerprint {
  return {
    layers: spec.layers.map((l, i) => ({ type: l.type, name: l.name ?? `${l.type}${i + 1}`, args: canonical(l.args) })),
    loss: canonical(spec.loss),
    optimizer: spec.optimizer.type,
    precision: spec.precision,
    profile: spec.profile,
    ...(spec.quirks ? { quirks: canonical(spec.quirks) } : {}),
  };
}

/** What differs between a checkpoint's fingerprint and the model now, in words; undefined when they agree. */
export function fingerprintDifference(saved: unknown, now: ModelFingerprint): string | undefined {
  if (saved === undefined || saved === null) return undefined; // written before fingerprints
  const s = saved as Partial<ModelFingerprint>;
  if (!Array.isArray(s.layers)) return t('its model description is damaged');
  if (s.layers.length !== now.layers.length)
    return t('it has {0} layers, the model now has {1}', s.layers.length, now.layers.length);
  for (let i = 0; i < now.layers.length; i++) {
    const a = s.layers[i],
      b = now.layers[i];
    if (a?.type !== b.type)
      return t('layer {0} was a {1} layer, it is now a {2} layer', i + 1, String(a?.type), b.type);
    if (a.name !== b.name) return t("layer {0} was named '{1}', it is now '{2}'", i + 1, String(a.name), b.name);
    if (a.args !== b.args)
      return t('layer {0} ({1}) had the settings {2}, now {3}', i + 1, b.name, String(a.args), b.args);
  }
  for (const k of ['loss', 'optimizer', 'precision', 'profile'] as const)
    if (s[k] !== now[k]) return t('its {0} was {1}, it is now {2}', k, String(s[k]), now[k]);
  if ((s.quirks ?? '{}') !== (now.quirks ?? '{}'))
    return t('its {0} was {1}, it is now {2}', 'quirks', s.quirks ?? '{}', now.quirks ?? '{}');
  return undefined;
}
