// tfjs' tf.util random functions, drawing from kerasm's global generator (tfjs draws from
// Math.random), so that km.utils.setRandomSeed makes them repeat. shuffle and shuffleCombo are
// km.utils' own (utils/shuffle.ts), re-exported by the namespace.
import { globalGenerator } from '../utils/random.js';

/**
 * The integers 0..n−1 in a random order, as `tf.util.createShuffledIndices` (the MNIST example's
 * way to shuffle a dataset). The order comes from kerasm's global generator, so after
 * `km.utils.setRandomSeed(s)` it is the same on every run.
 * @example
 * ```ts
 * km.utils.setRandomSeed(42);
 * const order = km.util.createShuffledIndices(60000); // Uint32Array
 * ```
 */
export function createShuffledIndices(n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new Error(`km.util.createShuffledIndices() takes the number of indices, a non-negative integer. Received: n=${JSON.stringify(n)}.`);
  }
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; ++i) indices[i] = i;
  globalGenerator().shuffle(indices);
  return indices;
}

/**
 * A uniform random number between `a` and `b` (b·r + (1 − r)·a for r in [0, 1)), as
 * `tf.util.randUniform`, drawn from kerasm's global generator (repeatable after
 * `km.utils.setRandomSeed`).
 * @example `km.util.randUniform(-1, 1)`
 */
export function randUniform(a: number, b: number): number {
  const r = globalGenerator().next();
  return b * r + (1 - r) * a;
}
