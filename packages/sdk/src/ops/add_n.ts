// tfjs' addN: the element-wise sum of a list of tensors of one shape and dtype.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { operands } from './join.js';
import { hostValues, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/**
 * The element-wise sum of `tensors`, as `tf.addN(tensors)`: all of one shape and dtype (no
 * broadcasting, as in tfjs), the result of that dtype. Values are added one tensor after another
 * into a float32 (or int32, wrapping) array, as tfjs' CPU kernel does, so sums match it to the bit.
 * Its gradient hands dy to each tensor, as tfjs'.
 * @example `km.addN([a, b, c])` (a + b + c)
 */
export function addN<D extends DType>(tensors: readonly (Tensor<D> | TensorLike)[]): Tensor<D> {
  const fn = 'km.addN()';
  const ts = operands<D>(fn, tensors);
  const shape = ts[0].shape;
  ts.forEach((t, i) => {
    if (t.shape.length !== shape.length || t.shape.some((d, j) => d !== shape[j])) {
      throw new Error(`${fn}: all tensors must have one shape (addN does not broadcast, as in tfjs). Broadcast them first with km.broadcastTo(t, [${shape.join(', ')}]), or use km.add. Received: tensors[0].shape=[${shape.join(', ')}], tensors[${i}].shape=[${t.shape.join(', ')}].`);
    }
  });
  const out = typedArray(ts[0].dtype, ts[0].size);
  for (const t of ts) {
    const values = hostValues(fn, t);
    for (let j = 0; j < out.length; j++) out[j] += values[j];
  }
  const result = new Tensor(out, shape, ts[0].dtype);
  if (taping()) record(result, ts, (dy) => ts.map(() => dy));
  return result;
}
