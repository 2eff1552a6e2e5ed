import { GlassboxError, ShapeError } from '../errors';
import { formatShape, Shape, shapesEqual, sizeOf } from './shape';

/** Element type. float32 is the default; float64 is for gradient checks and book-exact runs. */
export type DType = 'float32' | 'float64';
export type TensorData = Float32Array | Float64Array;

export function allocate(dtype: DType, size: number): TensorData {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function dtypeOf(data: TensorData): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/**
 * A dense, row-major n-dimensional array over a typed array. The engine never broadcasts
 * silently: operations check shapes and throw ShapeError naming themselves and both shapes.
 */
export class Tensor {
  readonly shape: Shape;
  readonly data: TensorData;

  constructor(shape: Shape, data: TensorData) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new ShapeError(`Tensor: invalid shape ${formatShape(shape)}`);
    }
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`Tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} elements, got ${data.length}`);
    }
    this.shape = Object.freeze([...shape]);
    this.data = data;
  }

  static zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
    return new Tensor(shape, allocate(dtype, sizeOf(shape)));
  }

  static fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
    const t = Tensor.zeros(shape, dtype);
    t.data.fill(value);
    return t;
  }

  /** Builds a tensor from nested arrays (tests, teaching code). Ragged input throws. */
  static from(values: NestedNumbers, dtype: DType = 'float64'): Tensor {
    const shape: number[] = [];
    let v: NestedNumbers = values;
    while (Array.isArray(v)) {
      shape.push(v.length);
      v = v[0] as NestedNumbers;
    }
    const flat = (values as unknown[]).flat(Infinity) as number[];
    if (flat.length !== sizeOf(shape))
      throw new ShapeError(`Tensor.from: ragged nested array, shape ${formatShape(shape)}`);
    const data = allocate(dtype, flat.length);
    data.set(flat);
    return new Tensor(shape, data);
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }
  get size(): number {
    return this.data.length;
  }
  get rank(): number {
    return this.shape.length;
  }

  /** Same data, new shape (no copy). */
  reshape(shape: Shape): Tensor {
    if (sizeOf(shape) !== this.size) {
      throw new ShapeError(`reshape: cannot view ${formatShape(this.shape)} as ${formatShape(shape)}`);
    }
    return new Tensor(shape, this.data);
  }

  clone(): Tensor {
    return new Tensor(this.shape, this.data.slice());
  }

  /** Copy to another element type (or the same one). */
  astype(dtype: DType): Tensor {
    const out = allocate(dtype, this.size);
    out.set(this.data);
    return new Tensor(this.shape, out);
  }

  sameShape(other: Tensor): boolean {
    return shapesEqual(this.shape, other.shape);
  }

  /** Element at a multi-index (tests and teaching code; not for hot loops). */
  get(...index: number[]): number {
    return this.data[this.offset(index)];
  }

  set(value: number, ...index: number[]): void {
    this.data[this.offset(index)] = value;
  }

  private offset(index: number[]): number {
    if (index.length !== this.rank)
      throw new GlassboxError(`Tensor.get: index rank ${index.length} != tensor rank ${this.rank}`);
    let o = 0;
    for (let i = 0; i < index.length; i++) {
      const d = this.shape[i];
      if (index[i] < 0 || index[i] >= d)
        throw new GlassboxError(
          `Tensor.get: index ${index[i]} out of range for axis ${i} of ${formatShape(this.shape)}`,
        );
      o = o * d + index[i];
    }
    return o;
  }

  /** Nested arrays (tests, JSON output). */
  toArray(): NestedNumbers {
    const build = (axis: number, offset: number): NestedNumbers => {
      if (axis === this.rank) return this.data[offset];
      const stride = sizeOf(this.shape.slice(axis + 1));
      const out: NestedNumbers[] = [];
      for (let i = 0; i < this.shape[axis]; i++) out.push(build(axis + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }
}

export type NestedNumbers = number | NestedNumbers[];
