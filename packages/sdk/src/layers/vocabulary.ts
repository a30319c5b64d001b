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
 * sorts by (count, token) ascending with np.lexsort and reverses the order.
 */
export function frequentTokens(counts: ReadonlyMap<number, number>, room: number): number[] {
  return [...counts].sort(([ta, ca], [tb, cb]) => cb - ca || tb - ta).slice(0, room).map(([token]) => token);
}
