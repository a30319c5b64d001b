// tfjs' booleanMaskAsync: the slices of a tensor where a mask is true, read without blocking.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { gather } from './gather.js';
import { operand } from './operand.js';

/**
 * The slices of `tensor` where `mask` is true, as `tf.booleanMaskAsync(tensor, mask, axis)`: mask
 * (rank 1 or more) covers tensor's axes from `axis` (default 0) on, those axes become one axis
 * holding the chosen slices in row-major order, and the result keeps tensor's dtype. tfjs takes a
 * bool mask; kerasm, which has no bool dtype, takes any tensor, a value other than 0 (NaN too)
 * counting as true. An all-false mask gives an empty axis. It reads the mask with
 * `await mask.data()`, so it returns a Promise, as tfjs does. No gradient (tfjs has none; an async
 * op cannot run inside km.grad's f).
 * @example `await km.booleanMaskAsync(km.tensor([[1, 2], [3, 4], [5, 6]]), km.tensor([1, 0, 1], undefined, 'int32'))` (values [[1, 2], [5, 6]])
 */
export async function booleanMaskAsync<D extends DType>(tensor: Tensor<D> | TensorLike, mask: Tensor | TensorLike, axis = 0): Promise<Tensor<D>> {
  const fn = 'km.booleanMaskAsync()';
  const t = operand<D>(fn, 'tensor', tensor);
  const m = operand(fn, 'mask', mask);
  if (m.rank < 1) throw new Error(`${fn}: mask must have rank 1 or more (a scalar mask would keep or drop everything). Received: mask.shape=[]; reshape it to [1] and expandDims the tensor.`);
  if (!Number.isInteger(axis) || axis < 0 || axis + m.rank > t.rank) {
    throw new Error(`${fn}: axis must be an integer from 0 to tensor's rank minus mask's rank (${t.rank - m.rank}), the first axis the mask covers; negative axes are not taken, as in tfjs. Received: axis=${String(axis)}, tensor.shape=[${t.shape.join(', ')}], mask.shape=[${m.shape.join(', ')}].`);
  }
  const covered = t.shape.slice(axis, axis + m.rank);
  if (covered.some((d, i) => d !== m.shape[i])) {
    throw new Error(`${fn}: mask's shape must equal tensor's axes from axis=${axis} on, [${covered.join(', ')}]. Received: mask.shape=[${m.shape.join(', ')}], tensor.shape=[${t.shape.join(', ')}].`);
  }
  const flags = await m.data();
  const chosen: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i] !== 0) chosen.push(i);
  const merged = t.reshape([...t.shape.slice(0, axis), m.size, ...t.shape.slice(axis + m.rank)]);
  return gather(merged, Int32Array.from(chosen), axis);
}
