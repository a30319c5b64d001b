// tfjs' linalg.gramSchmidt: an orthonormal basis of the span of some vectors, in their order.
import type { Tensor, TensorLike } from '../../tensor.js';
import { div, mul, sub } from '../arithmetic.js';
import { stack } from '../join.js';
import { norm } from '../norm.js';
import { operand } from '../operand.js';
import { sum } from '../reduce.js';
import { unstack } from '../split.js';

/**
 * The vectors of `xs` (the rows of a `[m, n]` matrix, or an array of `[n]` vectors) made
 * orthonormal in order by classical Gram-Schmidt, as `tf.linalg.gramSchmidt`: each has its
 * projections on the ones before subtracted, then is divided by its norm. Needs m ≤ n. Returns the
 * same form it was given, float32. Made of km ops, so it passes gradients, as tfjs'.
 * @example `km.linalg.gramSchmidt(km.tensor([[1, 1], [1, 0]]))`
 */
export function gramSchmidt(xs: Tensor): Tensor<'float32'>;
/** As the first overload, for a list of vectors: returns a list. */
export function gramSchmidt(xs: readonly (Tensor | TensorLike)[]): Tensor<'float32'>[];
export function gramSchmidt(xs: Tensor | readonly (Tensor | TensorLike)[]): Tensor<'float32'> | Tensor<'float32'>[] {
  const fn = 'km.linalg.gramSchmidt()';
  const asList = Array.isArray(xs) && xs.length > 0 && !(typeof xs[0] === 'number');
  let vectors: Tensor[];
  if (asList) {
    vectors = (xs as readonly (Tensor | TensorLike)[]).map((x, i) => operand(fn, `xs[${i}]`, x));
    const bad = vectors.findIndex((v) => v.rank !== 1 || v.shape[0] !== vectors[0].shape[0]);
    if (bad >= 0) throw new Error(`${fn}: xs must hold vectors of one length (rank 1). Received: xs[0].shape=[${vectors[0].shape.join(', ')}], xs[${bad}].shape=[${vectors[bad].shape.join(', ')}].`);
  } else {
    if (Array.isArray(xs) && xs.length === 0) throw new Error(`${fn}: xs must not be empty: give a [m, n] matrix or a list of [n] vectors. Received: xs=[].`);
    const t = operand(fn, 'xs', xs as Tensor);
    if (t.rank !== 2 || t.shape[0] === 0) throw new Error(`${fn}: xs must be a [m, n] matrix (one vector per row) or a list of [n] vectors. Received: xs.shape=[${t.shape.join(', ')}].`);
    vectors = unstack(t);
  }
  const n = vectors[0].shape[0];
  if (vectors.length > n) throw new Error(`${fn}: there are more vectors (${vectors.length}) than dimensions (${n}), so they cannot all be orthonormal. Give at most ${n} vectors.`);
  const ys: Tensor<'float32'>[] = [];
  for (const v of vectors) {
    let x: Tensor = v;
    for (const y of ys) x = sub(x, mul(sum(mul(y, x)), y));
    ys.push(div(x, norm(x)) as Tensor<'float32'>);
  }
  return asList ? ys : stack(ys);
}
