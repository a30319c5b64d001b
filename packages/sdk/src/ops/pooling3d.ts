// tfjs' maxPool3d and avgPool3d on the host, with their gradients.
import { type DType, type Tensor, type TensorLike } from '../tensor.js';
import { channelsFirst, checkRank, floatOperand, spatialSizes, windowGeometry, type DimRoundingMode } from './conv_geometry.js';
import type { SpatialTriple } from './conv3d.js';
import { operand } from './operand.js';
import { pooled } from './pooling.js';

/** A max or average pool of an NDHWC x of rank 4 or 5 (one volume or a batch), recorded for gradients. */
function pool3d<D extends DType>(
  fn: string, t: Tensor<D>, kind: 'max' | 'avg', filterSize: SpatialTriple, strides: SpatialTriple, pad: 'valid' | 'same' | number,
  dimRoundingMode: DimRoundingMode | undefined, dataFormat: unknown,
): Tensor<D> {
  if (channelsFirst(fn, dataFormat, ['NDHWC', 'NCDHW'])) {
    throw new Error(`${fn}: only dataFormat 'NDHWC' is supported, as in tfjs. Received: dataFormat='NCDHW'. Transpose x to [batch, depth, height, width, channels] with km.transpose(x, [0, 2, 3, 4, 1]).`);
  }
  checkRank(fn, 'x', t, [4, 5], '[batch, depth, height, width, channels] or one volume [depth, height, width, channels]');
  const shape = t.rank === 4 ? [1, ...t.shape] : t.shape;
  const g = windowGeometry(fn, shape, { kernel: spatialSizes(fn, 'filterSize', filterSize, 3), strides, dilations: 1, pad, dimRoundingMode });
  const out = [g.outD!, g.outH, g.outW, g.channels];
  // tfjs' 3-D average of a window wholly in the padding is 0 (its 2-D one is NaN).
  return pooled(fn, t, kind, g, false, t.rank === 4 ? out : [g.batch, ...out], 0);
}

/**
 * The maximum of each `filterSize` window of `x` ([batch, depth, height, width, channels], or one
 * volume), per channel, as `tf.maxPool3d(x, filterSize, strides, pad, dimRoundingMode,
 * dataFormat)`; int32 stays int32. Padding is left out of the windows; NaN never wins. Its gradient
 * goes to the first of tied maxima (tfjs' to the last).
 * @example `km.maxPool3d(clips, 2, 2, 'valid')` (halves depth, height and width)
 */
export function maxPool3d<D extends DType>(
  x: Tensor<D> | TensorLike, filterSize: SpatialTriple = [1, 1, 1], strides: SpatialTriple, pad: 'valid' | 'same' | number,
  dimRoundingMode?: DimRoundingMode, dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC',
): Tensor<D> {
  const fn = 'km.maxPool3d()';
  return pool3d(fn, operand<D>(fn, 'x', x), 'max', filterSize, strides, pad, dimRoundingMode, dataFormat);
}

/**
 * The mean of each `filterSize` window of `x` ([batch, depth, height, width, channels], or one
 * volume), per channel, over the voxels inside x, as `tf.avgPool3d(x, filterSize, strides, pad,
 * dimRoundingMode, dataFormat)` (0 for a window wholly in the padding, as tfjs); large pools are
 * summed in float32 on the WASM core, as km.avgPool's. Its gradient shares each cotangent among
 * those voxels; tfjs' divides by the whole window even where the forward pass did not, so the two
 * differ at padded borders.
 * @example `km.avgPool3d(clips, 3, 1, 'same')`
 */
export function avgPool3d(
  x: Tensor | TensorLike, filterSize: SpatialTriple, strides: SpatialTriple, pad: 'valid' | 'same' | number,
  dimRoundingMode?: DimRoundingMode, dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC',
): Tensor<'float32'> {
  const fn = 'km.avgPool3d()';
  return pool3d(fn, floatOperand(fn, 'x', x), 'avg', filterSize, strides, pad, dimRoundingMode, dataFormat);
}
