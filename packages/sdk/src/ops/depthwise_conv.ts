// tfjs' depthwiseConv2d (each input channel convolved with its own channelMultiplier filters) and
// separableConv2d (a depthwise then a 1×1 convolution), with their gradients: the forward pass on
// the WASM core where it is large, the rest on the host.
import type { WindowGeometry } from '../backend/backend.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { conv2d } from './conv2d.js';
import { channelsFirst, checkInDepth, checkRank, floatOperand, padForChannelsLast, windowGeometry, type ConvPad, type DimRoundingMode, type SpatialPair } from './conv_geometry.js';
import { col2im, depthwiseOnCore, im2col } from './conv_windows.js';
import { hostValues } from './operand.js';
import { record, taping } from './tape.js';
import { transpose } from './transpose.js';

/** y[p, c·M + m] = Σ_t cols[p, t·C + c]·w[t, c, m] over the windows' rows `cols` ([P, T·C]), summed in double. */
function depthwiseRows(cols: Float32Array, w: ArrayLike<number>, rows: number, taps: number, c: number, multiplier: number): Float32Array {
  const width = c * multiplier;
  const y = new Float32Array(rows * width);
  const sums = new Float64Array(width);
  for (let p = 0; p < rows; p++) {
    sums.fill(0);
    for (let t = 0; t < taps; t++) {
      const row = p * taps * c + t * c;
      for (let ch = 0; ch < c; ch++) {
        const v = cols[row + ch];
        const w0 = (t * c + ch) * multiplier;
        for (let m = 0; m < multiplier; m++) sums[ch * multiplier + m] += v * w[w0 + m];
      }
    }
    y.set(sums, p * width);
  }
  return y;
}

/** The cotangents of the depthwise convolution's input and filter from its output's (each only where `needed`). */
function depthwiseGradients(xv: ArrayLike<number>, w: ArrayLike<number>, dy: Float32Array, g: WindowGeometry, multiplier: number, needed: readonly boolean[]): (Float32Array | null)[] {
  const [c, taps, rows] = [g.channels, g.kH * g.kW, g.batch * g.outH * g.outW];
  const cols = needed[1] ? im2col(xv, g) : null;
  const dcols = needed[0] ? new Float32Array(rows * taps * c) : null;
  const dw = new Float64Array(taps * c * multiplier);
  for (let p = 0; p < rows; p++) {
    for (let t = 0; t < taps; t++) {
      for (let ch = 0; ch < c; ch++) {
        const [at, w0, d0] = [(p * taps + t) * c + ch, (t * c + ch) * multiplier, (p * c + ch) * multiplier];
        let sum = 0;
        for (let m = 0; m < multiplier; m++) {
          sum += dy[d0 + m] * w[w0 + m];
          if (cols !== null) dw[w0 + m] += cols[at] * dy[d0 + m];
        }
        if (dcols !== null) dcols[at] = sum;
      }
    }
  }
  return [dcols === null ? null : col2im(dcols, g), cols === null ? null : Float32Array.from(dw)];
}

/** The NHWC depthwise convolution of rank-4 x, recorded for gradients. */
function depthwiseChannelsLast(fn: string, x: Tensor<'float32'>, filter: Tensor<'float32'>, strides: SpatialPair, pad: ConvPad, dilations: SpatialPair, dimRoundingMode: DimRoundingMode | undefined): Tensor<'float32'> {
  const [kH, kW, c, multiplier] = filter.shape;
  const g = windowGeometry(fn, x.shape, { kernel: [kH, kW], strides, dilations, pad, dimRoundingMode });
  const xv = hostValues(fn, x);
  const wv = hostValues(fn, filter);
  const rows = g.batch * g.outH * g.outW;
  const values = depthwiseOnCore(xv, wv, g, multiplier) ?? depthwiseRows(im2col(xv, g), wv, rows, kH * kW, c, multiplier);
  const result = new Tensor(values, [g.batch, g.outH, g.outW, c * multiplier], 'float32');
  if (taping()) record(result, [x, filter], (dy, needed) => depthwiseGradients(xv, wv, dy, g, multiplier, needed));
  return result;
}

/**
 * The depthwise 2-D convolution of `x` ([batch, height, width, inChannels], or one image) by
 * `filter` ([filterHeight, filterWidth, inChannels, channelMultiplier]), as
 * `tf.depthwiseConv2d(x, filter, strides, pad, dataFormat, dilations, dimRoundingMode)`: output
 * channel c·channelMultiplier + m is input channel c convolved with filter[:, :, c, m]. dataFormat
 * 'NCHW' is computed as such (tfjs' CPU kernel reads NCHW data as NHWC). Differentiable in x and
 * filter, with dilations too (tfjs' gradient refuses dilations above 1).
 * @example `km.depthwiseConv2d(images, kernel, 1, 'same')` (images [n, h, w, 3], kernel [3, 3, 3, 2]: 6 channels out)
 */
export function depthwiseConv2d(
  x: Tensor | TensorLike, filter: Tensor | TensorLike, strides: SpatialPair, pad: ConvPad,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: SpatialPair = [1, 1], dimRoundingMode?: DimRoundingMode,
): Tensor<'float32'> {
  const fn = 'km.depthwiseConv2d()';
  const tx = floatOperand(fn, 'x', x);
  const tw = floatOperand(fn, 'filter', filter);
  const nchw = channelsFirst(fn, dataFormat);
  checkRank(fn, 'x', tx, [3, 4], nchw ? '[batch, channels, height, width] or one image [channels, height, width]' : '[batch, height, width, channels] or one image [height, width, channels]');
  checkRank(fn, 'filter', tw, [4], '[filterHeight, filterWidth, inChannels, channelMultiplier]');
  checkInDepth(fn, tx, nchw ? tx.rank - 3 : tx.rank - 1, tw, 2, '[filterHeight, filterWidth, inChannels, channelMultiplier]');
  const x4 = tx.rank === 3 ? tx.reshape([1, ...tx.shape]) : tx;
  const y = nchw
    ? transpose(depthwiseChannelsLast(fn, transpose(x4, [0, 2, 3, 1]), tw, strides, padForChannelsLast(pad), dilations, dimRoundingMode), [0, 3, 1, 2])
    : depthwiseChannelsLast(fn, x4, tw, strides, pad, dilations, dimRoundingMode);
  return tx.rank === 3 ? y.reshape(y.shape.slice(1)) : y;
}

/**
 * A depthwise convolution by `depthwiseFilter` ([filterHeight, filterWidth, inChannels,
 * channelMultiplier]) followed by a 1×1 convolution by `pointwiseFilter` ([1, 1, inChannels ·
 * channelMultiplier, outChannels]) that mixes the channels, as `tf.separableConv2d(x,
 * depthwiseFilter, pointwiseFilter, strides, pad, dilation, dataFormat)`. dataFormat 'NCHW' is
 * computed too, where tfjs refuses it. Differentiable in x and both filters.
 * @example `km.separableConv2d(images, depthwise, pointwise, 1, 'same')` (depthwise [3, 3, 3, 1], pointwise [1, 1, 3, 16])
 */
export function separableConv2d(
  x: Tensor | TensorLike, depthwiseFilter: Tensor | TensorLike, pointwiseFilter: Tensor | TensorLike, strides: SpatialPair, pad: 'valid' | 'same',
  dilation: SpatialPair = [1, 1], dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
): Tensor<'float32'> {
  const fn = 'km.separableConv2d()';
  const depthwise = floatOperand(fn, 'depthwiseFilter', depthwiseFilter);
  const pointwise = floatOperand(fn, 'pointwiseFilter', pointwiseFilter);
  checkRank(fn, 'depthwiseFilter', depthwise, [4], '[filterHeight, filterWidth, inChannels, channelMultiplier]');
  checkRank(fn, 'pointwiseFilter', pointwise, [4], '[1, 1, inChannels · channelMultiplier, outChannels]');
  const depth = depthwise.shape[2] * depthwise.shape[3];
  if (pointwise.shape[0] !== 1 || pointwise.shape[1] !== 1 || pointwise.shape[2] !== depth) {
    throw new Error(`${fn}: pointwiseFilter must be [1, 1, inChannels · channelMultiplier = ${depth}, outChannels]. Received: pointwiseFilter.shape=[${pointwise.shape.join(', ')}], depthwiseFilter.shape=[${depthwise.shape.join(', ')}].`);
  }
  if (pad !== 'valid' && pad !== 'same') throw new Error(`${fn}: pad must be 'valid' or 'same', as in tfjs. Received: pad=${JSON.stringify(pad)}.`);
  return conv2d(depthwiseConv2d(x, depthwise, strides, pad, dataFormat, dilation), pointwise, 1, 'valid', dataFormat);
}
