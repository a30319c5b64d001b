// tfjs' flipLeftRight: each image of an NHWC batch mirrored left to right.
import type { DType, Tensor, TensorLike } from '../../tensor.js';
import { operand } from '../operand.js';
import { reverse } from '../reverse.js';
import { batchShape } from './image_shape.js';

/**
 * Each image of `image` (`[batch, height, width, channels]`) mirrored left to right, as
 * `tf.image.flipLeftRight`; the dtype is kept. It is km.reverse along the width axis, so it also
 * passes gradients (tfjs' has none).
 * @example `km.image.flipLeftRight(images)`
 */
export function flipLeftRight<D extends DType>(image: Tensor<D> | TensorLike): Tensor<D> {
  const fn = 'km.image.flipLeftRight()';
  const t = operand<D>(fn, 'image', image);
  batchShape(fn, 'image', t, [4]);
  return reverse(t, 2);
}
