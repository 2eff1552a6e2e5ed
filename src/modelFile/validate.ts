import { totalmem } from 'node:os';
import { Budget, budgetChecks, machineBudget } from './budget';
import { probeData } from '../data/dataSource';
import { type Profile, profileWith } from '../engine';
import type { DataShape } from '../data/dataSpec';
import type { FileAccess } from '../data/fileAccess';
import { parseModelText } from './parse';
import type { Problem } from './problem';
import { MODEL_SCHEMA } from './schema/modelSchema';
import { SchemaChecker } from './schemaCheck';
import { crossChecks } from './semantics';
import { inferLayerShapes, LayerRow } from './shapes';
import { defaultModelName, LayerSpec, ModelSource, ModelSpec } from './spec';
import type { JsonPath } from './schemaCheck';
import { isTextData, resolveTextLayers, textChecks } from './textModel';
import { sectionSpecs } from './toSpec';

export interface ValidateOptions {
  /** How data files are reached; without it data files are not checked (shapes of user files unknown). */
  readonly files?: FileAccess;
  /** Load user data files in full, so every problem inside them is reported (the CLI does). */
  readonly deepData?: boolean;
  /** Memory and speed to check the model against (default: this machine's, budget.ts). */
  readonly budget?: Budget;
}

export interface ModelSummary {
  readonly data: DataShape;
  readonly layers: readonly LayerRow[];
  readonly totalParameters: number;
}

export interface ValidationResult {
  /** Every problem found, in file order; errors, warnings and notes. */
  readonly problems: Problem[];
  /** The model with defaults filled in, when the file has no structural errors. */
  readonly spec?: ModelSpec;
  /** Layer shapes and parameter counts, when data and layers are both valid. */
  readonly summary?: ModelSummary;
  readonly source: ModelSource;
}

export const hasErrors = (problems: readonly Problem[]): boolean => problems.some((p) => p.severity === 'error');

/**
 * Validates a model file: syntax (JSON with comments), the schema (types, names, ranges, with
 * "did you mean"), the data (files exist, are readable, not too large, have the named columns),
 * shape inference through the layers, and cross-section semantics. Pure apart from `files`:
 * the editor calls it on every change with its own file access.
 */
export function validateModel(text: string, filePath: string, options: ValidateOptions = {}): ValidationResult {
  const parsed = parseModelText(text);
  const source = new ModelSource(parsed.root, parsed.lines);
  const problems = [...parsed.problems];
  if (!parsed.root) return { problems, source };
  const checker = new SchemaChecker(parsed.lines);
  const value = checker.check(parsed.root, MODEL_SCHEMA, []);
  for (const p of checker.problems) problems.push(p);
  if (!value || typeof value !== 'object' || parsed.root.type !== 'object')
    return { problems: sortProblems(problems), source };

  const dirty = new Set(checker.paths.map((p) => String(p[0] ?? '')));
  // A section with a syntax error may have lost values in recovery: do not build on it.
  for (const offset of parsed.errorOffsets) {
    const prop = parsed.root.children?.find((p) => offset >= p.offset && offset <= p.offset + p.length);
    dirty.add(prop ? String(prop.children?.[0]?.value) : '');
  }
  const clean = (k: string) => !dirty.has(k) && !dirty.has('');
  const s = sectionSpecs(value as Record<string, unknown>, clean, defaultModelName(filePath));

  let data: DataShape | undefined;
  if (s.data && options.files) {
    const probe = probeData(s.data, filePath, options.files, options.deepData);
    for (const issue of probe.issues)
      problems.push({
        range: source.rangeOf(['data', ...issue.path]),
        severity: issue.severity,
        code: issue.code,
        message: issue.message,
      });
    data = probe.shape;
  }
  // Text models: the last layer's outputSize defaults to the vocabulary size (textModel.ts).
  const textLayers = resolveTextLayers(s, data, source);
  for (const p of textLayers.problems) problems.push(p);
  const layers = textLayers.layers;
  let rows: LayerRow[] | undefined;
  if (layers && data && textLayers.shapes) {
    const inferred = inferLayerShapes(layers, data.inputShape, profileWith(s.top.profile, s.top.quirks));
    if (inferred.failure) {
      const f = inferred.failure;
      problems.push({
        range: source.rangeOf(['layers', f.index, ...(f.property ? [f.property] : [])]),
        severity: 'error',
        code: 'shape',
        message: f.message,
      });
    } else rows = inferred.rows;
  } else if (!s.layers && data && !isTextData(s.data)) {
    const p = shapesDespiteLayerErrors(
      value as Record<string, unknown>,
      checker.paths,
      data,
      profileWith(s.top.profile, s.top.quirks),
      source,
    );
    if (p) problems.push(p);
  }
  if (rows && data && s.training)
    for (const p of budgetChecks(
      { rows, data, training: s.training, optimizer: s.optimizer, precision: s.top.precision },
      options.budget ?? machineBudget(totalmem(), process.env),
      source,
    ))
      problems.push(p);
  const cross = {
    top: s.top,
    layers,
    rows,
    data,
    loss: s.loss,
    optimizer: s.optimizer,
    training: s.training,
    latent: s.latent,
  };
  // The general checks' targets and epoch rules do not apply to text; textChecks has its own.
  problems.push(
    ...crossChecks(isTextData(s.data) ? { ...cross, data: undefined, training: undefined } : cross, source),
    ...textChecks({ ...s, layers }, data, rows, source),
  );

  const { description, ...top } = s.top;
  const spec: ModelSpec | undefined =
    s.data &&
    layers &&
    s.loss &&
    s.optimizer &&
    s.training &&
    clean('name') &&
    clean('profile') &&
    clean('quirks') &&
    clean('precision') &&
    clean('seed') &&
    clean('latent')
      ? {
          ...top,
          ...(description === undefined ? {} : { description }),
          data: s.data,
          layers,
          loss: s.loss,
          optimizer: s.optimizer,
          training: s.training,
          ...(s.latent ? { latent: s.latent } : {}),
        }
      : undefined;
  const summary =
    rows && data ? { data, layers: rows, totalParameters: rows.reduce((n, r) => n + r.parameters, 0) } : undefined;
  return { problems: sortProblems(problems), spec, summary, source };
}

function sortProblems(ps: Problem[]): Problem[] {
  return ps.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

/**
 * Shape inference when some layers have their own errors (an unknown property, a bad enum): a
 * shape problem further down is still reported, rather than only once the others are fixed.
 * Layers with errors are inferred with what the checker kept; if inference fails on one of them,
 * its own error stands and nothing is added.
 */
function shapesDespiteLayerErrors(
  value: Record<string, unknown>,
  paths: readonly JsonPath[],
  data: DataShape,
  profile: Profile,
  source: ModelSource,
): Problem | undefined {
  if (!Array.isArray(value.layers)) return undefined;
  const bad = new Set<number>();
  for (const p of paths) {
    if (p[0] !== 'layers') continue;
    if (typeof p[1] !== 'number') return undefined; // the array itself is wrong
    bad.add(p[1]);
  }
  const layers = (value.layers as Record<string, unknown>[]).map((l): LayerSpec => {
    const { type, name, ...args } = l ?? {};
    return { type: type as string, ...(typeof name === 'string' ? { name } : {}), args };
  });
  let failure;
  try {
    failure = inferLayerShapes(layers, data.inputShape, profile).failure;
  } catch {
    return undefined; // a layer with errors could not even be built: its own error says why
  }
  if (!failure || bad.has(failure.index)) return undefined;
  return {
    range: source.rangeOf(['layers', failure.index, ...(failure.property ? [failure.property] : [])]),
    severity: 'error',
    code: 'shape',
    message: failure.message,
  };
}
