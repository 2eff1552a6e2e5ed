/**
 * Profiles: `modern` computes true derivatives with today's defaults; `book` reproduces the
 * behaviours of *Deep Learning from Scratch*'s code that its printed numbers depend on
 * (book-parity.md §2–3). Each quirk is implemented where it applies and documented there with
 * the experiments that need it; this type only names them.
 */
export type ProfileName = 'modern' | 'book';

export interface Profile {
  readonly name: ProfileName;
  /** Dense layers initialise lazily on the first forward, reseeding with the network seed (§3.1). */
  readonly lazyReseedInit: boolean;
  /** "glorot" means std = 2/(in+out), biases drawn with the same std (§3.2). */
  readonly bookGlorot: boolean;
  /** Dropout keeps with prob p, no 1/p rescaling in training, ×p at inference (§3.3). */
  readonly keepProbDropout: boolean;
  /** Softmax cross-entropy in the clipped binary-CE-over-classes form (§3.4). */
  readonly bookSoftmaxCrossEntropy: boolean;
  /** MSE summed over output columns and divided by B; normalize ignores its Jacobian (§3.5). */
  readonly bookMeanSquaredError: boolean;
  /** Momentum keeps lr inside the velocity: v = μv + lr·g; w -= v (§3.7). */
  readonly bookMomentum: boolean;
  /** Early stopping restores the model after e epochs but metrics use the un-restored one (§3.8). */
  readonly bookEarlyStopping: boolean;
  /** ReLU backward passes the gradient through unchanged (the book's bug, E4.4 only) (§3.9). */
  readonly reluIdentityBackward: boolean;
  /** Conv2d draws W in lincoln's [Cin, Cout, kh, kw] order and has no bias unless asked (§6.4, E5.4). */
  readonly bookConvInit: boolean;
  /** Conv2d's weight gradient pairs patch rows (hw, b) with gradient rows (b, hw): the book's bug for B > 1 (§2.1, E5.4). */
  readonly bookConvParamGrad: boolean;
  /**
   * Recurrent layers start each call from the batch mean of the previous call's final H (and C),
   * with no gradient across calls (§3.12, E6.1–E6.5); modern layers start every call from zero.
   */
  readonly carryRecurrentState: boolean;
  /**
   * Recurrent layers draw every parameter, biases included, from N(0, weight_scale) with the
   * book's default scales (§6.7: RNN 2/(in+out), LSTM and GRU 0.01; GRU's B_h, W_v, B_v std 1).
   */
  readonly bookRecurrentInit: boolean;
  /**
   * Dense and conv2d layers without `init` draw W from N(0, 1), the book's default; the modern
   * profile picks He or Glorot by activation instead (layers/init.ts `defaultInit`).
   */
  readonly standardDefaultInit: boolean;
}

export const MODERN: Profile = Object.freeze({
  name: 'modern',
  lazyReseedInit: false,
  bookGlorot: false,
  keepProbDropout: false,
  bookSoftmaxCrossEntropy: false,
  bookMeanSquaredError: false,
  bookMomentum: false,
  bookEarlyStopping: false,
  reluIdentityBackward: false,
  bookConvInit: false,
  bookConvParamGrad: false,
  carryRecurrentState: false,
  bookRecurrentInit: false,
  standardDefaultInit: false,
});

export const BOOK: Profile = Object.freeze({
  name: 'book',
  lazyReseedInit: true,
  bookGlorot: true,
  keepProbDropout: true,
  bookSoftmaxCrossEntropy: true,
  bookMeanSquaredError: true,
  bookMomentum: true,
  bookEarlyStopping: true,
  reluIdentityBackward: true,
  bookConvInit: true,
  bookConvParamGrad: true,
  carryRecurrentState: true,
  bookRecurrentInit: true,
  standardDefaultInit: true,
});

export function profileByName(name: ProfileName): Profile {
  return name === 'book' ? BOOK : MODERN;
}

/** One switchable behaviour of a profile (every field but the name). */
export type QuirkName = Exclude<keyof Profile, 'name'>;
export type Quirks = Readonly<Partial<Record<QuirkName, boolean>>>;
export const QUIRK_NAMES = Object.keys(MODERN).filter((k) => k !== 'name') as readonly QuirkName[];

/**
 * A profile with single quirks switched: e.g. the book profile with `bookGlorot: false` is the 2024
 * re-run of chapter 4, whose Dense layers draw Glorot weights with std √(2/(in+out)) (E4b.7).
 * The name stays the base profile's, which still decides the forms keyed on it (AdaGrad, the text loss).
 */
export function profileWith(name: ProfileName, quirks: Quirks = {}): Profile {
  const base = profileByName(name);
  const switched = QUIRK_NAMES.filter((q) => quirks[q] !== undefined && quirks[q] !== base[q]);
  if (switched.length === 0) return base;
  return Object.freeze({ ...base, ...Object.fromEntries(switched.map((q) => [q, quirks[q]])) });
}
