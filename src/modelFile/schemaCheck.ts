import type { Node } from 'jsonc-parser';
import { closest } from '../util/didYouMean';
import { LineIndex, Problem, ProblemCode, Range } from './problem';
import { discriminatorValues, JsonSchema, JsonType } from './schema/jsonSchema';
import { msg, t } from '../l10n';

export type JsonPath = (string | number)[];

/** Common misnomers (other libraries' names) mapped to ours, tried before edit distance. */
const ALIASES: Record<string, string> = {
  mse: 'meanSquaredError',
  meansquarederror: 'meanSquaredError',
  l2: 'meanSquaredError',
  sce: 'softmaxCrossEntropy',
  crossentropy: 'softmaxCrossEntropy',
  categoricalcrossentropy: 'softmaxCrossEntropy',
  crossentropyloss: 'softmaxCrossEntropy',
  bce: 'binaryCrossEntropy',
  momentum: 'sgdMomentum',
  neurons: 'units',
  learningrate: 'lr',
  learning_rate: 'lr',
  linear: 'dense',
  fc: 'dense',
  fullyconnected: 'dense',
  identity: 'linear',
  leakyrelu: 'leakyRelu',
  xavier: 'glorot',
  normal: 'standard',
};
const PROPERTY_HINTS: Record<string, string> = {
  dropout: msg(" Use 'keepProb', the probability of KEEPING a unit: dropout 0.2 is keepProb 0.8."),
};

function suggestion(word: string, candidates: readonly string[]): string {
  const alias = Object.hasOwn(ALIASES, word.toLowerCase()) ? ALIASES[word.toLowerCase()] : undefined;
  const c = alias && candidates.includes(alias) ? alias : closest(word, candidates);
  return c === undefined || c === word ? '' : t(" Did you mean '{0}'?", c);
}

export function formatPath(path: JsonPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || t('the file');
}

function describeNode(n: Node): string {
  switch (n.type) {
    case 'string':
      return t('the string {0}', JSON.stringify(n.value).slice(0, 60));
    case 'number':
      return `${n.value}`;
    case 'boolean':
      return `${n.value}`;
    case 'null':
      return 'null';
    case 'array':
      return t('an array');
    default:
      return t('an object');
  }
}

const article = (type: JsonType): string => {
  switch (type) {
    case 'array':
      return t('an array');
    case 'object':
      return t('an object');
    case 'integer':
      return t('an integer');
    case 'number':
      return t('a number');
    case 'string':
      return t('a string');
    case 'boolean':
      return t('a boolean');
    default:
      return type;
  }
};

/**
 * Checks a JSONC tree against the schema subset, reporting each problem at the exact range of
 * the offending value or key, and returns the value with schema defaults filled in (undefined
 * where the value had an error).
 */
export class SchemaChecker {
  readonly problems: Problem[] = [];
  /** The JSON path of each problem, in the same order (which sections are clean). */
  readonly paths: JsonPath[] = [];
  private path: JsonPath = [];
  constructor(private readonly lines: LineIndex) {}

  /** A problem on `node`'s smallest naming range (LineIndex.nodeRange), or on its first `length` characters. */
  private report(node: Node, code: ProblemCode, message: string, length?: number): void {
    const range = length === undefined ? this.lines.nodeRange(node) : this.lines.range(node.offset, length);
    this.problems.push({ range, severity: 'error', message, code });
    this.paths.push(this.path);
  }

  rangeOf(node: Node): Range {
    return this.lines.range(node.offset, node.length);
  }

  check(node: Node, schema: JsonSchema, path: JsonPath): unknown {
    this.path = path;
    if (schema.oneOf) return this.checkUnion(node, schema, path);
    const where = formatPath(path);
    if (schema.const !== undefined) {
      if (node.value !== schema.const)
        this.report(node, 'enum', t("{0}: expected '{1}', got {2}", where, String(schema.const), describeNode(node)));
      return node.value;
    }
    if (schema.enum) {
      if (typeof node.value !== typeof schema.enum[0] || !schema.enum.includes(node.value)) {
        const names = schema.enum.map(String);
        const noun = schema.title ? schemaNoun(schema.title) : String(path[path.length - 1] ?? t('value'));
        const hint = typeof node.value === 'string' ? suggestion(node.value, names) : '';
        this.report(
          node,
          'enum',
          t(
            '{0}: unknown {1} {2}.{3} Expected one of: {4}.',
            where,
            noun,
            node.type === 'string' ? `'${node.value}'` : describeNode(node),
            hint,
            names.join(', '),
          ),
        );
        return undefined;
      }
      return node.value;
    }
    if (schema.type && !this.typeMatches(node, schema.type)) {
      const got =
        node.type === 'number' && !Number.isFinite(node.value)
          ? t('a number too large to represent')
          : describeNode(node);
      this.report(node, 'type', t('{0}: expected {1}, got {2}', where, article(schema.type), got));
      return undefined;
    }
    switch (node.type) {
      case 'object':
        return this.checkObject(node, schema, path);
      case 'array':
        return this.checkArray(node, schema, path);
      case 'number':
        return this.checkNumber(node, schema, where);
      case 'string':
        if (schema.minLength !== undefined && node.value.length < schema.minLength)
          this.report(node, 'range', t('{0}: must not be empty', where));
        return node.value;
      default:
        return node.value;
    }
  }

  private typeMatches(node: Node, t: JsonType): boolean {
    if (t === 'integer') return node.type === 'number' && Number.isInteger(node.value);
    if (t === 'number') return node.type === 'number' && Number.isFinite(node.value);
    return node.type === t;
  }

  private checkNumber(node: Node, s: JsonSchema, where: string): unknown {
    const v = node.value as number;
    const fail = (bound: string) => {
      this.report(node, 'range', t('{0}: must be {1}, got {2}', where, bound, v));
      return undefined;
    };
    if (s.minimum !== undefined && v < s.minimum) return fail(`>= ${s.minimum}`);
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) return fail(`> ${s.exclusiveMinimum}`);
    if (s.maximum !== undefined && v > s.maximum) return fail(`<= ${s.maximum}`);
    if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) return fail(`< ${s.exclusiveMaximum}`);
    return v;
  }

  private checkArray(node: Node, s: JsonSchema, path: JsonPath): unknown {
    const items = node.children ?? [];
    if (s.minItems !== undefined && items.length < s.minItems)
      this.report(
        node,
        'range',
        t(
          s.minItems === 1 ? '{0}: needs at least {1} item' : '{0}: needs at least {1} items',
          formatPath(path),
          s.minItems,
        ),
      );
    if (s.maxItems !== undefined && items.length > s.maxItems) {
      this.report(
        node,
        'range',
        t(
          s.maxItems === 1 ? '{0}: takes at most {1} item, got {2}' : '{0}: takes at most {1} items, got {2}',
          formatPath(path),
          s.maxItems,
          items.length,
        ),
      );
      // One problem for the array: checking each of 200,000 items would stall the editor.
      return undefined;
    }
    const out = items.map((c, i) => (s.items ? this.check(c, s.items, [...path, i]) : c.value));
    this.path = path;
    return out;
  }

  private checkObject(node: Node, s: JsonSchema, path: JsonPath): unknown {
    const out: Record<string, unknown> = {};
    const props = s.properties ?? {};
    const names = Object.keys(props);
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const [keyNode, valueNode] = prop.children ?? [];
      if (!keyNode) continue;
      const key = keyNode.value as string;
      if (seen.has(key)) {
        this.path = path;
        this.report(keyNode, 'unknownProperty', t("{0}: duplicate property '{1}'", formatPath(path), key));
        continue;
      }
      seen.add(key);
      // Own properties only: `toString`, `constructor`, `__proto__`… are unknown keys like any other.
      const ps = Object.hasOwn(props, key) ? props[key] : undefined;
      if (!ps) {
        if (s.additionalProperties === false) {
          this.path = path;
          const hint = Object.hasOwn(PROPERTY_HINTS, key) ? t(PROPERTY_HINTS[key]) : suggestion(key, names);
          this.report(
            keyNode,
            'unknownProperty',
            t(
              s.title
                ? "{0}: unknown property '{1}' in the {2}.{3} Expected: {4}."
                : "{0}: unknown property '{1}' in this object.{3} Expected: {4}.",
              formatPath(path),
              key,
              s.title ? schemaNoun(s.title) : '',
              hint,
              names.join(', '),
            ),
          );
        }
        continue;
      }
      if (valueNode) out[key] = this.check(valueNode, ps, [...path, key]);
      this.path = path;
    }
    for (const r of s.required ?? []) {
      if (!seen.has(r)) {
        this.path = path;
        const what = props[r]?.description ? `: ${props[r].description?.split(/(?<=\.) /)[0]}` : '';
        this.report(node, 'required', t("{0}: missing required property '{1}'", formatPath(path), r) + what, 1);
      }
    }
    for (const [k, ps] of Object.entries(props)) if (!seen.has(k) && ps.default !== undefined) out[k] = ps.default;
    return out;
  }

  /** Picks the alternative by JSON type, then by the `type` property; reports in the union's terms. */
  private checkUnion(node: Node, s: JsonSchema, path: JsonPath): unknown {
    const alts = s.oneOf ?? [];
    const noun = s.title ? schemaNoun(s.title) : String(path[path.length - 1] ?? t('value'));
    const byType = alts.filter((a) => a.type === undefined || this.typeMatches(node, a.type));
    if (byType.length === 0) {
      const expected = alts
        .map((a) =>
          a.type === 'string' && a.enum
            ? t('a {0} name ({1})', noun, a.enum.join(', '))
            : a.type === 'object'
              ? t("an object with a 'type'")
              : a.type
                ? article(a.type)
                : '',
        )
        .filter((e, i, arr) => e && arr.indexOf(e) === i);
      this.report(
        node,
        'type',
        t('{0}: expected {1}, got {2}', formatPath(path), expected.join(t(' or ')), describeNode(node)),
      );
      return undefined;
    }
    if (byType.length === 1 || node.type !== 'object') return this.check(node, byType[0], path);
    const all = byType.flatMap(discriminatorValues);
    const typeProp = node.children?.find((p) => p.children?.[0]?.value === 'type');
    const typeNode = typeProp?.children?.[1];
    if (!typeNode) {
      this.report(
        node,
        'required',
        t("{0}: missing property 'type' (the {1} kind: {2})", formatPath(path), noun, all.join(', ')),
        1,
      );
      return undefined;
    }
    const chosen = byType.find((a) => discriminatorValues(a).includes(typeNode.value));
    if (!chosen) {
      const hint = typeof typeNode.value === 'string' ? suggestion(typeNode.value, all) : '';
      this.report(
        typeNode,
        'enum',
        t(
          '{0}: unknown {1} type {2}.{3} Expected one of: {4}.',
          formatPath([...path, 'type']),
          noun,
          typeNode.type === 'string' ? `'${typeNode.value}'` : describeNode(typeNode),
          hint,
          all.join(', '),
        ),
      );
      return undefined;
    }
    return this.check(node, chosen, path);
  }
}

/**
 * A schema title (the noun of a message: "layer", "csv data source") in the active locale. Kind
 * names stay as written: "dense layer" is t('{0} layer', 'dense').
 */
export function schemaNoun(title: string): string {
  const kind = /^([\w-]+) (layer|optimizer|loss|data source)$/.exec(title);
  if (kind)
    switch (kind[2]) {
      case 'layer':
        return t('{0} layer', kind[1]);
      case 'optimizer':
        return t('{0} optimizer', kind[1]);
      case 'loss':
        return t('{0} loss', kind[1]);
      default:
        return t('{0} data source', kind[1]);
    }
  switch (title) {
    case 'built-in dataset':
      return t('built-in dataset');
    case 'data source':
      return t('data source');
    case 'latent layer name':
      return t('latent layer name');
    case 'latent projection':
      return t('latent projection');
    case 'latent projection options':
      return t('latent projection options');
    case 'layer':
      return t('layer');
    case 'learning-rate decay':
      return t('learning-rate decay');
    case 'loss':
      return t('loss');
    case 'model file':
      return t('model file');
    case 'optimizer':
      return t('optimizer');
    case 'training settings':
      return t('training settings');
    default:
      return title;
  }
}
