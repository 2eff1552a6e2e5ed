import { assertValue } from '../errors';

/**
 * The characters of a text and their indices: sorted unique characters (Unicode code points,
 * in code-unit order). The book builds it with `list(set(data))`, whose order depends on
 * Python's string hashing and changes between runs (book-parity.md §2.3, §7.3); sorted is the
 * reproducible choice, so a saved model's indices mean the same characters tomorrow.
 */
export class CharVocabulary {
  readonly chars: readonly string[];
  private readonly index: ReadonlyMap<string, number>;

  constructor(chars: Iterable<string>) {
    this.chars = Object.freeze([...new Set(chars)].sort());
    this.index = new Map(this.chars.map((c, i) => [c, i]));
  }

  /** The vocabulary of `text`: every distinct character, sorted. */
  static fromText(text: string): CharVocabulary {
    assertValue(text.length > 0, () => 'CharVocabulary: the text is empty');
    return new CharVocabulary(text);
  }

  get size(): number {
    return this.chars.length;
  }

  indexOf(char: string): number {
    const i = this.index.get(char);
    assertValue(i !== undefined, () => `CharVocabulary: character ${JSON.stringify(char)} is not in the vocabulary`);
    return i;
  }

  /** One index per character (code point) of `text`. */
  encode(text: string): Int32Array {
    // No [...text]: an array of one string per character takes ~40 bytes each (a 150 MB text
    // ran out of heap); at most text.length code points, so the buffer is trimmed at the end.
    const out = new Int32Array(text.length);
    let n = 0;
    for (const c of text) out[n++] = this.indexOf(c);
    return n === out.length ? out : out.slice(0, n);
  }

  decode(indices: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < indices.length; i++) s += this.chars[indices[i]];
    return s;
  }
}
