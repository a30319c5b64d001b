// Max and average pooling on flat channels-last arrays (NHWC, NDHWC), and their gradients: windows are listed once per
// geometry as pixel offsets, then each channel is reduced in the same tight loop.
import type { WindowGeometry } from '../backend/backend.js';
import type { DType, TypedArrayFor } from '../tensor.js';
import { typedArray } from './operand.js';
import { tapCount, windowPixels } from './window_taps.js';

/** A pool's windows: per window and tap, the offset of the pixel it reads in x, or -1 in the padding (see windowPixels). */
export interface PoolWindows {
  readonly g: WindowGeometry;
  readonly pixels: Int32Array;
  /**
   * Whether padding taps count as zeros (tfjs' dilated 'same' pool, which pads with zeros before
   * pooling) rather than being left out of the window (every other pool).
   */
  readonly zeroPadding: boolean;
}

/** The windows of `g`, row-major over taps as tfjs' kernels visit them. */
export function poolWindows(g: WindowGeometry, zeroPadding: boolean): PoolWindows {
  return { g, pixels: windowPixels(g), zeroPadding };
}

/**
 * Each window's maximum per channel, and where it was read (the flat index in x, -1 for none or a
 * padding zero): the first of equal maxima, NaN never winning, -Infinity for a window of none, as
 * tfjs' CPU kernel.
 */
export function maxPoolValues<D extends DType>(x: TypedArrayFor<D>, w: PoolWindows, dtype: D): { y: TypedArrayFor<D>; from: Int32Array } {
  const c = w.g.channels;
  const taps = tapCount(w.g);
  const windows = w.pixels.length / taps;
  // Maxima in double, so that an int32 pool starts from -Infinity too; stored in y's type at the end.
  const best = new Float64Array(windows * c).fill(-Infinity);
  const from = new Int32Array(windows * c).fill(-1);
  for (let win = 0, out = 0; win < windows; win++, out += c) {
    for (let t = win * taps; t < (win + 1) * taps; t++) {
      const p = w.pixels[t];
      if (p >= 0) {
        for (let ch = 0; ch < c; ch++) {
          const v = x[p + ch];
          if (v > best[out + ch]) {
            best[out + ch] = v;
            from[out + ch] = p + ch;
          }
        }
      } else if (w.zeroPadding) {
        for (let ch = 0; ch < c; ch++) {
          if (0 > best[out + ch]) {
            best[out + ch] = 0;
            from[out + ch] = -1;
          }
        }
      }
    }
  }
  const y = typedArray(dtype, windows * c);
  y.set(best);
  return { y, from };
}

/** The max pool's input cotangent: each output's cotangent added where its maximum was read. */
export function maxPoolGradient(dy: Float32Array, from: Int32Array, inputSize: number): Float32Array {
  const dx = new Float64Array(inputSize);
  for (let o = 0; o < from.length; o++) if (from[o] >= 0) dx[from[o]] += dy[o];
  return Float32Array.from(dx);
}

/** The taps a window averages over: those inside x, or all of them where padding counts as zeros. */
function divisors(w: PoolWindows): Float64Array {
  const taps = tapCount(w.g);
  const counts = new Float64Array(w.pixels.length / taps);
  for (let t = 0; t < w.pixels.length; t++) if (w.zeroPadding || w.pixels[t] >= 0) counts[Math.floor(t / taps)]++;
  return counts;
}

/**
 * Each window's mean per channel, summed in double over the pixels inside x; a window of none
 * gives `emptyMean` (NaN as tfjs' 2-D kernel; its 3-D one gives 0).
 */
export function avgPoolValues(x: ArrayLike<number>, w: PoolWindows, emptyMean = NaN): Float32Array {
  const c = w.g.channels;
  const taps = tapCount(w.g);
  const counts = divisors(w);
  const y = new Float32Array(counts.length * c);
  const sums = new Float64Array(c);
  for (let win = 0; win < counts.length; win++) {
    sums.fill(0);
    for (let t = win * taps; t < (win + 1) * taps; t++) {
      const p = w.pixels[t];
      if (p >= 0) for (let ch = 0; ch < c; ch++) sums[ch] += x[p + ch];
    }
    for (let ch = 0; ch < c; ch++) y[win * c + ch] = counts[win] === 0 ? emptyMean : sums[ch] / counts[win];
  }
  return y;
}

/** The average pool's input cotangent: each output's cotangent shared equally by the pixels it averaged. */
export function avgPoolGradient(dy: Float32Array, w: PoolWindows, inputSize: number): Float32Array {
  const c = w.g.channels;
  const taps = tapCount(w.g);
  const counts = divisors(w);
  const dx = new Float64Array(inputSize);
  for (let win = 0; win < counts.length; win++) {
    for (let t = win * taps; t < (win + 1) * taps; t++) {
      const p = w.pixels[t];
      if (p >= 0) for (let ch = 0; ch < c; ch++) dx[p + ch] += dy[win * c + ch] / counts[win];
    }
  }
  return Float32Array.from(dx);
}
