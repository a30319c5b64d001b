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

/**
 * The most out-of-vocabulary indices a lookup takes: its indices are whole float32 numbers, exact up
 * to 2^24, and `getVocabulary()` lists the OOV token once per index.
 */
export const MAX_OOV_INDICES = 2 ** 24;

/**
 * The number of out-of-vocabulary indices (default 1), refusing anything but a whole number from 0
 * to {@link MAX_OOV_INDICES}: 0 refuses unknown tokens, and several spread them by a hash of the
 * token, as Keras does.
 */
export function checkNumOovIndices(numOovIndices: unknown, where: string): number {
  const n = numOovIndices ?? 1;
  const received = `Received: numOovIndices=${(JSON.stringify(numOovIndices) ?? String(numOovIndices)).slice(0, 60)}.`;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new Error(`${where}: numOovIndices must be a whole number from 0 (0 refuses unknown tokens; 1, the default, gives them one index; more spread them over that many indices by a hash). ${received}`);
  }
  if (n > MAX_OOV_INDICES) {
    throw new Error(`${where}: numOovIndices can be at most 2^24 (${MAX_OOV_INDICES}): the indices are whole float32 numbers, exact only up to 2^24, and getVocabulary() lists the OOV token once per index. ${received} Use fewer OOV indices (a few are usually enough to spread unknown tokens).`);
  }
  return n;
}

/**
 * Refuses the OOV hashing options of newer Keras (3.14) that kerasm does not follow: a `salt`
 * (SipHash-2-4 instead of FarmHash) and, for integer tokens, `oov_method: 'farmhash'` (FarmHash of
 * the decimal string instead of floormod). Their defaults (null, 'floormod') change nothing.
 * `config` is a saved config, with snake_case or camelCase keys.
 */
export function checkOovHashing(config: Readonly<Record<string, unknown>>, integers: boolean, where: string): void {
  const salt = config.salt ?? null;
  const method = config.oovMethod ?? config.oov_method ?? 'floormod';
  if (salt !== null) {
    throw new Error(`${where}: the config gives salt=${JSON.stringify(salt)}, which makes Keras hash out-of-vocabulary tokens with SipHash; kerasm hashes them as Keras does without a salt (FarmHash for strings, floormod for integers). Save the layer without salt (salt: null), or retrain with that hashing.`);
  }
  if (method !== 'floormod' && method !== 'farmhash') {
    throw new Error(`${where}: oov_method must be 'floormod' or 'farmhash'. Received: oov_method=${JSON.stringify(method)}.`);
  }
  if (integers && method === 'farmhash') {
    throw new Error(`${where}: the config gives oov_method='farmhash', which makes Keras hash out-of-vocabulary integers by FarmHash of their decimal strings; kerasm maps them as Keras' default does, floormod(token, numOovIndices). Save the layer with oov_method='floormod'.`);
  }
}
