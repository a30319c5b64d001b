/** Adds each value of `values` (whole numbers) to `counts`, refusing anything else. */
export function countTokens(values: ArrayLike<number>, counts: Map<number, number>, where: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 24) {
      throw new Error(`${where}: adapt reads whole-number tokens from -2^24 to 2^24 (what float32 batches hold exactly), but received ${v} at position ${i} of a batch. Pass whole numbers in that range (an int32 tensor).`);
    }
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
}

/**
 * The `room` most frequent tokens, ties broken by the larger token first: Keras' index lookup
 * sorts by (count, token) ascending with np.lexsort and reverses the order. `compare` orders the
 * tokens (numbers by value by default; strings by {@link compareCodePoints}).
 */
export function frequentTokens<T = number>(counts: ReadonlyMap<T, number>, room: number, compare: (a: T, b: T) => number = (a, b) => (a as number) - (b as number)): T[] {
  return [...counts].sort(([ta, ca], [tb, cb]) => cb - ca || compare(tb, ta)).slice(0, room).map(([token]) => token);
}

/**
 * Orders strings as NumPy sorts Keras' UTF-8 byte strings: by code point (the UTF-8 byte order),
 * which differs from JavaScript's `<` (UTF-16 units) for characters beyond U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return (a.length - i) - (b.length - j);
}

/**
 * Refuses `adapt` (before it reads any data) on an inverting lookup, and on a vocabulary that was
 * given (Keras refuses it after the vocabulary option only), since learning another would re-index
 * the tokens under a model trained on them. `givenByConfig` says how a config gives one.
 */
export function checkAdaptableVocabulary(where: string, invert: boolean, given: boolean, givenByConfig: string): void {
  if (invert) throw new Error(`${where} maps indices back to tokens (invert: true), so adapt has nothing to learn. Give it the vocabulary of the lookup it inverts.`);
  if (given) {
    throw new Error(
      `Cannot adapt ${where} after setting a static vocabulary via the vocabulary option (${givenByConfig}) or setVocabulary() (Keras refuses it after the vocabulary option; kerasm after any, so tokens are never re-indexed under a trained model): ` +
        `adapt would learn other indices, and a model trained on these would read the wrong ones. ` +
        `To learn a vocabulary from data, make a new layer without vocabulary and adapt that; to replace this one's, call setVocabulary(tokens).`,
    );
  }
}
