// STFTSpectrogram's output modes over the real and imaginary parts `[rows, bins]` of its spectra,
// forward and backward, composed from the backend's elementwise kernels: square roots and
// reciprocals are exp(±e·ln q) (log, scale and the 'exponential' activation), so only ln and atan2
// are kernels of their own.
import type { Backend, BufferId } from '../backend/backend.js';

/** Keras 3's spectrogram outputs: log magnitude, magnitude, power spectral density, the parts, the phase, or both parts side by side ('stft'). */
export type SpectrogramMode = 'log' | 'magnitude' | 'psd' | 'real' | 'imag' | 'angle' | 'stft';

export const SPECTROGRAM_MODES: readonly SpectrogramMode[] = ['log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'];

/** Keras' backend.epsilon(): the floor of the power under the magnitude and the log. */
const EPSILON = 1e-7;

/** The buffers of one pass: the parts (0 where the mode has none), and scratch of `rows·bins` floats each. */
export interface SpectrumBuffers {
  readonly re: BufferId;
  readonly im: BufferId;
  readonly rows: number;
  readonly bins: number;
  /** Scratch: the modes other than 'real', 'imag' and 'stft' need two, 'magnitude' and 'log' three. */
  readonly scratch: readonly BufferId[];
}

/** How many `rows·bins` scratch buffers a mode needs. */
export function scratchCount(mode: SpectrogramMode): number {
  return mode === 'magnitude' || mode === 'log' ? 3 : mode === 'real' || mode === 'imag' ? 0 : 2;
}

/** Values per row of the output: the bins, or both parts' for 'stft'. */
export function modeWidth(mode: SpectrogramMode, bins: number): number {
  return mode === 'stft' ? 2 * bins : bins;
}

/** p = re² + im², into `p`; `t` is scratch. */
function power(b: Backend, s: SpectrumBuffers, p: BufferId, t: BufferId): void {
  const n = s.rows * s.bins;
  b.mul(s.re, s.re, p, n);
  b.mul(s.im, s.im, t, n);
  b.add(p, t, p, n);
}

/** dst = src with every bin but the first and the last doubled (psd's one-sided sum, as Keras pads power[1:-1]); dst ≠ src. */
function doubleInnerBins(b: Backend, src: BufferId, dst: BufferId, rows: number, bins: number): void {
  b.add(src, src, dst, rows * bins);
  b.copyRows(src, bins, dst, bins, rows, 1);
  b.copyRows(b.view(src, bins - 1, rows * bins - bins + 1), bins, b.view(dst, bins - 1, rows * bins - bins + 1), bins, rows, 1);
}

/** out = exp(factor·x) over n values, in place in x when out is x. */
function expOfScaled(b: Backend, x: BufferId, out: BufferId, n: number, factor: number): void {
  b.scale(x, n, factor);
  b.activation('exponential', x, out, 1, n);
}

/**
 * Writes the mode's output `[rows, modeWidth]` into `out` and returns it, or returns the part the
 * mode outputs as it is ('real', 'imag'). `out` must not be a part.
 */
export function spectrumForward(b: Backend, mode: SpectrogramMode, s: SpectrumBuffers, out: BufferId): BufferId {
  const { rows, bins, scratch } = s;
  const n = rows * bins;
  switch (mode) {
    case 'real':
      return s.re;
    case 'imag':
      return s.im;
    case 'stft':
      b.copyRows(s.re, bins, out, 2 * bins, rows, bins);
      b.copyRows(s.im, bins, b.view(out, bins, 2 * n - bins), 2 * bins, rows, bins);
      return out;
    case 'angle':
      b.atan2(s.im, s.re, out, n);
      return out;
    case 'psd':
      power(b, s, scratch[0], scratch[1]);
      doubleInnerBins(b, scratch[0], out, rows, bins);
      return out;
    default:
      // magnitude √max(p, ε) = exp(½·ln max(p, ε)); log ln max(√max(p, ε), ε) = ½·ln max(p, ε), as √ε > ε.
      power(b, s, out, scratch[0]);
      b.clipByValue(out, n, EPSILON, Infinity);
      b.log(out, out, n);
      if (mode === 'magnitude') expOfScaled(b, out, out, n, 0.5);
      else b.scale(out, n, 0.5);
      return out;
  }
}

/**
 * From the gradient `g` of the mode's output (`[rows, modeWidth]`, overwritten), the gradients of
 * the parts the mode reads: returns [dRe, dIm] (0 for a part it has none of), in `g` or scratch.
 */
export function spectrumBackward(b: Backend, mode: SpectrogramMode, s: SpectrumBuffers, g: BufferId): [BufferId, BufferId] {
  const { rows, bins, scratch } = s;
  const n = rows * bins;
  const [t1, t2, t3] = scratch;
  switch (mode) {
    case 'real':
      return [g, 0];
    case 'imag':
      return [0, g];
    case 'stft':
      b.copyRows(g, 2 * bins, t1, bins, rows, bins);
      b.copyRows(b.view(g, bins, 2 * n - bins), 2 * bins, t2, bins, rows, bins);
      return [t1, t2];
    case 'angle': {
      // d atan2(im, re) = (re·dIm − im·dRe) / p, with p floored at ε as the forward modes floor it.
      power(b, s, t1, t2);
      b.clipByValue(t1, n, EPSILON, Infinity);
      b.log(t1, t1, n);
      expOfScaled(b, t1, t1, n, -1);
      b.mul(g, t1, t1, n);
      b.mul(s.im, t1, t2, n);
      b.scale(t2, n, -1);
      b.mul(s.re, t1, t1, n);
      return [t2, t1];
    }
    case 'psd':
      doubleInnerBins(b, g, t2, rows, bins);
      b.mul(s.re, t2, t1, n);
      b.add(t1, t1, t1, n);
      b.mul(s.im, t2, t2, n);
      b.add(t2, t2, t2, n);
      return [t1, t2];
    default: {
      // With q = max(p, ε): magnitude q^½ and log ½·ln q give dRe = re·g·q^(−e)·[p ≥ ε], e = ½ or 1;
      // where the floor holds (p < ε) the gradient is 0, as through Keras' maximum.
      power(b, s, t1, t3);
      b.copy(t1, t2, n);
      b.clipByValue(t2, n, EPSILON, Infinity);
      b.routeToFirstMatch(t1, t2, g, t3, n);
      b.log(t2, t2, n);
      expOfScaled(b, t2, t2, n, mode === 'magnitude' ? -0.5 : -1);
      b.mul(t3, t2, t3, n);
      b.mul(s.re, t3, t1, n);
      b.mul(s.im, t3, t2, n);
      return [t1, t2];
    }
  }
}
