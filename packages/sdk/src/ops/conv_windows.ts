// 2-D convolution on flat NHWC arrays, as im2col and a matrix product (the products of mat_mul.ts,
// which run on the WASM core when they are large): the forward pass, and its adjoints with
// respect to the input (col2im of dy·Wᵀ) and to the filter (colsᵀ·dy). conv2dTranspose runs the
// same three the other way round.
import type { WindowGeometry } from '../backend/backend.js';
import { products } from './mat_mul.js';

/** Every window of x as a row: [batch·outH·outW, kH·kW·channels], zeros where a tap falls in the padding. */
export function im2col(x: ArrayLike<number>, g: WindowGeometry): Float32Array {
  const { batch, inH, inW, channels: c, kH, kW, outH, outW } = g;
  const row = kH * kW * c;
  const cols = new Float32Array(batch * outH * outW * row);
  const source = x instanceof Float32Array ? x : Float32Array.from(x);
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, at += row) {
        for (let i = 0; i < kH; i++) {
          const ih = oh * g.strideH - g.padTop + i * g.dilationH;
          if (ih < 0 || ih >= inH) continue;
          for (let j = 0; j < kW; j++) {
            const iw = ow * g.strideW - g.padLeft + j * g.dilationW;
            if (iw < 0 || iw >= inW) continue;
            const from = ((b * inH + ih) * inW + iw) * c;
            cols.set(source.subarray(from, from + c), at + (i * kW + j) * c);
          }
        }
      }
    }
  }
  return cols;
}

/** The adjoint of {@link im2col}: each input position gets the sum of the column entries that read it, summed in double. */
export function col2im(cols: ArrayLike<number>, g: WindowGeometry): Float32Array {
  const { batch, inH, inW, channels: c, kH, kW, outH, outW } = g;
  const row = kH * kW * c;
  const sums = new Float64Array(batch * inH * inW * c);
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, at += row) {
        for (let i = 0; i < kH; i++) {
          const ih = oh * g.strideH - g.padTop + i * g.dilationH;
          if (ih < 0 || ih >= inH) continue;
          for (let j = 0; j < kW; j++) {
            const iw = ow * g.strideW - g.padLeft + j * g.dilationW;
            if (iw < 0 || iw >= inW) continue;
            const to = ((b * inH + ih) * inW + iw) * c;
            const from = at + (i * kW + j) * c;
            for (let k = 0; k < c; k++) sums[to + k] += cols[from + k];
          }
        }
      }
    }
  }
  return Float32Array.from(sums);
}

/** The number of windows (output positions) and the length of one window's row for `g`. */
function matrixSizes(g: WindowGeometry): [number, number] {
  return [g.batch * g.outH * g.outW, g.kH * g.kW * g.channels];
}

/** y = conv(x, w): [batch, outH, outW, filters] from x [batch, inH, inW, channels] and w [kH, kW, channels, filters]. */
export function convolve(x: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  return products(im2col(x, g), w, 1, m, k, filters, false, false);
}

/** The cotangent of conv's input x from its output's, dy [batch, outH, outW, filters]. */
export function convInputGradient(dy: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  return col2im(products(dy, w, 1, m, filters, k, false, true), g);
}

/** The cotangent of conv's filter w [kH, kW, channels, filters] from its output's. */
export function convFilterGradient(x: ArrayLike<number>, dy: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  return products(im2col(x, g), dy, 1, k, m, filters, true, false);
}
