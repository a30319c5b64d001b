// tfjs' conv2d and conv1d on the host, with their gradients with respect to the input and the filter.
import { Tensor, type TensorLike } from '../tensor.js';
import { channelsFirst, checkInDepth, checkRank, floatOperand, padForChannelsLast, windowGeometry, type ConvPad, type DimRoundingMode, type SpatialPair } from './conv_geometry.js';
import { convFilterGradient, convInputGradient, convolve } from './conv_windows.js';
import { hostValues } from './operand.js';
import { record, taping } from './tape.js';
import { transpose } from './transpose.js';

/** An NHWC convolution of rank-4 x by a filter of its depth, recorded for gradients. */
function conv2dChannelsLast(fn: string, x: Tensor<'float32'>, filter: Tensor<'float32'>, strides: SpatialPair, pad: ConvPad, dilations: SpatialPair, dimRoundingMode: DimRoundingMode | undefined): Tensor<'float32'> {
  const [kH, kW, , filters] = filter.shape;
  const g = windowGeometry(fn, x.shape, { kernel: [kH, kW], strides, dilations, pad, dimRoundingMode });
  const xv = hostValues(fn, x);
  const wv = hostValues(fn, filter);
  const result = new Tensor(convolve(xv, wv, g, filters), [g.batch, g.outH, g.outW, filters], 'float32');
  if (taping()) {
    record(result, [x, filter], (dy, needed) => [
      needed[0] ? convInputGradient(dy, wv, g, filters) : null,
      needed[1] ? convFilterGradient(xv, dy, g, filters) : null,
    ]);
  }
  return result;
}

/**
 * The 2-D convolution of `x` ([batch, height, width, inDepth], or one image without the batch axis)
 * by `filter` ([filterHeight, filterWidth, inDepth, outDepth]), as `tf.conv2d(x, filter, strides,
 * pad, dataFormat, dilations, dimRoundingMode)`: pad 'valid', 'same', a number or explicit pairs;
 * dataFormat 'NHWC' or 'NCHW' (x and the result [batch, depth, height, width]). Differentiable in x
 * and filter, with dilations too (tfjs' gradient refuses dilations above 1). Runs as im2col and a
 * matrix product, summed in another order than tfjs' CPU kernel (values equal to float32 rounding),
 * on the WASM core's kernels where it is the active backend and the product is large.
 * @example `km.conv2d(images, kernel, 1, 'same')` (images [n, h, w, 3], kernel [3, 3, 3, 16])
 */
export function conv2d(
  x: Tensor | TensorLike, filter: Tensor | TensorLike, strides: SpatialPair, pad: ConvPad,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: SpatialPair = [1, 1], dimRoundingMode?: DimRoundingMode,
): Tensor<'float32'> {
  const fn = 'km.conv2d()';
  const tx = floatOperand(fn, 'x', x);
  const tw = floatOperand(fn, 'filter', filter);
  const nchw = channelsFirst(fn, dataFormat);
  checkRank(fn, 'x', tx, [3, 4], nchw ? '[batch, depth, height, width] or one image [depth, height, width]' : '[batch, height, width, depth] or one image [height, width, depth]');
  checkRank(fn, 'filter', tw, [4], '[filterHeight, filterWidth, inDepth, outDepth]');
  checkInDepth(fn, tx, nchw ? tx.rank - 3 : tx.rank - 1, tw, 2, '[filterHeight, filterWidth, inDepth, outDepth]');
  const x4 = tx.rank === 3 ? tx.reshape([1, ...tx.shape]) : tx;
  const y = conv2dIn(fn, x4, tw, strides, pad, nchw, dilations, dimRoundingMode);
  return tx.rank === 3 ? y.reshape(y.shape.slice(1)) : y;
}

/** {@link conv2dChannelsLast} of a rank-4 x in either data format; an NCHW x runs transposed. */
function conv2dIn(fn: string, x: Tensor<'float32'>, filter: Tensor<'float32'>, strides: SpatialPair, pad: ConvPad, nchw: boolean, dilations: SpatialPair, dimRoundingMode: DimRoundingMode | undefined): Tensor<'float32'> {
  if (!nchw) return conv2dChannelsLast(fn, x, filter, strides, pad, dilations, dimRoundingMode);
  return transpose(conv2dChannelsLast(fn, transpose(x, [0, 2, 3, 1]), filter, strides, padForChannelsLast(pad), dilations, dimRoundingMode), [0, 3, 1, 2]);
}

/**
 * The 1-D convolution of `x` ([batch, width, inDepth], or one sequence [width, inDepth]) by `filter`
 * ([filterWidth, inDepth, outDepth]), as `tf.conv1d(x, filter, stride, pad, dataFormat, dilation,
 * dimRoundingMode)`: a conv2d over rows of height 1 (an explicit pad is that conv2d's, its height
 * pair [0, 0]). dataFormat 'NCW' ([batch, depth, width]) is computed too, where tfjs refuses it, and
 * a numeric pad pads the width only (tfjs' fails). Differentiable in x and filter.
 * @example `km.conv1d(sequences, kernel, 1, 'same')` (sequences [n, steps, 8], kernel [5, 8, 16])
 */
export function conv1d(
  x: Tensor | TensorLike, filter: Tensor | TensorLike, stride: number, pad: ConvPad,
  dataFormat: 'NWC' | 'NCW' = 'NWC', dilation = 1, dimRoundingMode?: DimRoundingMode,
): Tensor<'float32'> {
  const fn = 'km.conv1d()';
  const tx = floatOperand(fn, 'x', x);
  const tw = floatOperand(fn, 'filter', filter);
  const ncw = channelsFirst(fn, dataFormat, ['NWC', 'NCW']);
  checkRank(fn, 'x', tx, [2, 3], ncw ? '[batch, depth, width] or one sequence [depth, width]' : '[batch, width, depth] or one sequence [width, depth]');
  checkRank(fn, 'filter', tw, [3], '[filterWidth, inDepth, outDepth]');
  const heightPad = Array.isArray(pad) ? (pad as unknown[])[ncw ? 2 : 1] : [0, 0];
  if (!Array.isArray(heightPad) || heightPad[0] !== 0 || heightPad[1] !== 0) {
    const example = ncw ? '[[0, 0], [0, 0], [0, 0], [left, right]]' : '[[0, 0], [0, 0], [left, right], [0, 0]]';
    throw new Error(`${fn}: an explicit pad is conv2d's over rows of height 1, so it pads the width only: ${example}. Received: pad=${JSON.stringify(pad)}.`);
  }
  for (const [name, value] of [['stride', stride], ['dilation', dilation]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${fn}: ${name} must be a positive integer. Received: ${name}=${JSON.stringify(value)}.`);
  }
  checkInDepth(fn, tx, ncw ? tx.rank - 2 : tx.rank - 1, tw, 1, '[filterWidth, inDepth, outDepth]');
  const x3 = tx.rank === 2 ? tx.reshape([1, ...tx.shape]) : tx;
  // A sequence is an image of height 1: [b, w, c] as [b, 1, w, c], or [b, c, w] as [b, c, 1, w].
  const image = x3.reshape(ncw ? [x3.shape[0], x3.shape[1], 1, x3.shape[2]] : [x3.shape[0], 1, ...x3.shape.slice(1)]);
  // A numeric pad pads the width only (tfjs' pads the height of 1 too, and then fails to reshape).
  const zero: [number, number] = [0, 0];
  const widthPad: ConvPad = typeof pad === 'number' ? (ncw ? [zero, zero, zero, [pad, pad]] : [zero, zero, [pad, pad], zero]) : pad;
  const y = conv2dIn(fn, image, tw.reshape([1, ...tw.shape]), [1, stride], widthPad, ncw, [1, dilation], dimRoundingMode);
  const y3 = y.reshape(ncw ? [y.shape[0], y.shape[1], y.shape[3]] : [y.shape[0], y.shape[2], y.shape[3]]);
  return tx.rank === 2 ? y3.reshape(y3.shape.slice(1)) : y3;
}
