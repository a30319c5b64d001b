import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { rowMajorStrides } from '../tensor_slice.js';
import { parseAxes } from './axes.js';
import { sourceOffsets } from './offsets.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/**
 * `x` with the order of its entries reversed along `axis` (one axis or a list; all by default), as
 * `tf.reverse`. Its gradient is dy reversed the same way.
 * @example `km.reverse(km.tensor([1, 2, 3]))` ([3, 2, 1]), `km.reverse(images, 2)` (mirrored left to right, NHWC)
 */
export function reverse<D extends DType>(x: Tensor<D> | TensorLike, axis?: number | readonly number[]): Tensor<D> {
  const fn = 'km.reverse()';
  const t = operand<D>(fn, 'x', x);
  const axes = parseAxes(fn, axis, t.shape);
  const strides = rowMajorStrides(t.shape);
  // A reversed axis starts at its last entry and steps back.
  const last = axes.reduce((n, a) => n + Math.max(t.shape[a] - 1, 0) * strides[a], 0);
  const steps = sourceOffsets(t.shape, strides.map((s, a) => (axes.includes(a) ? -s : s)));
  const values = hostValues(fn, t);
  const out = typedArray(t.dtype, t.size);
  for (let i = 0; i < out.length; i++) out[i] = values[last + steps[i]];
  const result = new Tensor(out, t.shape, t.dtype);
  if (taping()) {
    record(result, [t], (dy) => {
      const g = new Float32Array(dy.length);
      for (let i = 0; i < g.length; i++) g[last + steps[i]] = dy[i];
      return [g];
    });
  }
  return result;
}
