// tfjs' tf.util dtype functions (and tf.upcastType, tf.sumOutType), for kerasm's two dtypes,
// 'float32' and 'int32'. Where tfjs would answer or take 'bool', 'string' or 'complex64', these
// throw checkDtype's error, which says what to use instead (int32 0/1 for masks, ...).
import { typedArray } from '../ops/operand.js';
import type { DType, TypedArrayFor } from '../tensor.js';
import { checkDtype } from '../tensor_checks.js';
import { flatten, type RecursiveArray } from './arrays.js';
import { isBoolean, isNumber, isString } from './checks.js';
import { toNestedArray } from './nested_arrays.js';

/**
 * The dtype tfjs gives a tensor of `values`, as `tf.util.inferDtype`: from the first leaf of nested
 * arrays (float32 for an empty array), 'float32' for numbers and Float32Arrays, 'int32' for
 * Int32Array, Uint8Array and Uint8ClampedArray, and 'int32' for booleans (tfjs' 'bool': kerasm keeps
 * masks as int32 0/1). Strings are refused: kerasm tensors hold numbers. Note that km.tensor makes a
 * Uint8Array float32 unless told 'int32'.
 * @example `km.util.inferDtype([[1, 2], [3, 4]]) // 'float32'`
 */
export function inferDtype(values: unknown): DType {
  if (Array.isArray(values)) return inferDtype(values[0]);
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray) return 'int32';
  if (isNumber(values)) return 'float32';
  if (isString(values)) return checkDtype('km.util.inferDtype() (of a string)', 'string');
  if (isBoolean(values)) return 'int32';
  return 'float32';
}

/**
 * Whether kerasm has the dtype: true for 'float32' and 'int32' only (tfjs' `tf.util.isValidDtype`
 * also accepts 'bool', 'complex64' and 'string', which kerasm lacks).
 * @example `km.util.isValidDtype('int32') // true`
 */
export function isValidDtype(dtype: unknown): dtype is DType {
  return dtype === 'float32' || dtype === 'int32';
}

/**
 * Whether casting `oldType` values to `newType` can lose information, as `tf.util.hasEncodingLoss`:
 * only float32 to int32 does.
 * @example `km.util.hasEncodingLoss('float32', 'int32') // true`
 */
export function hasEncodingLoss(oldType: DType, newType: DType): boolean {
  const fn = 'km.util.hasEncodingLoss()';
  const from = checkDtype(fn, oldType);
  const to = checkDtype(fn, newType);
  return from === 'float32' && to === 'int32';
}

/** The bytes one element of `dtype` takes, 4 for both kerasm dtypes, as `tf.util.bytesPerElement`. @example `km.util.bytesPerElement('float32') // 4` */
export function bytesPerElement(dtype: DType): number {
  checkDtype('km.util.bytesPerElement()', dtype);
  return 4;
}

/**
 * A zero-filled typed array of `size` elements for `dtype` (Float32Array when it is null or
 * undefined), as `tf.util.getArrayFromDType`.
 * @example `km.util.getArrayFromDType('int32', 3) // Int32Array [0, 0, 0]`
 */
export function getArrayFromDType<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  const fn = 'km.util.getArrayFromDType()';
  if (!Number.isInteger(size) || size < 0) throw new Error(`${fn}: size must be a non-negative integer, the number of elements. Received: size=${JSON.stringify(size)}.`);
  return typedArray((dtype == null ? 'float32' : checkDtype(fn, dtype)) as D, size);
}

/** {@link getArrayFromDType} by tfjs' other name, `tf.util.getTypedArrayFromDType`. @example `km.util.getTypedArrayFromDType('float32', 4)` */
export function getTypedArrayFromDType<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  return getArrayFromDType(dtype, size);
}

/** A zero-filled typed array of `size` elements for `dtype`, as `tf.util.makeZerosTypedArray`. @example `km.util.makeZerosTypedArray(3, 'float32')` */
export function makeZerosTypedArray<D extends DType>(size: number, dtype: D): TypedArrayFor<D> {
  return getArrayFromDType(dtype, size);
}

/** A typed array of `size` ones for `dtype`, as `tf.util.makeOnesTypedArray`. @example `km.util.makeOnesTypedArray(3, 'int32') // Int32Array [1, 1, 1]` */
export function makeOnesTypedArray<D extends DType>(size: number, dtype: D): TypedArrayFor<D> {
  return getArrayFromDType(dtype, size).fill(1) as TypedArrayFor<D>;
}

/**
 * Nested arrays of zeros in `shape` (a number for `[]`, [] when a dimension is 0), as
 * `tf.util.makeZerosNestedTypedArray`.
 * @example `km.util.makeZerosNestedTypedArray([2, 2], 'float32') // [[0, 0], [0, 0]]`
 */
export function makeZerosNestedTypedArray(shape: readonly number[], dtype: DType): number | unknown[] {
  return toNestedArray(shape, getArrayFromDType(dtype, shape.reduce((a, b) => a * b, 1)));
}

/**
 * `a` (a typed array, or nested arrays of numbers or typed arrays) as a flat typed array of
 * `dtype` (float32 when null), as `tf.util.toTypedArray`: the same array when it already has that
 * type, else a copy converted as typed arrays convert (an int32 copy truncates toward zero).
 * @example `km.util.toTypedArray([[1, 2], [3, 4]], 'int32') // Int32Array [1, 2, 3, 4]`
 */
export function toTypedArray<D extends DType>(a: RecursiveArray<number> | Float32Array | Int32Array | Uint8Array, dtype: D): TypedArrayFor<D> {
  const resolved = dtype == null ? 'float32' : checkDtype('km.util.toTypedArray()', dtype);
  const flat = Array.isArray(a) ? (flatten(a as RecursiveArray<number>) as number[]) : (a as ArrayLike<number>);
  if (resolved === 'float32') return (flat instanceof Float32Array ? flat : new Float32Array(flat)) as TypedArrayFor<D>;
  return (flat instanceof Int32Array ? flat : new Int32Array(flat)) as TypedArrayFor<D>;
}

/**
 * The dtype of an op on `typeA` and `typeB` values, as `tf.upcastType`: 'float32' when either is,
 * else 'int32'.
 * @example `km.upcastType('int32', 'float32') // 'float32'`
 */
export function upcastType(typeA: DType, typeB: DType): DType {
  const fn = 'km.upcastType()';
  const a = checkDtype(fn, typeA);
  const b = checkDtype(fn, typeB);
  return a === 'float32' || b === 'float32' ? 'float32' : 'int32';
}

/** The dtype of a sum of `type` values, as `tf.sumOutType`: upcastType(type, 'int32'), so the dtype itself. @example `km.sumOutType('int32') // 'int32'` */
export function sumOutType(type: DType): DType {
  return upcastType(type, 'int32');
}
