// tfjs' conv2dTranspose on the host: the adjoint of the conv2d that maps outputShape to x's shape,
// with its gradients (that conv2d itself for x, and its filter gradient with the roles swapped).
import { Tensor, type TensorLike } from '../tensor.js';
import { checkInDepth, checkRank, floatOperand, windowGeometry, type ConvPad, type DimRoundingMode, type SpatialPair } from './conv_geometry.js';
import { convFilterGradient, convInputGradient, convolve } from './conv_windows.js';
import { hostValues } from './operand.js';
import { record, taping } from './tape.js';

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
  checkRank(fn, 'x', tx, [3, 4], '[batch, height, width, inDepth] or one image [height, width, inDepth]');
  checkRank(fn, 'filter', tw, [4], '[filterHeight, filterWidth, outDepth, inDepth]');
  checkInDepth(fn, tx, tx.rank - 1, tw, 3, '[filterHeight, filterWidth, outDepth, inDepth]');
  const validShape = Array.isArray(outputShape) && outputShape.length === tx.rank && outputShape.every((d) => Number.isInteger(d) && d > 0);
  if (!validShape) {
    throw new Error(`${fn}: outputShape must list ${tx.rank} positive integers, as x's rank (${tx.rank === 4 ? '[batch, height, width, outDepth]' : '[height, width, outDepth]'}). Received: outputShape=${JSON.stringify(outputShape)}, x.shape=[${tx.shape.join(', ')}].`);
  }
  const out4 = tx.rank === 3 ? [1, ...outputShape] : [...outputShape];
  const x4 = tx.rank === 3 ? [1, ...tx.shape] : [...tx.shape];
  const [kH, kW, outDepth, inDepth] = tw.shape;
  if (out4[3] !== outDepth || out4[0] !== x4[0]) {
    throw new Error(`${fn}: outputShape's depth must be the filter's outDepth (filter.shape[2] = ${outDepth}) and its batch x's (${x4[0]}). Received: outputShape=${JSON.stringify(outputShape)}, x.shape=[${tx.shape.join(', ')}], filter.shape=[${tw.shape.join(', ')}].`);
  }
  const g = windowGeometry(fn, out4, { kernel: [kH, kW], strides, dilations: 1, pad, dimRoundingMode });
  if (g.outH !== x4[1] || g.outW !== x4[2]) {
    throw new Error(`${fn}: x's height and width must be those conv2d gives for outputShape with this filter, strides and pad: [${g.outH}, ${g.outW}]. ` +
      `Received: x.shape=[${tx.shape.join(', ')}], outputShape=${JSON.stringify(outputShape)}, strides=${JSON.stringify(strides)}, pad=${JSON.stringify(pad)}. Change outputShape, or compute it with the conv2d this transposes.`);
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
