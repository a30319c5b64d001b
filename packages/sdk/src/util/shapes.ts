// tfjs' tf.util functions over shapes, strides and flat indices (row-major, as tensors store values).
import { describeValue } from '../ops/operand.js';
import { arraysEqual } from './arrays.js';
import { assert } from './checks.js';
import { isInt } from './numbers.js';

function checkShape(fn: string, shape: unknown): void {
  if (shape == null || typeof (shape as { length?: unknown }).length !== 'number' || typeof shape === 'string') {
    throw new Error(`km.util.${fn}() takes a shape, an array of dimensions such as [2, 3] ([] for a scalar). Received: shape=${describeValue(shape)}.`);
  }
}

/**
 * The number of elements of a tensor of `shape`, the product of its dimensions (1 for a scalar's
 * `[]`, 0 when a dimension is 0), as `tf.util.sizeFromShape`.
 * @example `km.util.sizeFromShape([2, 3, 4]) // 24`
 */
export function sizeFromShape(shape: readonly number[]): number {
  checkShape('sizeFromShape', shape);
  if (shape.length === 0) return 1;
  let size = shape[0];
  for (let i = 1; i < shape.length; i++) size *= shape[i];
  return size;
}

/** Whether `shape` is a scalar's, `[]`, as `tf.util.isScalarShape`. @example `km.util.isScalarShape([]) // true` */
export function isScalarShape(shape: readonly number[]): boolean {
  return shape.length === 0;
}

/**
 * The row-major strides of `shape` without the last (always 1), as `tf.util.computeStrides`:
 * strides[i] is the number of elements one step along axis i skips. Ranks 0 and 1 give [].
 * @example `km.util.computeStrides([2, 3, 4]) // [12, 4]`
 */
export function computeStrides(shape: readonly number[]): number[] {
  checkShape('computeStrides', shape);
  const rank = shape.length;
  if (rank < 2) return [];
  const strides = new Array<number>(rank - 1);
  strides[rank - 2] = shape[rank - 1];
  for (let i = rank - 3; i >= 0; --i) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/**
 * The flat (row-major) index of the element at `locs` in a tensor of `rank` with `strides` (from
 * {@link computeStrides}), as `tf.util.locToIndex`.
 * @example `km.util.locToIndex([1, 2, 3], 3, km.util.computeStrides([2, 3, 4])) // 23`
 */
export function locToIndex(locs: readonly number[], rank: number, strides: readonly number[]): number {
  if (rank === 0) return 0;
  if (rank === 1) return locs[0];
  let index = locs[locs.length - 1];
  for (let i = 0; i < locs.length - 1; ++i) index += strides[i] * locs[i];
  return index;
}

/**
 * The location (one index per axis) of flat index `index` in a tensor of `rank` with `strides`
 * (from {@link computeStrides}), the inverse of {@link locToIndex}, as `tf.util.indexToLoc`.
 * @example `km.util.indexToLoc(23, 3, km.util.computeStrides([2, 3, 4])) // [1, 2, 3]`
 */
export function indexToLoc(index: number, rank: number, strides: readonly number[]): number[] {
  if (rank === 0) return [];
  if (rank === 1) return [index];
  const locs = new Array<number>(rank);
  for (let i = 0; i < locs.length - 1; ++i) {
    locs[i] = Math.floor(index / strides[i]);
    index -= locs[i] * strides[i];
  }
  locs[locs.length - 1] = index;
  return locs;
}

/**
 * `shape` with its one −1 dimension replaced by what makes it hold `size` elements, as
 * `tf.util.inferFromImplicitShape` (and its errors: two −1s, a negative dimension, a size the
 * other dimensions do not divide). Without a −1 the shape is returned as it is, after checking that
 * it holds `size` elements (a `size` of 0 skips the check, as tfjs).
 * @example `km.util.inferFromImplicitShape([-1, 4], 12) // [3, 4]`
 */
export function inferFromImplicitShape(shape: number[], size: number): number[] {
  let shapeProd = 1;
  let implicitIdx = -1;
  for (let i = 0; i < shape.length; ++i) {
    if (shape[i] >= 0) shapeProd *= shape[i];
    else if (shape[i] === -1) {
      if (implicitIdx !== -1) throw Error(`Shapes can only have 1 implicit size. Found -1 at dim ${implicitIdx} and dim ${i}`);
      implicitIdx = i;
    } else if (shape[i] < 0) throw Error(`Shapes can not be < 0. Found ${shape[i]} at dim ${i}`);
  }
  if (implicitIdx === -1) {
    if (size > 0 && size !== shapeProd) throw Error(`Size(${size}) must match the product of shape ${shape}`);
    return shape;
  }
  if (shapeProd === 0) throw Error(`Cannot infer the missing size in [${shape}] when there are 0 elements`);
  if (size % shapeProd !== 0) throw Error(`The implicit shape can't be a fractional number. Got ${size} / ${shapeProd}`);
  const newShape = shape.slice();
  newShape[implicitIdx] = size / shapeProd;
  return newShape;
}

/**
 * The axes `axis` names in a tensor of `shape`, negative ones counted from the end (−1 is the
 * last), all of them when `axis` is null or undefined, as `tf.util.parseAxisParam` (with its
 * messages for an axis out of range or not an integer).
 * @example `km.util.parseAxisParam(-1, [2, 3, 4]) // [2]`
 */
export function parseAxisParam(axis: number | readonly number[] | null | undefined, shape: readonly number[]): number[] {
  const rank = shape.length;
  const axes: number[] = axis == null ? shape.map((_, i) => i) : ([] as number[]).concat(axis);
  assert(axes.every((ax) => ax >= -rank && ax < rank), () => `All values in axis param must be in range [-${rank}, ${rank}) but got axis ${axes}`);
  assert(axes.every((ax) => isInt(ax)), () => `All values in axis param must be integers but got axis ${axes}`);
  return axes.map((a) => (a < 0 ? rank + a : a));
}

/**
 * `shape` without its size-1 dimensions (only those in `axis`, when given; one of those that is
 * not 1 is an error), and the axes kept, as `tf.util.squeezeShape`. The axes are sorted by value
 * (tfjs sorts them as strings, which misorders axes from 10 on).
 * @example `km.util.squeezeShape([1, 3, 1, 2]) // { newShape: [3, 2], keptDims: [1, 3] }`
 */
export function squeezeShape(shape: readonly number[], axis?: readonly number[]): { newShape: number[]; keptDims: number[] } {
  const newShape: number[] = [];
  const keptDims: number[] = [];
  const axes = axis == null || (Array.isArray(axis) && axis.length === 0) ? null : parseAxisParam(axis, shape).sort((a, b) => a - b);
  let j = 0;
  for (let i = 0; i < shape.length; ++i) {
    if (axes != null) {
      if (axes[j] === i && shape[i] !== 1) throw new Error(`Can't squeeze axis ${i} since its dim '${shape[i]}' is not 1`);
      if ((axes[j] == null || axes[j] > i) && shape[i] === 1) {
        newShape.push(shape[i]);
        keptDims.push(i);
      }
      if (axes[j] <= i) j++;
    }
    if (shape[i] !== 1) {
      newShape.push(shape[i]);
      keptDims.push(i);
    }
  }
  return { newShape, keptDims };
}

/**
 * A [width, height] of about √size each that holds `size` elements: width = ⌈√size⌉, height =
 * ⌈size / width⌉, as `tf.util.sizeToSquarishShape`.
 * @example `km.util.sizeToSquarishShape(10) // [4, 3]`
 */
export function sizeToSquarishShape(size: number): [number, number] {
  const width = Math.ceil(Math.sqrt(size));
  return [width, Math.ceil(size / width)];
}

/**
 * Throws unless the two shapes are equal, as `tf.util.assertShapesMatch`, with tfjs' message:
 * `${errorMessagePrefix} Shapes ${shapeA} and ${shapeB} must match`.
 * @example `km.util.assertShapesMatch(a.shape, b.shape, 'add:')`
 */
export function assertShapesMatch(shapeA: readonly number[], shapeB: readonly number[], errorMessagePrefix = ''): void {
  assert(arraysEqual(shapeA, shapeB), () => errorMessagePrefix + ` Shapes ${shapeA} and ${shapeB} must match`);
}

/**
 * Throws unless every dimension of `shape` is a non-negative integer, as
 * `tf.util.assertNonNegativeIntegerDimensions` (with tfjs' message).
 * @example `km.util.assertNonNegativeIntegerDimensions([2, 0, 3])`
 */
export function assertNonNegativeIntegerDimensions(shape: readonly number[]): void {
  shape.forEach((dimSize) => {
    assert(Number.isInteger(dimSize) && dimSize >= 0, () => `Tensor must have a shape comprised of positive integers but got shape [${shape}].`);
  });
}
