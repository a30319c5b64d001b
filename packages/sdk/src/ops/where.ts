// tfjs' where (its Select kernel): a's value where the condition holds, b's elsewhere, the three
// broadcast together, with tfjs' gradient (dy to a where the condition holds, to b elsewhere).
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { broadcastOffsets, broadcastShape, sumTilesToShape } from './binary.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/**
 * `a` where `condition` is non-zero, `b` where it is 0, element-wise, as `tf.where`. The three
 * broadcast together, as in tfjs. tfjs takes a bool condition; kerasm, which has no bool dtype, takes
 * the int32 0/1 tensors its comparisons and logical ops give, or any tensor, a value other than 0
 * (NaN too) counting as true, as tfjs' cast to bool does. The result is int32 when `a` and `b` both
 * are, else float32 (a plain number is a float32 scalar), as tfjs 4.22 upcasts. Its gradient is dy for `a`
 * where the condition holds and for `b` elsewhere (0 at the others), summed over broadcast axes as
 * tfjs' (which stops at rank 4; kerasm's does not). The condition gets none, so a function whose
 * condition compares the argument (the Huber loss below) differentiates, where tf.grads throws for
 * want of a gradient for tfjs' comparisons.
 * @example `km.where(km.less(km.abs(err), 1), err.square().mul(0.5), km.abs(err).sub(0.5))` (Huber loss)
 */
export function where<D extends DType>(condition: Tensor | TensorLike, a: Tensor<D>, b: Tensor<D>): Tensor<D>;
/** As the first overload, for a and b of other dtypes or values: int32 when both are int32, else float32, as tfjs 4.22 upcasts. */
export function where(condition: Tensor | TensorLike, a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor;
export function where(condition: Tensor | TensorLike, a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor {
  const fn = 'km.where()';
  const tc = operand(fn, 'condition', condition);
  const ta = operand(fn, 'a', a);
  const tb = operand(fn, 'b', b);
  const dtype: DType = ta.dtype === 'int32' && tb.dtype === 'int32' ? 'int32' : 'float32';
  const shape = broadcastShape(fn, broadcastShape(fn, tc.shape, ta.shape), tb.shape);
  const [vc, va, vb] = [hostValues(fn, tc), hostValues(fn, ta), hostValues(fn, tb)];
  const [ic, ia, ib] = [broadcastOffsets(tc.shape, shape), broadcastOffsets(ta.shape, shape), broadcastOffsets(tb.shape, shape)];
  const out = typedArray(dtype, shape.reduce((n, d) => n * d, 1));
  const holds = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) {
    holds[i] = vc[ic ? ic[i] : i] !== 0 ? 1 : 0;
    out[i] = holds[i] ? va[ia ? ia[i] : i] : vb[ib ? ib[i] : i];
  }
  const result = new Tensor(out, shape, dtype);
  if (taping()) {
    // dy times 0 or 1, as tfjs multiplies by the cast condition: a negative dy masked out gives -0, an infinite one NaN.
    const masked = (dy: Float32Array, to: 0 | 1): Float32Array => dy.map((g, i) => g * (holds[i] === to ? 1 : 0));
    record(result, [tc, ta, tb], (dy, needed) => [
      null,
      needed[1] ? sumTilesToShape(masked(dy, 1), ia, ta.shape) : null,
      needed[2] ? sumTilesToShape(masked(dy, 0), ib, tb.shape) : null,
    ]);
  }
  return result;
}
