// tfjs' maxPoolWithArgmax on the host: a 2-D max pool that also says where each maximum was read.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { checkRank, spatialSizes, windowGeometry, type ConvPad, type SpatialPair } from './conv_geometry.js';
import { hostValues, operand } from './operand.js';
import { maxPoolGradient, maxPoolValues, poolWindows } from './pool_windows.js';
import { record, taping } from './tape.js';

/**
 * The max pool of `x` ([batch, height, width, channels]) as {@link maxPool}, and the flat index in
 * x of each maximum, as `tf.maxPoolWithArgmax(x, filterSize, strides, pad, includeBatchInIndex)`:
 * `(y·width + x)·channels + c`, plus `b·height·width·channels` with `includeBatchInIndex`; -1 for a
 * window with no maximum (all NaN). `result` keeps x's dtype, `indexes` are int32. `result` is
 * differentiable (its cotangent goes to the first maximum, as maxPool's), where tfjs has no
 * gradient for this op.
 * @example `const { result, indexes } = km.maxPoolWithArgmax(features, 2, 2, 'valid')`
 */
export function maxPoolWithArgmax<D extends DType>(
  x: Tensor<D> | TensorLike, filterSize: SpatialPair, strides: SpatialPair, pad: ConvPad, includeBatchInIndex = false,
): { result: Tensor<D>; indexes: Tensor<'int32'> } {
  const fn = 'km.maxPoolWithArgmax()';
  const t = operand<D>(fn, 'x', x);
  checkRank(fn, 'x', t, [4], '[batch, height, width, channels]');
  const g = windowGeometry(fn, t.shape, { kernel: spatialSizes(fn, 'filterSize', filterSize), strides, dilations: 1, pad });
  const { y, from } = maxPoolValues(hostValues(fn, t), poolWindows(g, false), t.dtype);
  const outShape = [g.batch, g.outH, g.outW, g.channels];
  const result = new Tensor(y, outShape, t.dtype);
  if (taping()) record(result, [t], (dy) => [maxPoolGradient(dy, from, t.size)]);
  const image = g.inH * g.inW * g.channels;
  const perImage = from.length / g.batch;
  const indexes = includeBatchInIndex ? from : from.map((at, o) => (at < 0 ? at : at - Math.floor(o / perImage) * image));
  return { result, indexes: new Tensor(indexes, outShape, 'int32') };
}
