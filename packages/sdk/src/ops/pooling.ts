// tfjs' maxPool, avgPool and pool on the host, with their gradients.
import { depthAxis, type WindowGeometry } from '../backend/backend.js';
import { firstNonFinite } from '../backend/non_finite.js';
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { checkRank, floatOperand, spatialSizes, windowGeometry, type ConvPad, type DimRoundingMode, type SpatialPair } from './conv_geometry.js';
import { CORE_EXACT_READS, CORE_ROUNDED_READS, coreFor, NEGATIVE_ZERO_BITS, onCore } from './core_kernels.js';
import { hostValues, operand } from './operand.js';
import { avgPoolGradient, avgPoolValues, maxPoolGradient, maxPoolValues, poolWindows, type PoolWindows } from './pool_windows.js';
import { dependsOnArguments, record, taping } from './tape.js';
import { tapCount, windowCount } from './window_taps.js';

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
  return pooled(fn, t, kind, g, dilated && pad === 'same', outShape);
}

/**
 * The max or average pool of `t` over the windows of `g` (padding taps as zeros where
 * `zeroPadding`, see PoolWindows), shaped `outShape` and recorded for gradients; `emptyMean` as
 * avgPoolValues'. Large float32 pools run on the WASM core where its kernels allow (see
 * {@link corePool}).
 */
export function pooled<D extends DType>(fn: string, t: Tensor<D>, kind: 'max' | 'avg', g: WindowGeometry, zeroPadding: boolean, outShape: readonly number[], emptyMean?: number): Tensor<D> {
  const values = hostValues(fn, t);
  let listed: PoolWindows | undefined;
  const windows = () => (listed ??= poolWindows(g, zeroPadding));
  // The core finds no argmax, which a recorded max pool's gradient needs.
  const fromCore = zeroPadding || t.dtype !== 'float32' || (kind === 'max' && dependsOnArguments(t)) ? null : corePool(kind, values as Float32Array, g);
  if (kind === 'avg') {
    const result = new Tensor(fromCore ?? avgPoolValues(values, windows(), emptyMean), outShape, 'float32');
    if (taping()) record(result, [t], (dy) => [avgPoolGradient(dy, windows(), t.size)]);
    return result as unknown as Tensor<D>;
  }
  if (fromCore !== null) return new Tensor(fromCore as TypedArrayFor<D>, outShape, t.dtype);
  const { y, from } = maxPoolValues(values, windows(), t.dtype);
  const result = new Tensor(y, outShape, t.dtype);
  if (taping()) record(result, [t], (dy) => [maxPoolGradient(dy, from, t.size)]);
  return result;
}

/**
 * The pool on the WASM core, or null where the host loops run: the core is not the active backend,
 * the pool is small (CORE_EXACT_READS for a max, CORE_ROUNDED_READS for a mean), or the core's
 * kernels would not give the host's values. They take no dilated windows; they average a window
 * wholly in the padding to NaN, where a 3-D pool gives 0; their max lets NaN win, and prefers +0 to
 * an earlier -0 where the host keeps the first; their float32 sums may overflow where the host's
 * double ones do not. Otherwise the core's maxima are the host's to the bit, and its means are
 * within float32 rounding of tfjs'.
 */
function corePool(kind: 'max' | 'avg', x: Float32Array, g: WindowGeometry): Float32Array | null {
  const [inD, kD, strideD, dilationD, padFront, outD] = depthAxis(g);
  if (g.dilationH > 1 || g.dilationW > 1 || dilationD > 1) return null;
  const outLength = windowCount(g) * g.channels;
  const core = coreFor(outLength * tapCount(g), kind === 'max' ? CORE_EXACT_READS : CORE_ROUNDED_READS);
  const axes = [[inD, kD, strideD, padFront, outD], [g.inH, g.kH, g.strideH, g.padTop, g.outH], [g.inW, g.kW, g.strideW, g.padLeft, g.outW]];
  // Windows step evenly, so where the first and the last one reach into x, every one does.
  const emptyWindow = axes.some(([size, k, stride, pad, out]) => k <= pad || (out - 1) * stride - pad >= size);
  if (core === null || emptyWindow) return null;
  const y = onCore(core, [x], outLength, ([xs, ys]) => (kind === 'max' ? core.maxPool(xs, ys, g) : core.avgPool(xs, ys, g)), { finiteInputs: true, overwritesOutput: true });
  if (y === null) return null;
  if (kind === 'avg') return firstNonFinite(y) < 0 ? y : null;
  // Only a maximum of 0 can have been -0 on the host.
  return y.indexOf(0) < 0 || new Int32Array(x.buffer, x.byteOffset, x.length).indexOf(NEGATIVE_ZERO_BITS) < 0 ? y : null;
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
 * (padding is left out). Large pools run on the WASM core where 'wasm' is the backend, summed in
 * float32 there (within float32 rounding of tfjs' CPU kernel, which sums in double). Its gradient
 * shares each cotangent among those pixels; tfjs' divides by the whole window even where the
 * forward pass did not, so the two differ at padded borders.
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
