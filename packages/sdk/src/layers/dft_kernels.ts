// The fixed matrices of the spectrogram layers: window functions, and windowed DFT kernels that turn
// a matrix of frames into the real and imaginary parts of their spectra with one GEMM each.

/** A window function by name, as Keras' spectrogram layers take it, or the window's own values. */
export type WindowSpec = 'hann' | 'hamming' | readonly number[] | null;

/** Checks a window option; `length` is how many values a window given as values must have. */
export function windowSpecOf(value: unknown, length: number, option: string, where: string): WindowSpec {
  if (value === undefined) return 'hann';
  if (value === null || value === 'hann' || value === 'hamming') return value;
  if (Array.isArray(value) && value.length === length && value.every((v) => Number.isFinite(v))) return [...(value as number[])];
  const given = Array.isArray(value) ? ` (a list of ${value.length} values)` : '';
  throw new Error(`${where}: ${option} must be 'hann', 'hamming', null (no window) or a list of ${length} finite numbers. Received: ${option}=${JSON.stringify(value)}${given}. Use one of these; other windows can be given as their values.`);
}

/**
 * The window's `length` values in float64, as scipy.signal.get_window(name, length, fftbins=periodic):
 * 0.5 − 0.5·cos(2πn/d) (hann) or 0.54 − 0.46·cos(2πn/d) (hamming) with d = length when periodic,
 * length − 1 when symmetric; all ones for null.
 */
export function windowValues(window: WindowSpec, length: number, periodic: boolean): number[] {
  if (window === null) return new Array<number>(length).fill(1);
  if (typeof window !== 'string') return [...window];
  if (length === 1) return [1];
  const [a, b] = window === 'hann' ? [0.5, 0.5] : [0.54, 0.46];
  const d = periodic ? length : length - 1;
  return Array.from({ length }, (_, n) => a - b * Math.cos((2 * Math.PI * n) / d));
}

/**
 * The `[taps, bins]` matrix (row-major) whose product with frames of `taps` samples gives the real
 * (`cos`) or imaginary (`sin`) part of their DFT over `period` points: entry (t, k) is
 * w[t]·cos(−2πtk / period), or the sine, over `scale`. Phases are reduced exactly (integer t·k mod
 * period) before the float64 trigonometry, so long frames keep full precision.
 */
export function dftKernel(side: 'real' | 'imag', window: readonly number[], bins: number, period: number, scale = 1): Float32Array {
  const taps = window.length;
  const out = new Float32Array(taps * bins);
  for (let t = 0; t < taps; t++)
    for (let k = 0; k < bins; k++) {
      const phase = (-2 * Math.PI * ((t * k) % period)) / period;
      out[t * bins + k] = ((side === 'real' ? Math.cos(phase) : Math.sin(phase)) * window[t]) / scale;
    }
  return out;
}

/** How STFTSpectrogram normalizes its window, as Keras' STFTInitializer: by its L2 norm ('density'), its L1 norm ('spectrum'), or not (null). */
export type WindowScaling = 'density' | 'spectrum' | null;

/** The divisor of a window's values for a scaling; 1 when there is no window to scale. */
export function windowScale(window: readonly number[], scaling: WindowScaling, windowed: boolean): number {
  if (!windowed || scaling === null) return 1;
  return scaling === 'density' ? Math.sqrt(window.reduce((s, w) => s + w * w, 0)) : window.reduce((s, w) => s + Math.abs(w), 0);
}
