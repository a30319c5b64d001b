// 2-D and 3-D convolution on flat channels-last arrays (NHWC, NDHWC), as im2col and a matrix
// product (the products of mat_mul.ts, which run on the WASM core when they are large): the
// forward pass, and its adjoints with
// respect to the input (col2im of dy·Wᵀ) and to the filter (colsᵀ·dy). The transposed
// convolutions run the same three the other way round.
import type { WindowGeometry } from '../backend/backend.js';
import { products } from './mat_mul.js';
import { inputLength, tapCount, windowCount, windowPixels } from './window_taps.js';

/** Every window of x as a row: [windows, taps·channels], zeros where a tap falls in the padding. */
export function im2col(x: ArrayLike<number>, g: WindowGeometry): Float32Array {
  const c = g.channels;
  const pixels = windowPixels(g);
  const cols = new Float32Array(pixels.length * c);
  const source = x instanceof Float32Array ? x : Float32Array.from(x);
  for (let t = 0; t < pixels.length; t++) {
    const p = pixels[t];
    if (p >= 0) cols.set(source.subarray(p, p + c), t * c);
  }
  return cols;
}

/** The adjoint of {@link im2col}: each input position gets the sum of the column entries that read it, summed in double. */
export function col2im(cols: ArrayLike<number>, g: WindowGeometry): Float32Array {
  const c = g.channels;
  const pixels = windowPixels(g);
  const sums = new Float64Array(inputLength(g));
  for (let t = 0; t < pixels.length; t++) {
    const p = pixels[t];
    if (p >= 0) for (let k = 0; k < c; k++) sums[p + k] += cols[t * c + k];
  }
  return Float32Array.from(sums);
}

/** The number of windows (output positions) and the length of one window's row for `g`. */
function matrixSizes(g: WindowGeometry): [number, number] {
  const taps = tapCount(g);
  return [windowCount(g), taps * g.channels];
}

/** y = conv(x, w): [batch, (outD,) outH, outW, filters] from x [batch, (inD,) inH, inW, channels] and w [(kD,) kH, kW, channels, filters]. */
export function convolve(x: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  return products(im2col(x, g), w, 1, m, k, filters, false, false);
}

/** The cotangent of conv's input x from its output's, dy [batch, (outD,) outH, outW, filters]. */
export function convInputGradient(dy: ArrayLike<number>, w: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  return col2im(products(dy, w, 1, m, filters, k, false, true), g);
}

/** The cotangent of conv's filter w [(kD,) kH, kW, channels, filters] from its output's. */
export function convFilterGradient(x: ArrayLike<number>, dy: ArrayLike<number>, g: WindowGeometry, filters: number): Float32Array {
  const [m, k] = matrixSizes(g);
  return products(im2col(x, g), dy, 1, k, m, filters, true, false);
}
