// tfjs' tf.util.toNestedArray: flat values into nested arrays of a shape.
import { describeValue } from '../ops/operand.js';

function nestAt(offset: number, shape: readonly number[], a: ArrayLike<number>, isComplex: boolean): unknown[] {
  const out: unknown[] = [];
  if (shape.length === 1) {
    const d = shape[0] * (isComplex ? 2 : 1);
    for (let i = 0; i < d; i++) out[i] = a[offset + i];
  } else {
    const rest = shape.slice(1);
    const len = rest.reduce((acc, c) => acc * c) * (isComplex ? 2 : 1);
    for (let i = 0; i < shape[0]; i++) out[i] = nestAt(offset + i * len, rest, a, isComplex);
  }
  return out;
}

/**
 * The flat row-major values `a` as nested arrays of `shape`, as `tf.util.toNestedArray`: a scalar
 * shape `[]` gives `a[0]` itself, a shape with a 0 dimension gives [] (not [[], []] for [2, 0]), and
 * `isComplex` reads interleaved (real, imaginary) pairs, two numbers per element. A size that does
 * not match the shape is an error.
 * @example `km.util.toNestedArray([2, 3], new Float32Array([1, 2, 3, 4, 5, 6])) // [[1, 2, 3], [4, 5, 6]]`
 */
export function toNestedArray(shape: readonly number[], a: ArrayLike<number>, isComplex = false): number | unknown[] {
  const fn = 'km.util.toNestedArray()';
  if (shape == null || typeof shape !== 'object' || typeof shape.length !== 'number') throw new Error(`${fn} takes the shape first, an array of dimensions such as [2, 3]. Received: shape=${describeValue(shape)}.`);
  if (a == null || typeof a !== 'object' || typeof a.length !== 'number') throw new Error(`${fn} takes the values second, as a typed array or an array of numbers. Received: a=${describeValue(a)}.`);
  if (shape.length === 0) return a[0];
  const size = shape.reduce((acc, c) => acc * c) * (isComplex ? 2 : 1);
  if (size === 0) return [];
  if (size !== a.length) {
    throw new Error(`${fn}: shape [${shape.join(', ')}] holds ${size} values${isComplex ? ' (two per complex element)' : ''}, but the array has ${a.length}. Pass the shape the values came from.`);
  }
  return nestAt(0, shape, a, isComplex);
}
