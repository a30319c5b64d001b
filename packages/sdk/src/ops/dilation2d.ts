// tfjs' dilation2d (grayscale morphological dilation) on the host, with its gradients.
import type { WindowGeometry } from '../backend/backend.js';
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { channelsFirst, checkInDepth, checkRank, windowGeometry, type SpatialPair } from './conv_geometry.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';
import { tapCount, windowPixels } from './window_taps.js';

/** Each window's max of x + filter per channel, and the x offset and filter offset it came from (first of ties; NaN never wins). */
function dilationValues<D extends DType>(x: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, dtype: D) {
  const [c, taps, pixels] = [g.channels, tapCount(g), windowPixels(g)];
  const windows = pixels.length / taps;
  const y = typedArray(dtype, windows * c);
  const fromX = new Int32Array(windows * c).fill(-1);
  const fromW = new Int32Array(windows * c).fill(-1);
  for (let win = 0; win < windows; win++) {
    for (let ch = 0; ch < c; ch++) {
      // tfjs' kernel (after TensorFlow's) starts from the most negative safe integer, not -Infinity.
      let best = Number.MIN_SAFE_INTEGER;
      const o = win * c + ch;
      for (let t = 0; t < taps; t++) {
        const p = pixels[win * taps + t];
        if (p < 0) continue;
        const value = x[p + ch] + w[t * c + ch];
        if (!(value > best)) continue;
        best = value;
        fromX[o] = p + ch;
        fromW[o] = t * c + ch;
      }
      y[o] = best;
    }
  }
  return { y, fromX, fromW };
}

/** Each output's cotangent added where its maximum was read (in x, or in the filter), summed in double. */
function routed(dy: Float32Array, from: Int32Array, size: number): Float32Array {
  const sums = new Float64Array(size);
  for (let o = 0; o < from.length; o++) if (from[o] >= 0) sums[from[o]] += dy[o];
  return Float32Array.from(sums);
}

/**
 * The grayscale dilation of `x` ([batch, height, width, depth], or one image) by `filter`
 * ([filterHeight, filterWidth, depth]), as `tf.dilation2d(x, filter, strides, pad, dilations,
 * dataFormat)`: each output is the max over its window of x + filter, per channel, taps outside x
 * left out. pad 'valid' or 'same'; strides and dilations may both be above 1 (as tfjs). NHWC only,
 * as tfjs; int32 stays int32. Differentiable in x and filter: each cotangent goes to the first
 * maximum of its window, as tfjs'.
 * @example `km.dilation2d(images, structuringElement, 1, 'same')` (images [n, h, w, 3], structuringElement [3, 3, 3])
 */
export function dilation2d<D extends DType>(
  x: Tensor<D> | TensorLike, filter: Tensor<D> | TensorLike, strides: SpatialPair, pad: 'valid' | 'same',
  dilations: SpatialPair = [1, 1], dataFormat: 'NHWC' = 'NHWC',
): Tensor<D> {
  const fn = 'km.dilation2d()';
  const tx = operand<D>(fn, 'x', x);
  const tw = operand<D>(fn, 'filter', filter);
  if (channelsFirst(fn, dataFormat, ['NHWC', 'NCHW'])) {
    throw new Error(`${fn}: only dataFormat 'NHWC' is supported, as in tfjs. Received: dataFormat='NCHW'. Transpose x to [batch, height, width, depth] with km.transpose(x, [0, 2, 3, 1]).`);
  }
  if (tw.dtype !== tx.dtype) throw new Error(`${fn}: x and filter must have the same dtype. Received: x.dtype='${tx.dtype}', filter.dtype='${tw.dtype}'. Cast one with km.cast.`);
  if (pad !== 'valid' && pad !== 'same') throw new Error(`${fn}: pad must be 'valid' or 'same', as in tfjs. Received: pad=${JSON.stringify(pad)}.`);
  checkRank(fn, 'x', tx, [3, 4], '[batch, height, width, depth] or one image [height, width, depth]');
  checkRank(fn, 'filter', tw, [3], '[filterHeight, filterWidth, depth]');
  checkInDepth(fn, tx, tx.rank - 1, tw, 2, '[filterHeight, filterWidth, depth]');
  const shape = tx.rank === 3 ? [1, ...tx.shape] : tx.shape;
  const g = windowGeometry(fn, shape, { kernel: tw.shape.slice(0, 2), strides, dilations, pad, stridedDilations: true });
  const { y, fromX, fromW } = dilationValues(hostValues(fn, tx), hostValues(fn, tw), g, tx.dtype);
  const result = new Tensor(y, tx.rank === 3 ? [g.outH, g.outW, g.channels] : [g.batch, g.outH, g.outW, g.channels], tx.dtype);
  if (taping()) {
    record(result, [tx, tw], (dy, needed) => [needed[0] ? routed(dy, fromX, tx.size) : null, needed[1] ? routed(dy, fromW, tw.size) : null]);
  }
  return result;
}
