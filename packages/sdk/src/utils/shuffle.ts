import { globalGenerator } from './random.js';

type Shuffleable<T> = T[] | Float32Array | Int32Array | Uint32Array | Uint8Array;

/**
 * Shuffles `array` in place, as tfjs' `tf.util.shuffle`, drawing from the generator
 * {@link setRandomSeed} seeds, so a seeded program shuffles the same way on every run (tfjs draws
 * from Math.random).
 *
 * @example
 * ```ts
 * km.utils.setRandomSeed(1);
 * const rows = [...data];
 * km.utils.shuffle(rows);
 * ```
 */
export function shuffle<T>(array: Shuffleable<T>): void {
  if (!Array.isArray(array) && !ArrayBuffer.isView(array)) {
    throw new Error(`shuffle (km.util.shuffle, km.utils.shuffle) takes an array or a typed array, which it shuffles in place. Received: ${array === null ? 'null' : typeof array}.`);
  }
  globalGenerator().shuffle(array as { length: number; [index: number]: unknown });
}

/**
 * Shuffles two arrays of the same length in place with one permutation, as tfjs'
 * `tf.util.shuffleCombo`: `xs[i]` and `ys[i]` stay together.
 *
 * @example `km.utils.shuffleCombo(features, labels)`
 */
export function shuffleCombo<T, U>(array: Shuffleable<T>, array2: Shuffleable<U>): void {
  if (array.length !== array2.length) {
    throw new Error(`shuffleCombo (km.util.shuffleCombo, km.utils.shuffleCombo) shuffles two arrays with one permutation, so they must have the same length. Received lengths ${array.length} and ${array2.length}.`);
  }
  const order = Int32Array.from({ length: array.length }, (_, i) => i);
  globalGenerator().shuffle(order);
  for (const target of [array, array2] as Shuffleable<unknown>[]) {
    const copy = Array.from(target as ArrayLike<unknown>);
    order.forEach((from, to) => ((target as unknown[])[to] = copy[from]));
  }
}
