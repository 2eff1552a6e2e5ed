/**
 * A transcription of NumPy's legacy `RandomState` (MT19937), so that seeded runs draw exactly the
 * numbers the book's code drew: weights (`randn`/`normal`), shuffles (`permutation`), dropout
 * masks (`binomial(1, p)`), `randint` and `choice`.
 *
 * Algorithms: book-parity.md §4.1. All integer arithmetic is on unsigned 32-bit words.
 *
 * Precision note: the polar Gaussian uses `Math.log`, which V8 does not promise to round the same
 * way as the C library NumPy calls. About 3% of Gaussians differ from NumPy's by 1–3 ulps; the
 * stream *position* never differs (the rejection test does not use log), so every uniform,
 * integer, permutation, mask and choice draw is bit-identical. Tests compare Gaussians within
 * a few ulps; the book's printed digits (3–4 decimals) are unaffected.
 */
/** Everything a RandomState needs to continue its stream exactly (run records, resume). */
export interface RandomStateSnapshot {
  /** The 624 Mersenne-Twister words. */
  readonly mt: Uint32Array;
  /** Index of the next word to temper (624 = twist before the next draw). */
  readonly pos: number;
  /** The second Gaussian of the last polar pair, not yet returned (null if none). */
  readonly cachedGauss: number | null;
}

export class RandomState {
  private readonly mt = new Uint32Array(624);
  private pos = 624;
  private cachedGauss: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** `np.random.seed(s)` for an integer 0 <= s < 2^32 (init_genrand); clears the cached Gaussian. */
  seed(s: number): void {
    if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) {
      throw new RangeError(`RandomState.seed: seed must be an integer in [0, 2^32), got ${s}`);
    }
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.pos = 624;
    this.cachedGauss = null;
  }

  /** A copy of the generator's state; `setState` of it continues the stream bit for bit. */
  getState(): RandomStateSnapshot {
    return { mt: this.mt.slice(), pos: this.pos, cachedGauss: this.cachedGauss };
  }

  setState(state: RandomStateSnapshot): void {
    if (state.mt.length !== 624 || !Number.isInteger(state.pos) || state.pos < 0 || state.pos > 624) {
      throw new RangeError(
        `RandomState.setState: need 624 words and 0 <= pos <= 624, got ${state.mt.length} words and pos ${state.pos}`,
      );
    }
    this.mt.set(state.mt);
    this.pos = state.pos;
    this.cachedGauss = state.cachedGauss;
  }

  /** Next tempered 32-bit word. */
  next32(): number {
    if (this.pos >= 624) this.twist();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * Regenerates the 624 words. The reference loop indexes mt[(i + 1) % 624] and mt[(i + 397) % 624];
   * split into the three ranges where those indices do not wrap (as MT19937's C code does), with
   * the conditional XOR as a mask, it is the same recurrence without a division or a branch per
   * word (dropout masks draw two words per element, millions per epoch).
   */
  private twist(): void {
    const mt = this.mt;
    let i = 0;
    for (; i < 227; i++) {
      const y = (mt[i] & 0x80000000) | (mt[i + 1] & 0x7fffffff);
      mt[i] = mt[i + 397] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    for (; i < 623; i++) {
      const y = (mt[i] & 0x80000000) | (mt[i + 1] & 0x7fffffff);
      mt[i] = mt[i - 227] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    const y = (mt[623] & 0x80000000) | (mt[0] & 0x7fffffff);
    mt[623] = mt[396] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    this.pos = 0;
  }

  /** `rand()`: a 53-bit double in [0, 1). */
  double(): number {
    const a = this.next32() >>> 5;
    const b = this.next32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `randn()`: Marsaglia polar method; the second value of each pair is cached. */
  gauss(): number {
    if (this.cachedGauss !== null) {
      const g = this.cachedGauss;
      this.cachedGauss = null;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.double() - 1;
      x2 = 2 * this.double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.cachedGauss = f * x1;
    return f * x2;
  }

  /** `normal(mean, std)`: draws the same stream as `randn`. */
  normal(mean: number, std: number): number {
    return mean + std * this.gauss();
  }

  /** Fills `out` in C order with `normal(mean, std)` draws, as `normal(mean, std, shape)` does. */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.gauss();
  }

  /** Uniform integer in [0, max] by masked rejection (NumPy's legacy `interval`), max < 2^32. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do {
      v = (this.next32() & mask) >>> 0;
    } while (v > max);
    return v;
  }

  /** `randint(lo, hi)`: one integer in [lo, hi). */
  randint(lo: number, hi: number): number {
    if (!(hi > lo)) throw new RangeError(`RandomState.randint: need lo < hi, got [${lo}, ${hi})`);
    return lo + this.interval(hi - 1 - lo);
  }

  /** `permutation(n)`: legacy Fisher–Yates from the end. */
  permutation(n: number): Int32Array {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /**
   * `binomial(n, p)` by inversion. The book only draws n = 1 (dropout keep masks), which always
   * takes this path; the BTPE branch NumPy uses for large n·p is not implemented.
   */
  binomial(n: number, p: number): number {
    if (n === 0 || p === 0) return 0;
    if (p <= 0.5) {
      if (n * p > 30) throw new RangeError('RandomState.binomial: n*p > 30 (BTPE) is not implemented');
      return this.inversion(n, p);
    }
    if (n * (1 - p) > 30) throw new RangeError('RandomState.binomial: n*(1-p) > 30 (BTPE) is not implemented');
    return n - this.inversion(n, 1 - p);
  }

  /**
   * Fills `out` with `binomial(1, p)` draws, written as `one` (1 by default; inverted dropout
   * passes its 1/p scale) or 0: exactly the values and the stream consumption of calling
   * `binomial(1, p)` per element — the same inversion loop (`invert`), with its constants (a log,
   * an exp, a square root) computed once instead of per draw. Dropout draws one mask value per
   * activation, so this loop is the whole cost of a dropout layer's mask.
   */
  fillBernoulli(out: Float32Array | Float64Array, p: number, one = 1): void {
    if (p === 0) {
      out.fill(0);
      return;
    }
    // binomial(1, p) = 1 − inversion(1, 1 − p) for p > 0.5, as `binomial` branches.
    const flip = p > 0.5;
    const c = inversionConstants(1, flip ? 1 - p : p);
    for (let i = 0; i < out.length; i++) {
      const x = this.invert(1, c);
      out[i] = (flip ? 1 - x : x) === 1 ? one : 0;
    }
  }

  private inversion(n: number, p: number): number {
    return this.invert(n, inversionConstants(n, p));
  }

  /** NumPy's binomial inversion loop (rk_binomial_inversion) with its constants given. */
  private invert(n: number, c: InversionConstants): number {
    let x = 0;
    let px = c.qn;
    let u = this.double();
    while (u > px) {
      x += 1;
      if (x > c.bound) {
        x = 0;
        px = c.qn;
        u = this.double();
      } else {
        u -= px;
        px = ((n - x + 1) * c.p * px) / (x * c.q);
      }
    }
    return x;
  }

  /** `choice(range(k), p=probs)`: CDF search with one `double()`. */
  choice(probs: ArrayLike<number>): number {
    const k = probs.length;
    const cdf = new Float64Array(k);
    let acc = 0;
    for (let i = 0; i < k; i++) {
      acc += probs[i];
      cdf[i] = acc;
    }
    for (let i = 0; i < k; i++) cdf[i] /= cdf[k - 1];
    const u = this.double();
    let count = 0;
    while (count < k && cdf[count] <= u) count++;
    return count;
  }
}

export interface InversionConstants {
  readonly p: number;
  readonly q: number;
  readonly qn: number;
  readonly bound: number;
}

/** The constants of NumPy's binomial inversion for (n, p ≤ 0.5), computed as rk_binomial_inversion does. */
export function inversionConstants(n: number, p: number): InversionConstants {
  const q = 1 - p;
  const np = n * p;
  return { p, q, qn: Math.exp(n * Math.log(q)), bound: Math.min(n, np + 10 * Math.sqrt(np * q + 1)) };
}
