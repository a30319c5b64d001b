import { Random } from '../utils/random.js';

/** Padded sequences for the masking tests: `n` samples of `steps`, each of a random length from 1 to `steps`. */
export interface PaddedSequences {
  /** Each sample's real length. */
  lengths: number[];
  /** [n, steps] token ids in [1, vocabulary), 0 at the padding. */
  tokens: Int32Array;
  /** [n, steps, features] values, never a whole step of 0s, and 0s at the padding. */
  series: Float32Array;
}

/** Sequences padded with 0 at the end (`'end'`, Keras' default) or the start (`'start'`). */
export function paddedSequences(n: number, steps: number, vocabulary: number, features: number, seed: number, padding: 'start' | 'end' = 'end'): PaddedSequences {
  const random = new Random(seed);
  const lengths = Array.from({ length: n }, (_, i) => (i === 0 ? steps : 1 + Math.floor(random.uniform(0, steps))));
  const tokens = new Int32Array(n * steps);
  const series = new Float32Array(n * steps * features);
  lengths.forEach((length, i) => {
    const first = padding === 'end' ? 0 : steps - length;
    for (let s = first; s < first + length; s++) {
      tokens[i * steps + s] = 1 + Math.floor(random.uniform(0, vocabulary - 1));
      // An offset keeps the first feature away from 0, so no real step looks like padding.
      for (let f = 0; f < features; f++) series[(i * steps + s) * features + f] = (f === 0 ? 0.5 : 0) + random.uniform(-1, 1);
    }
  });
  return { lengths, tokens, series };
}
