/**
 * The book's scalar autodiff (Autograd_Simple.ipynb, E6.6), reproduced as it is written:
 *
 *   a = NumberWithGrad(3); b = a * 4; c = b + 3; c.backward()  →  a.grad = 4, b.grad = 1
 *   a = NumberWithGrad(3); b = a * 4; c = b + 3; d = a + 2; e = c * d; e.backward()  →  a.grad = 35
 *
 * `add` and `mul` record the two operands (`dependsOn`) and the op (`creationOp`); `backward`
 * pushes the gradient recursively along every path, with no topological sort:
 *  - called with no argument, it sets `grad = 1` (it is the output);
 *  - otherwise it adds the incoming gradient (the first arrival sets it);
 *  - then it sends its *whole accumulated* `grad` on to its operands, every time it is called.
 *
 * That last point is the book's one quirk. It is right whenever only leaves are reached by more
 * than one path (both book examples: `a` feeds b and d). When an intermediate node is reached
 * twice, the second call re-sends the first call's share too, so the leaves below it are
 * over-counted: with x = a * 2 and y = x + x, the book gives a.grad = 6 where dy/da = 4.
 * Nothing is ever reset either: a second `backward()` on the same output makes every gradient
 * below it grow again. The tensor autodiff (var.ts) sorts the graph first and gets 4; the tests
 * show both.
 */
export class NumberWithGrad {
  grad: number | null = null;
  readonly dependsOn: readonly NumberWithGrad[];

  constructor(
    readonly num: number,
    dependsOn: readonly NumberWithGrad[] = [],
    /** 'add', 'mul', or '' for a number the user wrote. */
    readonly creationOp: '' | 'add' | 'mul' = '',
  ) {
    this.dependsOn = dependsOn;
  }

  /** self + other; a plain number is wrapped (the book's `ensure_number`). */
  add(other: NumberWithGrad | number): NumberWithGrad {
    const o = ensureNumber(other);
    return new NumberWithGrad(this.num + o.num, [this, o], 'add');
  }

  /** self · other. */
  mul(other: NumberWithGrad | number): NumberWithGrad {
    const o = ensureNumber(other);
    return new NumberWithGrad(this.num * o.num, [this, o], 'mul');
  }

  backward(backwardGrad?: number): void {
    if (backwardGrad === undefined) {
      // First call, on the output.
      this.grad = 1;
    } else if (this.grad === null) {
      this.grad = backwardGrad;
    } else {
      // Gradients accumulate over the paths that reach this number.
      this.grad += backwardGrad;
    }
    const g = this.grad;
    if (this.creationOp === 'add') {
      // Increasing either operand increases the sum by as much: both get grad.
      this.dependsOn[0].backward(g);
      this.dependsOn[1].backward(g);
    }
    if (this.creationOp === 'mul') {
      // ∂(uv)/∂u = v and ∂(uv)/∂v = u. The book builds each product as a NumberWithGrad and
      // sends its `.num`; the number is the same.
      this.dependsOn[0].backward(this.dependsOn[1].mul(g).num);
      this.dependsOn[1].backward(this.dependsOn[0].mul(g).num);
    }
  }
}

/** A NumberWithGrad as is, a plain number wrapped. */
export function ensureNumber(num: NumberWithGrad | number): NumberWithGrad {
  return num instanceof NumberWithGrad ? num : new NumberWithGrad(num);
}
