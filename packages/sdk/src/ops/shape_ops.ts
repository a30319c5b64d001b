// tfjs' ops that change a tensor's shape or dtype but not its values: squeeze, expandDims, reshape,
// slice, cast.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { checkDtype } from '../tensor_checks.js';
import { parseAxes, parseAxis } from './axes.js';
import { hostValues, operand } from './operand.js';
import { passingCotangent } from './tape.js';

/**
 * The tensor without its axes of size 1, as `tf.squeeze`; with `axis`, only those, each of which
 * must have size 1.
 * @example `km.squeeze(km.zeros([2, 1, 3]))` (shape [2, 3])
 */
export function squeeze<D extends DType>(x: Tensor<D> | TensorLike, axis?: number | readonly number[]): Tensor<D> {
  const fn = 'km.squeeze()';
  const t = operand<D>(fn, 'x', x);
  const axes = axis === undefined || (Array.isArray(axis) && axis.length === 0) ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : parseAxes(fn, axis, t.shape);
  for (const a of axes) {
    if (t.shape[a] !== 1) throw new Error(`${fn}: axis ${a} of shape [${t.shape.join(', ')}] has size ${t.shape[a]}, and only axes of size 1 can be squeezed. Leave it out of axis, or use reshape.`);
  }
  return passingCotangent(new Tensor(hostValues(fn, t).slice() as TypedArrayFor<D>, t.shape.filter((_, i) => !axes.includes(i)), t.dtype), t);
}

/**
 * The tensor with a new axis of size 1 at `axis` (default 0), as `tf.expandDims`; -1 appends one.
 * @example `km.expandDims(image)` (a batch of one image)
 */
export function expandDims<D extends DType>(x: Tensor<D> | TensorLike, axis = 0): Tensor<D> {
  const fn = 'km.expandDims()';
  const t = operand<D>(fn, 'x', x);
  const at = parseAxis(fn, axis, t.shape, 1);
  const shape = [...t.shape];
  shape.splice(at, 0, 1);
  return passingCotangent(new Tensor(hostValues(fn, t).slice() as TypedArrayFor<D>, shape, t.dtype), t);
}

/** The same values in another shape, as `tf.reshape`; one dimension may be -1 and is inferred. @example `km.reshape(images, [-1, 784])` */
export function reshape<D extends DType>(x: Tensor<D> | TensorLike, shape: readonly number[]): Tensor<D> {
  return operand<D>('km.reshape()', 'x', x).reshape(shape);
}

/** The box of `size` (-1: to the end) from `begin` along each axis, as `tf.slice`. @example `km.slice(yPred, [0, 0], [-1, 1])` (the first column) */
export function slice<D extends DType>(x: Tensor<D> | TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor<D> {
  return operand<D>('km.slice()', 'x', x).slice(begin, size);
}

/**
 * The values as `dtype`, as `tf.cast`: float32 to int32 truncates toward zero (NaN becomes 0, and
 * values beyond int32 wrap, as in tfjs).
 * @example `km.cast(predictions.argMax(-1), 'float32')`
 */
export function cast<T extends DType>(x: Tensor | TensorLike, dtype: T): Tensor<T> {
  const fn = 'km.cast()';
  const t = operand(fn, 'x', x);
  const to = checkDtype(fn, dtype) as T;
  const values = hostValues(fn, t);
  // An int32 result carries no gradient (the tape never records one); tfjs passes dy through it.
  return passingCotangent(new Tensor((to === 'int32' ? Int32Array.from(values) : Float32Array.from(values)) as TypedArrayFor<T>, t.shape, to), t);
}
