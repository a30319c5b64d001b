// tfjs' conv2dTranspose and conv3dTranspose on the host: the adjoint of the convolution that maps
// outputShape to x's shape, with its gradients (that convolution itself for x, and its filter
// gradient with the roles swapped).
import { Tensor, type TensorLike } from '../tensor.js';
import { checkInDepth, checkRank, floatOperand, windowGeometry, type ConvPad, type DimRoundingMode, type SpatialPair } from './conv_geometry.js';
import { convFilterGradient, convInputGradient, convolve } from './conv_windows.js';
import { hostValues } from './operand.js';
import { record, taping } from './tape.js';

/** The layouts of one transposed convolution's operands, for its errors. */
interface TransposeLayouts {
  /** The op's name, as `'conv2d'`, for "the <conv> this transposes". */
  conv: string;
  /** The spatial axes, as `'height and width'`. */
  axes: string;
  x: string;
  filter: string;
  /** outputShape's layout with the batch axis (named 'batch, ', which one sample leaves out). */
  outputShape: string;
}

/** The transposed convolution of float32 x by filter (rank spatial + 2) into outputShape, checked and recorded for gradients. */
function transposedConvolution(
  fn: string, tx: Tensor<'float32'>, tw: Tensor<'float32'>, outputShape: readonly number[], strides: number | readonly number[], pad: ConvPad,
  dimRoundingMode: DimRoundingMode | undefined, layouts: TransposeLayouts,
): Tensor<'float32'> {
  const spatial = tw.rank - 2;
  checkRank(fn, 'x', tx, [spatial + 1, spatial + 2], layouts.x);
  checkRank(fn, 'filter', tw, [spatial + 2], layouts.filter);
  checkInDepth(fn, tx, tx.rank - 1, tw, spatial + 1, layouts.filter);
  const batched = tx.rank === spatial + 2;
  const validShape = Array.isArray(outputShape) && outputShape.length === tx.rank && outputShape.every((d) => Number.isInteger(d) && d > 0);
  if (!validShape) {
    throw new Error(`${fn}: outputShape must list ${tx.rank} positive integers, as x's rank (${batched ? layouts.outputShape : layouts.outputShape.replace('batch, ', '')}). Received: outputShape=${JSON.stringify(outputShape)}, x.shape=[${tx.shape.join(', ')}].`);
  }
  const out = batched ? [...outputShape] : [1, ...outputShape];
  const xShape = batched ? [...tx.shape] : [1, ...tx.shape];
  const [outDepth, inDepth] = tw.shape.slice(spatial);
  if (out[spatial + 1] !== outDepth || out[0] !== xShape[0]) {
    throw new Error(`${fn}: outputShape's depth must be the filter's outDepth (filter.shape[${spatial}] = ${outDepth}) and its batch x's (${xShape[0]}). Received: outputShape=${JSON.stringify(outputShape)}, x.shape=[${tx.shape.join(', ')}], filter.shape=[${tw.shape.join(', ')}].`);
  }
  const g = windowGeometry(fn, out, { kernel: tw.shape.slice(0, spatial), strides, dilations: 1, pad, dimRoundingMode });
  const sizes = spatial === 3 ? [g.outD, g.outH, g.outW] : [g.outH, g.outW];
  if (sizes.some((size, a) => size !== xShape[1 + a])) {
    throw new Error(`${fn}: x's ${layouts.axes} must be those ${layouts.conv} gives for outputShape with this filter, strides and pad: [${sizes.join(', ')}]. ` +
      `Received: x.shape=[${tx.shape.join(', ')}], outputShape=${JSON.stringify(outputShape)}, strides=${JSON.stringify(strides)}, pad=${JSON.stringify(pad)}. Change outputShape, or compute it with the ${layouts.conv} this transposes.`);
  }
  const xv = hostValues(fn, tx);
  const wv = hostValues(fn, tw);
  const result = new Tensor(convInputGradient(xv, wv, g, inDepth), [...outputShape], 'float32');
  if (taping()) {
    record(result, [tx, tw], (dy, needed) => [
      needed[0] ? convolve(dy, wv, g, inDepth) : null,
      needed[1] ? convFilterGradient(dy, xv, g, inDepth) : null,
    ]);
  }
  return result;
}

/**
 * The transposed 2-D convolution ("deconvolution") of `x` ([batch, height, width, inDepth], or one
 * image without the batch axis) by `filter` ([filterHeight, filterWidth, outDepth, inDepth]) into
 * `outputShape` ([batch, outHeight, outWidth, outDepth], without batch for one image), as
 * `tf.conv2dTranspose(x, filter, outputShape, strides, pad, dimRoundingMode)`: the gradient of
 * `conv2d(y, filter, strides, pad)` with respect to a y of outputShape, so that conv2d must map
 * outputShape's height and width to x's (km checks it, where tfjs' CPU kernel reads past its
 * arrays). NHWC only, as tfjs. Differentiable in x and filter.
 * @example `km.conv2dTranspose(features, kernel, [n, 28, 28, 1], 2, 'same')` (features [n, 14, 14, 8], kernel [3, 3, 1, 8])
 */
export function conv2dTranspose(
  x: Tensor | TensorLike, filter: Tensor | TensorLike, outputShape: readonly number[], strides: SpatialPair, pad: ConvPad, dimRoundingMode?: DimRoundingMode,
): Tensor<'float32'> {
  const fn = 'km.conv2dTranspose()';
  const tx = floatOperand(fn, 'x', x);
  const tw = floatOperand(fn, 'filter', filter);
  checkRank(fn, 'filter', tw, [4], '[filterHeight, filterWidth, outDepth, inDepth]');
  return transposedConvolution(fn, tx, tw, outputShape, strides, pad, dimRoundingMode, {
    conv: 'conv2d', axes: 'height and width', x: '[batch, height, width, inDepth] or one image [height, width, inDepth]',
    filter: '[filterHeight, filterWidth, outDepth, inDepth]', outputShape: '[batch, height, width, outDepth]',
  });
}

/**
 * The transposed 3-D convolution of `x` ([batch, depth, height, width, inDepth], or one volume
 * without the batch axis) by `filter` ([filterDepth, filterHeight, filterWidth, outDepth, inDepth])
 * into `outputShape` ([batch, outDepth, outHeight, outWidth, outChannels], without batch for one
 * volume), as `tf.conv3dTranspose(x, filter, outputShape, strides, pad)`: the gradient of
 * `conv3d(y, filter, strides, pad)` with respect to a y of outputShape, which must map to x's
 * depth, height and width (km checks it). pad 'valid', 'same' or a number. NDHWC only, as tfjs.
 * Differentiable in x and filter (tfjs has no gradient for it).
 * @example `km.conv3dTranspose(features, kernel, [n, 8, 16, 16, 1], 2, 'same')` (features [n, 4, 8, 8, 4], kernel [3, 3, 3, 1, 4])
 */
export function conv3dTranspose(
  x: Tensor | TensorLike, filter: Tensor | TensorLike, outputShape: readonly number[], strides: number | readonly [number, number, number], pad: 'valid' | 'same' | number,
): Tensor<'float32'> {
  const fn = 'km.conv3dTranspose()';
  const tx = floatOperand(fn, 'x', x);
  const tw = floatOperand(fn, 'filter', filter);
  checkRank(fn, 'filter', tw, [5], '[filterDepth, filterHeight, filterWidth, outDepth, inDepth]');
  return transposedConvolution(fn, tx, tw, outputShape, strides, pad, undefined, {
    conv: 'conv3d', axes: 'depth, height and width', x: '[batch, depth, height, width, inDepth] or one volume [depth, height, width, inDepth]',
    filter: '[filterDepth, filterHeight, filterWidth, outDepth, inDepth]', outputShape: '[batch, depth, height, width, outDepth]',
  });
}
