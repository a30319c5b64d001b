// tfjs' conv3d on the host, with its gradients with respect to the input and the filter.
import { Tensor, type TensorLike } from '../tensor.js';
import { channelsFirst, checkInDepth, checkRank, floatOperand, windowGeometry } from './conv_geometry.js';
import { convFilterGradient, convInputGradient, convolve } from './conv_windows.js';
import { hostValues } from './operand.js';
import { record, taping } from './tape.js';
import { transpose } from './transpose.js';

/** A size, stride or dilation of a 3-D window: one positive integer for all three axes, or [depth, height, width]. */
export type SpatialTriple = number | readonly [number, number, number];

/** An NDHWC convolution of rank-5 x by a filter of its depth, recorded for gradients. */
function conv3dChannelsLast(fn: string, x: Tensor<'float32'>, filter: Tensor<'float32'>, strides: SpatialTriple, pad: 'valid' | 'same' | number, dilations: SpatialTriple): Tensor<'float32'> {
  const filters = filter.shape[4];
  const g = windowGeometry(fn, x.shape, { kernel: filter.shape.slice(0, 3), strides, dilations, pad });
  const xv = hostValues(fn, x);
  const wv = hostValues(fn, filter);
  const result = new Tensor(convolve(xv, wv, g, filters), [g.batch, g.outD!, g.outH, g.outW, filters], 'float32');
  if (taping()) {
    record(result, [x, filter], (dy, needed) => [
      needed[0] ? convInputGradient(dy, wv, g, filters) : null,
      needed[1] ? convFilterGradient(xv, dy, g, filters) : null,
    ]);
  }
  return result;
}

/**
 * The 3-D convolution of `x` ([batch, depth, height, width, inChannels], or one volume without the
 * batch axis) by `filter` ([filterDepth, filterHeight, filterWidth, inChannels, outChannels]), as
 * `tf.conv3d(x, filter, strides, pad, dataFormat, dilations)`: pad 'valid', 'same' or a number of
 * zeros on every side; strides and dilations not both above 1. dataFormat 'NCDHW' (x and the
 * result [batch, channels, depth, height, width]) is computed too, where tfjs refuses it.
 * Differentiable in x and filter, with dilations too (tfjs' gradient refuses dilations above 1).
 * 'same' never pads by a negative amount (tfjs' does where a stride exceeds the filter, shifting
 * the windows); values equal tfjs' to float32 rounding (summed in another order).
 * @example `km.conv3d(clips, kernel, 1, 'same')` (clips [n, frames, h, w, 3], kernel [3, 3, 3, 3, 16])
 */
export function conv3d(
  x: Tensor | TensorLike, filter: Tensor | TensorLike, strides: SpatialTriple, pad: 'valid' | 'same' | number,
  dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC', dilations: SpatialTriple = [1, 1, 1],
): Tensor<'float32'> {
  const fn = 'km.conv3d()';
  const tx = floatOperand(fn, 'x', x);
  const tw = floatOperand(fn, 'filter', filter);
  const ncdhw = channelsFirst(fn, dataFormat, ['NDHWC', 'NCDHW']);
  checkRank(fn, 'x', tx, [4, 5], ncdhw ? '[batch, channels, depth, height, width] or one volume [channels, depth, height, width]' : '[batch, depth, height, width, channels] or one volume [depth, height, width, channels]');
  checkRank(fn, 'filter', tw, [5], '[filterDepth, filterHeight, filterWidth, inChannels, outChannels]');
  checkInDepth(fn, tx, ncdhw ? tx.rank - 4 : tx.rank - 1, tw, 3, '[filterDepth, filterHeight, filterWidth, inChannels, outChannels]');
  const x5 = tx.rank === 4 ? tx.reshape([1, ...tx.shape]) : tx;
  const y = ncdhw
    ? transpose(conv3dChannelsLast(fn, transpose(x5, [0, 2, 3, 4, 1]), tw, strides, pad, dilations), [0, 4, 1, 2, 3])
    : conv3dChannelsLast(fn, x5, tw, strides, pad, dilations);
  return tx.rank === 4 ? y.reshape(y.shape.slice(1)) : y;
}
