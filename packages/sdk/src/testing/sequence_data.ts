import { Random } from '../utils/random.js';

/** Token sequences with binary labels, for the text-model tests. */
export interface SequenceTask {
  /** [n, length] token ids in [0, vocabulary). */
  tokens: Int32Array;
  /** 1 where the sequence holds a 7 somewhere before a 3, else 0. */
  labels: Float32Array;
}

/** Whether `ids` holds a 7 before a 3: computed from the tokens, whatever planted them. */
export function sevenBeforeThree(ids: ArrayLike<number>): boolean {
  let seenSeven = false;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === 7) seenSeven = true;
    else if (ids[i] === 3 && seenSeven) return true;
  }
  return false;
}

/**
 * "Does the sequence contain token 7 before token 3?": random tokens other than 3 and 7, then a 7
 * and a 3 planted in a random order at random places, so about half the labels are 1 and the order
 * (not just the presence) decides them. A convolution must see order to get it right; an average of
 * embeddings cannot.
 */
export function sevenBeforeThreeTask(n: number, length: number, vocabulary: number, seed: number): SequenceTask {
  const random = new Random(seed);
  const tokens = new Int32Array(n * length);
  const labels = new Float32Array(n);
  const others = Array.from({ length: vocabulary }, (_, v) => v).filter((v) => v !== 3 && v !== 7);
  for (let s = 0; s < n; s++) {
    const row = tokens.subarray(s * length, (s + 1) * length);
    for (let i = 0; i < length; i++) row[i] = others[Math.floor(random.uniform(0, others.length))];
    const a = Math.floor(random.uniform(0, length));
    let b = Math.floor(random.uniform(0, length - 1));
    if (b >= a) b++;
    const [first, second] = random.uniform(0, 1) < 0.5 ? [7, 3] : [3, 7];
    row[Math.min(a, b)] = first;
    row[Math.max(a, b)] = second;
    labels[s] = sevenBeforeThree(row) ? 1 : 0;
  }
  return { tokens, labels };
}
