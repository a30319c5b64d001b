// tfjs' depthToSpace: blocks of channels spread out over space, as a reshape, a transpose and a
// reshape (so its gradient is theirs: the same permutation undone).
import type { Tensor, DType, TensorLike } from '../tensor.js';
import { operand } from './operand.js';
import { transpose } from './transpose.js';

/**
 * The channels of `x` rearranged into `blockSize`×`blockSize` blocks of space, as
 * `tf.depthToSpace`: [batch, h, w, c] becomes [batch, h · blockSize, w · blockSize, c / blockSize²]
 * ('NHWC', the default), the channel at (i · blockSize + j) · c' + d of a pixel going to row i,
 * column j of its block; 'NCHW' does the same with the channels first. Unlike tfjs, which takes
 * float32 only and 'NHWC' only on its CPU backend, it keeps any dtype and takes both formats, and
 * it has a gradient (tfjs has none): dy rearranged back.
 * @example `km.depthToSpace(features, 2)` ([1, 8, 8, 12] into [1, 16, 16, 3], a sub-pixel upscale)
 */
export function depthToSpace<D extends DType>(x: Tensor<D> | TensorLike, blockSize: number, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): Tensor<D> {
  const fn = 'km.depthToSpace()';
  const t = operand<D>(fn, 'x', x);
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') throw new Error(`${fn}: dataFormat must be 'NHWC' (channels last) or 'NCHW' (channels first). Received: dataFormat=${JSON.stringify(dataFormat)}.`);
  if (t.rank !== 4) throw new Error(`${fn} rearranges a batch of images, a tensor of rank 4 (${dataFormat}). Add a batch axis with expandDims, or reshape. Received: x.shape=[${t.shape.join(', ')}].`);
  if (!Number.isInteger(blockSize) || blockSize < 2) throw new Error(`${fn}: blockSize must be an integer of at least 2 (the side of each block). Received: blockSize=${String(blockSize)}.`);
  const [b, h, w, c] = dataFormat === 'NHWC' ? t.shape : [t.shape[0], t.shape[2], t.shape[3], t.shape[1]];
  const s = blockSize;
  if (c % (s * s) !== 0) throw new Error(`${fn}: x has ${c} channels, which is not a multiple of blockSize² = ${s * s}: each block of ${s}×${s} pixels takes ${s * s} channels' worth. Pick a blockSize that fits, or pad the channels. Received: x.shape=[${t.shape.join(', ')}], dataFormat='${dataFormat}'.`);
  const depth = c / (s * s);
  if (dataFormat === 'NHWC') return transpose(t.reshape([b, h, w, s, s, depth]), [0, 1, 3, 2, 4, 5]).reshape([b, h * s, w * s, depth]);
  return transpose(t.reshape([b, s, s, depth, h, w]), [0, 3, 4, 1, 5, 2]).reshape([b, depth, h * s, w * s]);
}
