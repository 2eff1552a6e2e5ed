/**
 * Typed engine errors. Every message names the operation or layer, what was expected and what
 * was given, so a learner can find the line of the model file that caused it.
 */
export class GlassboxError extends Error {
  /** The English template (`{0}` places) and its arguments, when the message was an `EngineText`. */
  readonly template?: string;
  readonly args?: readonly EngineTextArg[];

  constructor(message: string | EngineText) {
    super(typeof message === 'string' ? message : message.text);
    this.name = new.target.name;
    if (typeof message !== 'string') {
      this.template = message.template;
      this.args = message.args;
    }
  }
}

export type EngineTextArg = string | number;

/**
 * A user-facing engine message kept as an English template and its arguments: `message` stays
 * English (tests, logs), and a front end shows `t(template, ...args)` from its message catalog
 * (src/l10n), which the engine does not import. Shape and hyperparameter errors, which the model
 * file's validator reports, are written this way.
 */
export interface EngineText {
  readonly template: string;
  readonly args: readonly EngineTextArg[];
  readonly text: string;
}

export function engineText(template: string, ...args: EngineTextArg[]): EngineText {
  const text = template.replace(/\{(\d+)\}/g, (whole, n: string) =>
    Number(n) < args.length ? String(args[Number(n)]) : whole,
  );
  return { template, args, text };
}

/** A tensor has the wrong rank or shape for an operation. */
export class ShapeError extends GlassboxError {}

/** A hyperparameter or input value is out of range (non-finite, zero batch size, empty data...). */
export class ValueError extends GlassboxError {}

/** Throws a ShapeError built lazily: no string is formatted when the check passes. */
export function assertShape(cond: boolean, message: () => string | EngineText): asserts cond {
  if (!cond) throw new ShapeError(message());
}

/** Throws a ValueError built lazily. */
export function assertValue(cond: boolean, message: () => string | EngineText): asserts cond {
  if (!cond) throw new ValueError(message());
}
