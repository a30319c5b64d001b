// tfjs' maxPool, avgPool and pool on the host, with their gradients.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { checkRank, floatOperand, spatialSizes, windowGeometry, type ConvPad, type DimRoundingMode, type SpatialPair } from './conv_geometry.js';
import { hostValues, operand } from './operand.js';
import { avgPoolGradient, avgPoolValues, maxPoolGradient, maxPoolValues, poolWindows, type PoolWindows } from './pool_windows.js';
import { record, taping } from './tape.js';

/** A max or average pool of an NHWC x of rank 3 or 4 (unbatched or batched), recorded for gradients. */
function pool2d<D extends DType>(fn: string, t: Tensor<D>, kind: 'max' | 'avg', filterSize: SpatialPair, strides: SpatialPair, pad: ConvPad, dilations: SpatialPair, dimRoundingMode: DimRoundingMode | undefined): Tensor<D> {
  checkRank(fn, 'x', t, [3, 4], '[batch, height, width, channels] or one image [height, width, channels]');
  const shape = t.rank === 3 ? [1, ...t.shape] : t.shape;
  const kernel = spatialSizes(fn, 'filterSize', filterSize);
  const dilated = spatialSizes(fn, 'dilations', dilations).some((d) => d > 1);
  if (dilated && pad !== 'valid' && pad !== 'same') {
    throw new Error(`${fn}: with dilations above 1, pad must be 'valid' or 'same' (tfjs ignores other pads there). Received: pad=${JSON.stringify(pad)}, dilations=${JSON.stringify(dilations)}.`);
  }
  const g = windowGeometry(fn, shape, { kernel, strides, dilations, pad, dimRoundingMode });
  // tfjs hands x on where a 1×1 window maps it onto itself, keeping its -0s and NaNs, which pooling would not.
  if (g.kH === 1 && g.kW === 1 && g.outH === g.inH && g.outW === g.inW) return t.clone();
  // tfjs pools dilated windows by padding x with zeros (spaceToBatch), so those zeros take part.
  const outShape = t.rank === 3 ? [g.outH, g.outW, g.channels] : [g.batch, g.outH, g.outW, g.channels];
  return pooled(fn, t, kind, poolWindows(g, dilated && pad === 'same'), outShape);
}

/** The max or average pool of `t` over `windows`, shaped `outShape` and recorded for gradients; `emptyMean` as avgPoolValues'. */
export function pooled<D extends DType>(fn: string, t: Tensor<D>, kind: 'max' | 'avg', windows: PoolWindows, outShape: readonly number[], emptyMean?: number): Tensor<D> {
  const values = hostValues(fn, t);
  if (kind === 'avg') {
    const result = new Tensor(avgPoolValues(values, windows, emptyMean), outShape, 'float32');
    if (taping()) record(result, [t], (dy) => [avgPoolGradient(dy, windows, t.size)]);
    return result as unknown as Tensor<D>;
  }
  const { y, from } = maxPoolValues(values, windows, t.dtype);
  const result = new Tensor(y, outShape, t.dtype);
  if (taping()) record(result, [t], (dy) => [maxPoolGradient(dy, from, t.size)]);
  return result;
}

/**
 * The maximum of each `filterSize` window of `x` ([batch, height, width, channels], or one image),
 * per channel, as `tf.maxPool(x, filterSize, strides, pad, dimRoundingMode)`; int32 stays int32.
 * Padding is left out of the windows; NaN never wins (as tfjs' CPU kernel). Its gradient goes to
 * the first maximum of each window, as tfjs'.
 * @example `km.maxPool(features, 2, 2, 'valid')` (halves height and width)
 */
export function maxPool<D extends DType>(x: Tensor<D> | TensorLike, filterSize: SpatialPair, strides: SpatialPair, pad: ConvPad, dimRoundingMode?: DimRoundingMode): Tensor<D> {
  const fn = 'km.maxPool()';
  return pool2d(fn, operand<D>(fn, 'x', x), 'max', filterSize, strides, pad, 1, dimRoundingMode);
}

/**
 * The mean of each `filterSize` window of `x` ([batch, height, width, channels], or one image), per
 * channel, as `tf.avgPool(x, filterSize, strides, pad, dimRoundingMode)`, over the pixels inside x
 * (padding is left out). Its gradient shares each cotangent among those pixels; tfjs' divides by
 * the whole window even where the forward pass did not, so the two differ at padded borders.
 * @example `km.avgPool(features, 3, 1, 'same')`
 */
export function avgPool(x: Tensor | TensorLike, filterSize: SpatialPair, strides: SpatialPair, pad: ConvPad, dimRoundingMode?: DimRoundingMode): Tensor<'float32'> {
  const fn = 'km.avgPool()';
  return pool2d(fn, floatOperand(fn, 'x', x), 'avg', filterSize, strides, pad, 1, dimRoundingMode);
}

/**
 * A max or average pool with dilated windows, as `tf.pool(input, windowShape, poolingType, pad,
 * dilations, strides, dimRoundingMode)`: strides default to 1, dilations to [1, 1] (then it is
 * {@link maxPool} or {@link avgPool}). With dilations above 1, 'same' pads with zeros that take
 * part in the max and the mean, as tfjs (which pools the zero-padded input); a numeric or explicit
 * pad is refused there, where tfjs silently uses 'valid'. Differentiable.
 * @example `km.pool(features, [3, 3], 'max', 'same', 2)` (3×3 windows spread over 5×5)
 */
export function pool<D extends DType>(
  input: Tensor<D> | TensorLike, windowShape: SpatialPair, poolingType: 'avg' | 'max', pad: ConvPad,
  dilations: SpatialPair = [1, 1], strides: SpatialPair = 1, dimRoundingMode?: DimRoundingMode,
): Tensor<D> {
  const fn = 'km.pool()';
  if (poolingType !== 'avg' && poolingType !== 'max') throw new Error(`${fn}: poolingType must be 'avg' or 'max'. Received: poolingType=${JSON.stringify(poolingType)}.`);
  const t = poolingType === 'avg' ? (floatOperand(fn, 'input', input) as unknown as Tensor<D>) : operand<D>(fn, 'input', input);
  return pool2d(fn, t, poolingType, windowShape, strides, pad === 0 ? 'valid' : pad, dilations, dimRoundingMode);
}
