/**
 * Typed engine errors. Every message names the operation or layer, what was expected and what
 * was given, so a learner can find the line of the model file that caused it.
 */
export class GlassboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor has the wrong rank or shape for an operation. */
export class ShapeError extends GlassboxError {}

/** A hyperparameter or input value is out of range (non-finite, zero batch size, empty data...). */
export class ValueError extends GlassboxError {}

/** Throws a ShapeError built lazily: no string is formatted when the check passes. */
export function assertShape(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new ShapeError(message());
}

/** Throws a ValueError built lazily. */
export function assertValue(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new ValueError(message());
}
