// tfjs' tf.util functions over single numbers.

/** `x` limited to [min, max], Math.max(min, Math.min(x, max)), as `tf.util.clamp` (note the order: min first). @example `km.util.clamp(0, 1.7, 1) // 1` */
export function clamp(min: number, x: number, max: number): number {
  return Math.max(min, Math.min(x, max));
}

/** `val` if it is even, else `val + 1`, as `tf.util.nearestLargerEven`. @example `km.util.nearestLargerEven(7) // 8` */
export function nearestLargerEven(val: number): number {
  return val % 2 === 0 ? val : val + 1;
}

/** Whether `a` is a whole number (`a % 1 === 0`; false for NaN and ±Infinity), as `tf.util.isInt`. @example `km.util.isInt(3) // true` */
export function isInt(a: number): boolean {
  return a % 1 === 0;
}

/** The hyperbolic tangent, as `tf.util.tanh` (Math.tanh). @example `km.util.tanh(0.5)` */
export function tanh(x: number): number {
  return Math.tanh(x);
}

/**
 * The smallest divisor of `size` from `start` on, `size` itself when none is below it, as
 * `tf.util.nearestDivisor`.
 * @example `km.util.nearestDivisor(12, 5) // 6`
 */
export function nearestDivisor(size: number, start: number): number {
  for (let i = start; i < size; ++i) if (size % i === 0) return i;
  return size;
}
