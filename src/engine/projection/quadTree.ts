/**
 * A point quadtree over a 2-D map, rebuilt every t-SNE step, in flat typed arrays (no object per
 * node). Each node keeps its square cell (centre, half-width), how many points it holds and their
 * centre of mass; a leaf holds one point (several when they coincide exactly). Barnes–Hut's
 * repulsion (`repulsion`) walks it once per point.
 */
export class QuadTree {
  private cx = new Float64Array(0);
  private cy = new Float64Array(0);
  private half = new Float64Array(0);
  /** Sums of x and y while building; centres of mass after `build`. */
  private mx = new Float64Array(0);
  private my = new Float64Array(0);
  private count = new Int32Array(0);
  /** First of four consecutive children (−1: a leaf). */
  private child = new Int32Array(0);
  /** A leaf's point (−1: empty). */
  private point = new Int32Array(0);
  private nodes = 0;
  private minHalf = 0;
  /** Points sharing a leaf, chained: next[i] is the next point of i's leaf (−1: the last). */
  private next = new Int32Array(0);
  private stack = new Int32Array(256);

  /** Rebuilds the tree over y ([rows × 2], row-major). */
  build(y: Float64Array, rows: number): void {
    let x0 = Infinity,
      x1 = -Infinity,
      y0 = Infinity,
      y1 = -Infinity;
    for (let i = 0; i < rows; i++) {
      x0 = Math.min(x0, y[2 * i]);
      x1 = Math.max(x1, y[2 * i]);
      y0 = Math.min(y0, y[2 * i + 1]);
      y1 = Math.max(y1, y[2 * i + 1]);
    }
    this.ensure(4 * rows + 1);
    if (this.next.length < rows) this.next = new Int32Array(rows);
    this.nodes = 0;
    // A square cell a little larger than the points' box, so none lies on its outer edge.
    const h = (Math.max(x1 - x0, y1 - y0) / 2) * (1 + 1e-5) + 1e-12;
    this.minHalf = h * 2 ** -40;
    this.node((x0 + x1) / 2, (y0 + y1) / 2, h);
    for (let i = 0; i < rows; i++) this.insert(i, y[2 * i], y[2 * i + 1]);
    for (let n = 0; n < this.nodes; n++)
      if (this.count[n] > 0) {
        this.mx[n] /= this.count[n];
        this.my[n] /= this.count[n];
      }
  }

  /**
   * The points in the tree's depth-first order into out[0 … rows): neighbours in the map come
   * close together, so walking the tree for them in this order reuses the same nodes (cache).
   */
  order(out: Int32Array): void {
    let k = 0,
      top = 0;
    let stack = this.stack;
    stack[top++] = 0;
    while (top > 0) {
      const n = stack[--top];
      const first = this.child[n];
      if (first < 0) {
        for (let i = this.point[n]; i >= 0; i = this.next[i]) out[k++] = i;
        continue;
      }
      if (top + 4 > stack.length) {
        this.stack = new Int32Array(2 * stack.length);
        this.stack.set(stack);
        stack = this.stack;
      }
      for (let q = 3; q >= 0; q--) stack[top++] = first + q;
    }
  }

  /**
   * Point i's repulsion, Σⱼ≠ᵢ qᵢⱼ²·(yᵢ − yⱼ) with qᵢⱼ = 1/(1 + |yᵢ − yⱼ|²), into out[0..1]; returns
   * Σⱼ≠ᵢ qᵢⱼ. A cell whose width over its distance from yᵢ is below theta counts as all its
   * points at their centre of mass (theta 0: every point separately, the exact sums).
   */
  repulsion(i: number, px: number, py: number, theta: number, out: Float64Array): number {
    const theta2 = theta * theta;
    let sumQ = 0,
      fx = 0,
      fy = 0,
      top = 0;
    let stack = this.stack;
    stack[top++] = 0;
    while (top > 0) {
      const n = stack[--top];
      let c = this.count[n];
      if (c === 0) continue;
      const dx = px - this.mx[n],
        dy = py - this.my[n];
      const d2 = dx * dx + dy * dy;
      const first = this.child[n];
      if (first >= 0) {
        const w = 2 * this.half[n];
        if (w * w >= theta2 * d2) {
          if (top + 4 > stack.length) {
            // Deep trees (nearly coincident points) outgrow the stack: double it.
            this.stack = new Int32Array(2 * stack.length);
            this.stack.set(stack);
            stack = this.stack;
          }
          stack[top++] = first;
          stack[top++] = first + 1;
          stack[top++] = first + 2;
          stack[top++] = first + 3;
          continue;
        }
      } else if (this.point[n] === i || d2 === 0) {
        // i's own leaf (a point at exactly i's place shares it): i does not repel itself.
        c -= 1;
      }
      const q = 1 / (1 + d2);
      sumQ += c * q;
      const m = c * q * q;
      fx += m * dx;
      fy += m * dy;
    }
    out[0] = fx;
    out[1] = fy;
    return sumQ;
  }

  private insert(i: number, x: number, y: number): void {
    let n = 0;
    for (;;) {
      const first = this.child[n];
      if (first < 0) {
        const p = this.point[n];
        if (p < 0) {
          this.point[n] = i;
          this.next[i] = -1;
          this.add(n, x, y, 1);
          return;
        }
        // A leaf holding a point at exactly the same place keeps both; so does a cell 2⁻⁴⁰ of the
        // map's width (points that close would split cells until floating point runs out).
        const c = this.count[n];
        if ((this.mx[n] === x * c && this.my[n] === y * c) || this.half[n] < this.minHalf) {
          this.next[i] = this.next[p];
          this.next[p] = i;
          this.add(n, x, y, 1);
          return;
        }
        this.split(n);
        continue; // the leaf is now a node with children: descend
      }
      this.add(n, x, y, 1);
      n = first + (x >= this.cx[n] ? 1 : 0) + (y >= this.cy[n] ? 2 : 0);
    }
  }

  /** Turns leaf n into a node with four children and moves its points into the right child. */
  private split(n: number): void {
    if (this.nodes + 4 > this.count.length) this.ensure(2 * this.count.length);
    const h = this.half[n] / 2;
    const first = this.nodes;
    for (let q = 0; q < 4; q++) this.node(this.cx[n] + (q & 1 ? h : -h), this.cy[n] + (q & 2 ? h : -h), h);
    const c = this.count[n],
      x = this.mx[n] / c,
      y = this.my[n] / c;
    const target = first + (x >= this.cx[n] ? 1 : 0) + (y >= this.cy[n] ? 2 : 0);
    this.point[target] = this.point[n];
    this.add(target, x, y, c);
    this.point[n] = -1;
    this.child[n] = first;
  }

  private node(cx: number, cy: number, half: number): void {
    const n = this.nodes++;
    this.cx[n] = cx;
    this.cy[n] = cy;
    this.half[n] = half;
    this.mx[n] = 0;
    this.my[n] = 0;
    this.count[n] = 0;
    this.child[n] = -1;
    this.point[n] = -1;
  }

  private add(n: number, x: number, y: number, c: number): void {
    this.count[n] += c;
    this.mx[n] += c * x;
    this.my[n] += c * y;
  }

  private ensure(size: number): void {
    if (this.count.length >= size) return;
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    const f = (n: number) => new Float64Array(n),
      g = (n: number) => new Int32Array(n);
    this.cx = grow(this.cx, f);
    this.cy = grow(this.cy, f);
    this.half = grow(this.half, f);
    this.mx = grow(this.mx, f);
    this.my = grow(this.my, f);
    this.count = grow(this.count, g);
    this.child = grow(this.child, g);
    this.point = grow(this.point, g);
  }
}
