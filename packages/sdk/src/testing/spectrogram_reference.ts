// Float64 references of the spectrogram layers, written from the definitions (scipy's windows, the
// DFT sum, TensorFlow's 'same' padding, the HTK mel scale) rather than from the layers' code.

/** scipy.signal.get_window('hann' | 'hamming', n, fftbins=periodic); null: ones. */
export function refWindow(name: 'hann' | 'hamming' | null, n: number, periodic: boolean): number[] {
  if (name === null) return new Array<number>(n).fill(1);
  if (n === 1) return [1];
  const alpha = name === 'hann' ? 0.5 : 0.54;
  const denominator = periodic ? n : n - 1;
  return Array.from({ length: n }, (_, i) => alpha - (1 - alpha) * Math.cos((2 * Math.PI * i) / denominator));
}

/** The DFT of one frame at bin k over `period` points: [Σ x·cos(−2πnk/N), Σ x·sin(−2πnk/N)]. */
export function refDft(frame: readonly number[], k: number, period: number): [number, number] {
  let [re, im] = [0, 0];
  frame.forEach((v, n) => {
    re += v * Math.cos((-2 * Math.PI * n * k) / period);
    im += v * Math.sin((-2 * Math.PI * n * k) / period);
  });
  return [re, im];
}

/** Frames of `length` every `step` over a signal, zero-padded as TensorFlow's conv 'same' pads (⌈T / step⌉ frames, the extra zero on the right). */
export function refFrames(signal: readonly number[], length: number, step: number, padding: 'valid' | 'same'): number[][] {
  const count = padding === 'same' ? Math.ceil(signal.length / step) : Math.floor((signal.length - length) / step) + 1;
  const left = padding === 'same' ? Math.floor(Math.max(0, (count - 1) * step + length - signal.length) / 2) : 0;
  return Array.from({ length: count }, (_, f) => Array.from({ length }, (_, t) => signal[f * step + t - left] ?? 0));
}

/** Keras' STFTSpectrogram modes from one frame's spectrum [re, im] per bin (eps = 1e-7, Keras' epsilon). */
export function refMode(mode: string, parts: readonly [number, number][]): number[] {
  const power = parts.map(([re, im]) => re * re + im * im);
  switch (mode) {
    case 'real':
      return parts.map(([re]) => re);
    case 'imag':
      return parts.map(([, im]) => im);
    case 'stft':
      return [...parts.map(([re]) => re), ...parts.map(([, im]) => im)];
    case 'angle':
      return parts.map(([re, im]) => Math.atan2(im, re));
    case 'psd':
      return power.map((p, k) => (k === 0 || k === power.length - 1 ? p : 2 * p));
    case 'magnitude':
      return power.map((p) => Math.sqrt(Math.max(p, 1e-7)));
    default:
      return power.map((p) => Math.log(Math.max(Math.sqrt(Math.max(p, 1e-7)), 1e-7)));
  }
}

/** HTK mel filterbank [bins, mels] from the triangle definition with mel(f) = 2595·log10(1 + f / 700), the DC row zero. */
export function refMelMatrix(mels: number, bins: number, rate: number, lo: number, hi: number): number[][] {
  const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
  const edges = Array.from({ length: mels + 2 }, (_, i) => mel(lo) + ((mel(hi) - mel(lo)) * i) / (mels + 1));
  return Array.from({ length: bins }, (_, k) => {
    const m = mel((k * rate) / 2 / (bins - 1));
    return Array.from({ length: mels }, (_, j) => (k === 0 ? 0 : Math.max(0, Math.min((m - edges[j]) / (edges[j + 1] - edges[j]), (edges[j + 2] - m) / (edges[j + 2] - edges[j + 1])))));
  });
}

/** np.pad(signal, pad, mode='reflect'): mirrored about the end samples, which are not repeated. */
export function refReflectPad(signal: readonly number[], pad: number): number[] {
  const n = signal.length;
  return Array.from({ length: n + 2 * pad }, (_, j) => {
    const i = j - pad;
    return signal[i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i];
  });
}

/** The options of STFTSpectrogram a reference reads. */
export interface RefStftOptions {
  mode: string;
  frameLength: number;
  frameStep: number;
  fftLength: number;
  window: 'hann' | 'hamming' | null;
  periodic: boolean;
  scaling: 'density' | 'spectrum' | null;
  padding: 'valid' | 'same';
}

/** Keras' STFTSpectrogram of one channel from the definition: [frame] → the mode's row. */
export function refStftRows(signal: readonly number[], c: RefStftOptions): number[][] {
  const window = refWindow(c.window, c.frameLength, c.periodic);
  const scale = c.window === null || c.scaling === null ? 1 : c.scaling === 'density' ? Math.sqrt(window.reduce((s, w) => s + w * w, 0)) : window.reduce((s, w) => s + Math.abs(w), 0);
  const bins = Math.floor(c.fftLength / 2) + 1;
  return refFrames(signal, c.frameLength, c.frameStep, c.padding).map((frame) => {
    const windowed = frame.map((v, t) => (v * window[t]) / scale);
    return refMode(c.mode, Array.from({ length: bins }, (_, k) => refDft(windowed, k, 2 * (bins - 1))));
  });
}

/** The same frames through given kernels `[frameLength, bins]` (real, imaginary; null for the one a mode lacks): the layer as a function of its weights. */
export function refStftRowsWithKernels(signal: readonly number[], kernels: readonly (readonly number[] | null)[], bins: number, c: RefStftOptions): number[][] {
  return refFrames(signal, c.frameLength, c.frameStep, c.padding).map((frame) =>
    refMode(c.mode, Array.from({ length: bins }, (_, k) => [0, 1].map((side) => (kernels[side] ? frame.reduce((a, v, t) => a + v * kernels[side]![t * bins + k], 0) : 0)) as [number, number])),
  );
}

/** The options of MelSpectrogram a reference reads (Keras' defaults where absent). */
export interface RefMelOptions {
  fftLength: number;
  sequenceStride: number;
  sequenceLength?: number;
  window?: 'hann' | 'hamming' | null;
  samplingRate: number;
  numMelBins: number;
  minFreq?: number;
  maxFreq?: number;
  powerToDb?: boolean;
  topDb?: number | null;
  magExp?: number;
  minPower?: number;
  refPower?: number;
}

/** Keras' MelSpectrogram of a batch, as [sample][mel][frame]: its centred stft, |X|^magExp, the filterbank, decibels floored below the batch's maximum. */
export function refMelSpectrogram(signals: readonly (readonly number[])[], c: RefMelOptions): number[][][] {
  const [fft, length] = [c.fftLength, c.sequenceLength ?? c.fftLength];
  const bins = Math.floor(fft / 2) + 1;
  const lPad = Math.floor((fft - length) / 2);
  const window = new Array<number>(fft).fill(0);
  refWindow(c.window === undefined ? 'hann' : c.window, length, true).forEach((w, t) => (window[lPad + t] = w));
  const matrix = refMelMatrix(c.numMelBins, bins, c.samplingRate, c.minFreq ?? 20, c.maxFreq ?? Math.floor(c.samplingRate / 2));
  const spectra = signals.map((signal) => {
    const padded = refReflectPad(signal, Math.floor(fft / 2));
    const frames = Math.floor((padded.length - fft) / c.sequenceStride) + 1;
    return Array.from({ length: frames }, (_, f) => {
      const frame = Array.from({ length: fft }, (_, t) => padded[f * c.sequenceStride + t] * window[t]);
      const magnitude = Array.from({ length: bins }, (_, k) => Math.hypot(...refDft(frame, k, fft)) ** (c.magExp ?? 2));
      return Array.from({ length: c.numMelBins }, (_, m) => magnitude.reduce((s, v, k) => s + v * matrix[k][m], 0));
    });
  });
  let values = spectra;
  if (c.powerToDb ?? true) {
    const minPower = c.minPower ?? 1e-10;
    const db = (p: number) => 10 * Math.log10(Math.max(p, minPower)) - 10 * Math.log10(Math.max(Math.abs(c.refPower ?? 1), minPower));
    values = spectra.map((s) => s.map((row) => row.map(db)));
    const topDb = c.topDb === undefined ? 80 : c.topDb;
    if (topDb !== null) {
      const floor = Math.max(...values.flat(2)) - topDb;
      values = values.map((s) => s.map((row) => row.map((v) => Math.max(v, floor))));
    }
  }
  // [frame][mel] → [mel][frame], Keras' swapaxes.
  return values.map((s) => Array.from({ length: c.numMelBins }, (_, m) => s.map((row) => row[m])));
}
