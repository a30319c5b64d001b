// tfjs' tf.util functions over flat and nested arrays.
import { isPromise } from './checks.js';

/** A flat vector, as tfjs' FlatVector: an array of numbers, booleans or strings, or a typed array. */
export type FlatVector = readonly (boolean | number | string)[] | ArrayLike<number>;

/** The nested arrays {@link flatten} takes: a value, or arrays (or typed arrays) of them, however deep. */
export type RecursiveArray<T> = T | readonly RecursiveArray<T>[] | { readonly [index: number]: RecursiveArray<T> };

const TYPED_ARRAY_TAGS = new Set(['Float32Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray']);

/**
 * Whether `a` is a Float32Array, Int32Array, Uint8Array (a Node Buffer included) or
 * Uint8ClampedArray, the typed arrays tfjs makes tensors of, as `tf.util.isTypedArray`. Arrays from
 * another realm (an iframe, a vm context) count too; other typed arrays (Float64Array, ...) do not.
 * @example `km.util.isTypedArray(new Float32Array(2)) // true`
 */
export function isTypedArray(a: unknown): a is Float32Array | Int32Array | Uint8Array | Uint8ClampedArray {
  return ArrayBuffer.isView(a) && TYPED_ARRAY_TAGS.has((a as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] ?? '');
}

/**
 * The leaves of an arbitrarily nested array in order, pushed onto `result`, as `tf.util.flatten`:
 * numbers, booleans, strings, promises, null and undefined are leaves; arrays and typed arrays are
 * walked (a typed array is kept whole as a leaf with `skipTypedArray`); other objects are walked by
 * their integer keys 0..max.
 * @example
 * ```ts
 * km.util.flatten([[1, 2], [3, 4], [5, [6, [7]]]]); // [1, 2, 3, 4, 5, 6, 7]
 * ```
 */
export function flatten<T extends number | boolean | string | Promise<number> | Float32Array | Int32Array | Uint8Array>(arr: T | RecursiveArray<T>, result: T[] = [], skipTypedArray = false): T[] {
  result ??= [];
  if (typeof arr === 'boolean' || typeof arr === 'number' || typeof arr === 'string' || isPromise(arr) || arr == null || (isTypedArray(arr) && skipTypedArray)) {
    result.push(arr as T);
  } else if (Array.isArray(arr) || isTypedArray(arr)) {
    for (let i = 0; i < arr.length; ++i) flatten(arr[i] as RecursiveArray<T>, result, skipTypedArray);
  } else {
    const items = arr as { readonly [index: number]: RecursiveArray<T> };
    let maxIndex = -1;
    for (const key of Object.keys(items)) if (/^([1-9]+[0-9]*|0)$/.test(key)) maxIndex = Math.max(maxIndex, Number(key));
    for (let i = 0; i <= maxIndex; i++) flatten(items[i], result, skipTypedArray);
  }
  return result;
}

/**
 * Whether two flat vectors have the same length and the same elements (compared with `===`, so
 * NaN never equals NaN), as `tf.util.arraysEqual`; null equals only itself.
 * @example `km.util.arraysEqual([2, 3], t.shape)`
 */
export function arraysEqual(n1: FlatVector | null | undefined, n2: FlatVector | null | undefined): boolean {
  if (n1 === n2) return true;
  if (n1 == null || n2 == null || n1.length !== n2.length) return false;
  for (let i = 0; i < n1.length; i++) if (n1[i] !== n2[i]) return false;
  return true;
}

/**
 * As {@link arraysEqual}, with a null element matching anything (an unknown dimension), as
 * `tf.util.arraysEqualWithNull`.
 * @example `km.util.arraysEqualWithNull([null, 3], [32, 3]) // true`
 */
export function arraysEqualWithNull(n1: readonly (number | null)[] | null | undefined, n2: readonly (number | null)[] | null | undefined): boolean {
  if (n1 === n2) return true;
  if (n1 == null || n2 == null || n1.length !== n2.length) return false;
  for (let i = 0; i < n1.length; i++) if (n1[i] !== null && n2[i] !== null && n1[i] !== n2[i]) return false;
  return true;
}

/** The sum of the numbers, left to right (0 for none), as `tf.util.sum`. @example `km.util.sum([1, 2, 3]) // 6` */
export function sum(arr: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < arr.length; i++) total += arr[i];
  return total;
}

/**
 * The squared Euclidean distance between two vectors, Σ (a[i] − b[i])² over a's length, as
 * `tf.util.distSquared`.
 * @example `km.util.distSquared([0, 0], [3, 4]) // 25`
 */
export function distSquared(a: FlatVector, b: FlatVector): number {
  let result = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Number(a[i]) - Number(b[i]);
    result += diff * diff;
  }
  return result;
}

/** Swaps `object[left]` and `object[right]` in place, as `tf.util.swap`. @example `km.util.swap(order, 0, 1)` */
export function swap<T>(object: { [index: number]: T }, left: number, right: number): void {
  const temp = object[left];
  object[left] = object[right];
  object[right] = temp;
}
