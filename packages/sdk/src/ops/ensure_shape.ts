// tfjs' ensureShape: an assertion on a tensor's shape, for code that wants to fail early.
import type { Tensor, DType, TensorLike } from '../tensor.js';
import { operand } from './operand.js';

/**
 * `x` itself once its shape is checked against `shape`, as `tf.ensureShape`: the same rank, and the
 * same size on each axis where `shape` gives a number (null allows any size). A mismatch is an
 * error naming both shapes.
 * @example `km.ensureShape(batch, [null, 28, 28, 1])` (any number of 28×28 images)
 */
export function ensureShape<D extends DType>(x: Tensor<D> | TensorLike, shape: readonly (number | null)[]): Tensor<D> {
  const fn = 'km.ensureShape()';
  const t = operand<D>(fn, 'x', x);
  if (!Array.isArray(shape) || !shape.every((d) => d === null || (Number.isInteger(d) && d >= 0))) {
    throw new Error(`${fn}: shape must list a non-negative integer, or null for any size, per axis, e.g. [null, 28, 28, 1]. Received: shape=${JSON.stringify(shape)}.`);
  }
  if (shape.length !== t.rank || shape.some((d, i) => d !== null && d !== t.shape[i])) {
    const fix = shape.length !== t.rank ? `it has rank ${t.rank}, not ${shape.length}` : `axis ${shape.findIndex((d, i) => d !== null && d !== t.shape[i])} differs`;
    throw new Error(`${fn}: x has shape [${t.shape.join(', ')}], which does not fit the expected [${shape.map((d) => (d === null ? 'null' : d)).join(', ')}] (null: any size): ${fix}. Reshape x, or fix the expected shape. Received: x.shape=[${t.shape.join(', ')}].`);
  }
  return t;
}
