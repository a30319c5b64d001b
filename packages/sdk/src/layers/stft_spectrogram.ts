import type { BufferId, WindowGeometry } from '../backend/backend.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { STFT_SPECTROGRAM_OPTIONS } from './layer_options.js';
import { dataFormatOf, paddingOf, sequenceGeometry, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';
import { dftKernel, windowScale, windowSpecOf, windowValues, type WindowScaling, type WindowSpec } from './dft_kernels.js';
import { modeWidth, scratchCount, spectrumBackward, spectrumForward, SPECTROGRAM_MODES, type SpectrogramMode, type SpectrumBuffers } from './spectrum_modes.js';

/** Options of {@link STFTSpectrogram}, with Keras 3's defaults. */
export interface STFTSpectrogramArgs extends LayerArgs {
  /** 'log' (default: ln of the magnitude), 'magnitude', 'psd' (power spectral density), 'real', 'imag', 'angle' (phase) or 'stft' (real then imaginary parts). */
  mode?: SpectrogramMode;
  /** Samples per frame (default 256). */
  frameLength?: number;
  /** Samples between frames (default frameLength / 2, rounded down); at most frameLength. */
  frameStep?: number | null;
  /** DFT size, at least frameLength (default the smallest power of two ≥ frameLength); gives fftLength / 2 + 1 bins. */
  fftLength?: number | null;
  /** 'hann' (default), 'hamming', null (none) or frameLength values. */
  window?: WindowSpec;
  /** Whether a named window is periodic (scipy's fftbins) rather than symmetric (default false). */
  periodic?: boolean;
  /** Divides the window by its L2 norm ('density', default) or its L1 norm ('spectrum'); null leaves it. */
  scaling?: WindowScaling;
  /** 'valid' (default: frames inside the signal) or 'same' (⌈time / frameStep⌉ frames, zero-padded). */
  padding?: PaddingMode;
  /** Gives each channel its own output axis, for image models (default false). */
  expandDims?: boolean;
  /** 'channelsLast' (default: `[time, channels]`) or 'channelsFirst' (`[channels, time]`). */
  dataFormat?: DataFormat;
}

/** Where each buffer of the workspace starts, in floats, and their sizes. */
interface StftLayout {
  readonly signal: number;
  readonly cols: number;
  readonly re: number;
  readonly im: number;
  readonly out: number;
  readonly scratch: number;
  readonly size: number;
}

/**
 * Keras 3's STFTSpectrogram: the short-time Fourier transform of each channel of `[time, channels]`
 * signals (`[channels, time]` with channelsFirst), computed as Keras computes it, as a strided 1-D
 * convolution with fixed windowed DFT kernels: `real_kernel` and `imag_kernel`, each
 * `[frameLength, 1, fftLength / 2 + 1]` (only the one its mode reads for 'real' and 'imag'). Each
 * frame's spectrum then becomes the mode's output. The output is `[frames, channels · bins]`
 * (channel by channel), `[frames, bins, channels]` with expandDims, and with channelsFirst
 * `[channels · bins, frames]` or `[channels, frames, bins]`; 'stft' has 2·bins per channel.
 *
 * As in Keras the kernels are trainable unless `trainable: false`, and every mode passes gradients
 * to them and to its input; 'magnitude' and 'log' floor the power at 1e-7 (Keras' epsilon) and pass
 * no gradient where the floor holds.
 *
 * @example
 * ```ts
 * // One second of 16 kHz mono audio → 124 frames of 129 log-magnitude bins → a classifier.
 * const model = km.sequential([
 *   km.layers.stftSpectrogram({ inputShape: [16000, 1], frameLength: 256, frameStep: 128, trainable: false, expandDims: true }),
 *   km.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
 *   km.layers.globalAveragePooling2d(),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
export class STFTSpectrogram extends Layer {
  readonly className = 'STFTSpectrogram';
  readonly mode: SpectrogramMode;
  readonly frameLength: number;
  /** The step given (null: the default, frameLength / 2), as the config keeps it. */
  readonly frameStep: number | null;
  /** The DFT size given (null: the default, the next power of two), as the config keeps it. */
  readonly fftLength: number | null;
  readonly window: WindowSpec;
  readonly periodic: boolean;
  readonly scaling: WindowScaling;
  readonly padding: PaddingMode;
  readonly expandDims: boolean;
  readonly dataFormat: DataFormat;
  readonly #step: number;
  readonly #bins: number;
  readonly #where: string;
  /** [time, channels] of a sample, and the frames over one channel; set by build. */
  #signal: [number, number] = [0, 0];
  #frames: SampleGeometry | null = null;

  constructor(args: STFTSpectrogramArgs = {}) {
    super(args, 'STFTSpectrogram');
    const where = (this.#where = `STFTSpectrogram layer '${this.name}'`);
    const mode = args.mode ?? 'log';
    if (!SPECTROGRAM_MODES.includes(mode)) {
      throw new Error(`${where}: mode must be one of ${SPECTROGRAM_MODES.map((m) => `'${m}'`).join(', ')}. Received: mode=${JSON.stringify(args.mode)}.`);
    }
    this.mode = mode;
    this.frameLength = positiveInteger(args.frameLength ?? 256, 'frameLength', where);
    this.frameStep = args.frameStep ?? null;
    this.#step = this.frameStep === null ? Math.max(1, Math.floor(this.frameLength / 2)) : positiveInteger(this.frameStep, 'frameStep', where);
    if (this.#step > this.frameLength) {
      throw new Error(`${where}: frameStep must be a positive integer not greater than frameLength. Received: frameStep=${this.frameStep}, frameLength=${this.frameLength}. Use a frameStep of at most ${this.frameLength}.`);
    }
    this.fftLength = args.fftLength ?? null;
    const fft = this.fftLength === null ? 2 ** Math.ceil(Math.log2(this.frameLength)) : positiveInteger(this.fftLength, 'fftLength', where);
    if (fft < this.frameLength || fft < 2) {
      throw new Error(`${where}: fftLength must be at least frameLength (and at least 2). Received: fftLength=${fft}, frameLength=${this.frameLength}. Use fftLength ≥ ${Math.max(2, this.frameLength)}, e.g. ${2 ** Math.ceil(Math.log2(Math.max(2, this.frameLength)))}.`);
    }
    this.#bins = Math.floor(fft / 2) + 1;
    this.window = windowSpecOf(args.window, this.frameLength, 'window', where);
    this.periodic = flag(args.periodic, false, 'periodic', where);
    const scaling = args.scaling === undefined ? 'density' : args.scaling;
    if (scaling !== null && scaling !== 'density' && scaling !== 'spectrum') {
      throw new Error(`${where}: scaling must be 'density', 'spectrum' or null. Received: scaling=${JSON.stringify(args.scaling)}.`);
    }
    this.scaling = scaling;
    this.padding = paddingOf(args.padding, this.name);
    this.expandDims = flag(args.expandDims, false, 'expandDims', where);
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
  }

  /** Frequency bins per channel: fftLength / 2 + 1. */
  get bins(): number {
    return this.#bins;
  }

  /** [time, channels] of an input sample, checked. */
  #signalShape(inputShapes: readonly Shape[]): [number, number] {
    const shape = singleInput(this, inputShapes);
    if (shape.length !== 2) {
      const layout = this.dataFormat === 'channelsLast' ? '[time, channels]' : '[channels, time]';
      const fix = shape.length === 1 ? ` Add a channels axis, e.g. km.layers.reshape({ targetShape: ${this.dataFormat === 'channelsLast' ? `[${shape[0]}, 1]` : `[1, ${shape[0]}]`} }).` : '';
      throw new Error(`${this.#where} expects samples of shape ${layout} (inputs of rank 3 with the batch), but received ${formatShape(shape)}.${fix}`);
    }
    return this.dataFormat === 'channelsLast' ? [shape[0], shape[1]] : [shape[1], shape[0]];
  }

  /** The frames over one channel: a 1-D window of frameLength taps over a [time, 1] sequence. */
  #geometry(time: number): SampleGeometry {
    return sequenceGeometry([time, 1], this.frameLength, this.#step, 1, this.padding, this.name);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [time, channels] = this.#signalShape(inputShapes);
    const frames = this.#geometry(time).outW;
    const width = modeWidth(this.mode, this.#bins);
    if (this.expandDims) return this.dataFormat === 'channelsLast' ? [frames, width, channels] : [channels, frames, width];
    return this.dataFormat === 'channelsLast' ? [frames, channels * width] : [channels * width, frames];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#signal = this.#signalShape(inputShapes);
    this.#frames = this.#geometry(this.#signal[0]);
    const window = windowValues(this.window, this.frameLength, this.periodic);
    const scale = windowScale(window, this.scaling, this.window !== null);
    // Keras' STFTInitializer: the DFT over 2·(bins − 1) points, so an odd fftLength rounds down as in Keras.
    const period = 2 * (this.#bins - 1);
    const shape = [this.frameLength, 1, this.#bins];
    if (this.mode !== 'imag') this.addWeight('real_kernel', shape, () => dftKernel('real', window, this.#bins, period, scale));
    if (this.mode !== 'real') this.addWeight('imag_kernel', shape, () => dftKernel('imag', window, this.#bins, period, scale));
  }

  /** Rows of the spectra for a batch: one per frame of each channel of each sample. */
  #rows(batch: number): number {
    return batch * this.#signal[1] * this.#frames!.outW;
  }

  #layout(batch: number): StftLayout {
    const [time, channels] = this.#signal;
    const rows = this.#rows(batch);
    const part = rows * this.#bins;
    const signal = 0;
    const cols = signal + (this.dataFormat === 'channelsLast' ? batch * channels * time : 0);
    const re = cols + rows * this.frameLength;
    const im = re + (this.mode !== 'imag' ? part : 0);
    const out = im + (this.mode !== 'real' ? part : 0);
    const scratch = out + rows * modeWidth(this.mode, this.#bins);
    return { signal, cols, re, im, out, scratch, size: scratch + scratchCount(this.mode) * part };
  }

  override workspaceSize(batch: number): number {
    return this.#layout(batch).size;
  }

  /** The frames over every channel of the batch as one batch of [1, time, 1] images. */
  #batchGeometry(batch: number): WindowGeometry {
    return { ...this.#frames!, batch: batch * this.#signal[1] };
  }

  /** The output's axes, from the spectra laid out `[batch, channels, frames, width]`. */
  get #outputPermutation(): number[] {
    if (this.dataFormat === 'channelsLast') return this.expandDims ? [0, 2, 3, 1] : [0, 2, 1, 3];
    return this.expandDims ? [0, 1, 2, 3] : [0, 1, 3, 2];
  }

  #spectraDims(batch: number): number[] {
    return [batch, this.#signal[1], this.#frames!.outW, modeWidth(this.mode, this.#bins)];
  }

  #buffers(ctx: ForwardContext): SpectrumBuffers & { cols: BufferId; signal: BufferId; out: BufferId } {
    const { backend: b, batch, workspace } = ctx;
    const l = this.#layout(batch);
    const rows = this.#rows(batch);
    const part = rows * this.#bins;
    const view = (at: number, n: number): BufferId => (n > 0 ? b.view(workspace, at, n) : 0);
    const [time, channels] = this.#signal;
    return {
      signal: this.dataFormat === 'channelsLast' ? view(l.signal, batch * channels * time) : ctx.inputs[0],
      cols: view(l.cols, rows * this.frameLength),
      re: this.mode !== 'imag' ? view(l.re, part) : 0,
      im: this.mode !== 'real' ? view(l.im, part) : 0,
      out: view(l.out, rows * modeWidth(this.mode, this.#bins)),
      rows,
      bins: this.#bins,
      scratch: Array.from({ length: scratchCount(this.mode) }, (_, k) => view(l.scratch + k * part, part)),
    };
  }

  /** The weights in the order build declared them: [real, imag] with 0 for the one the mode lacks. */
  #kernels(weights: readonly BufferId[]): [BufferId, BufferId] {
    if (this.mode === 'real') return [weights[0], 0];
    if (this.mode === 'imag') return [0, weights[0]];
    return [weights[0], weights[1]];
  }

  forward(ctx: ForwardContext): void {
    const { backend: b, batch } = ctx;
    const s = this.#buffers(ctx);
    const [time, channels] = this.#signal;
    if (this.dataFormat === 'channelsLast') b.transpose(ctx.inputs[0], s.signal, [batch, time, channels], [0, 2, 1]);
    b.im2col(s.signal, s.cols, this.#batchGeometry(batch));
    const [realKernel, imagKernel] = this.#kernels(ctx.weights);
    if (s.re) b.matMul(s.cols, realKernel, s.re, s.rows, this.#bins, this.frameLength, false, false, false);
    if (s.im) b.matMul(s.cols, imagKernel, s.im, s.rows, this.#bins, this.frameLength, false, false, false);
    const spectra = spectrumForward(b, this.mode, s, s.out);
    b.transpose(spectra, ctx.output, this.#spectraDims(batch), this.#outputPermutation);
  }

  backward(ctx: BackwardContext): void {
    const { backend: b, batch, weightGrads } = ctx;
    // A frozen first layer (a preprocessing front-end) has nothing to compute.
    if (!ctx.weightGradsNeeded && !ctx.inputGrads[0]) return;
    const s = this.#buffers(ctx);
    const perm = this.#outputPermutation;
    const dims = this.#spectraDims(batch);
    const inverse = perm.map((_, k) => perm.indexOf(k));
    b.transpose(ctx.outputGrad, s.out, perm.map((p) => dims[p]), inverse);
    const [dRe, dIm] = spectrumBackward(b, this.mode, s, s.out);
    const [realKernel, imagKernel] = this.#kernels(ctx.weights);
    const [realGrad, imagGrad] = this.#kernels(weightGrads);
    const [rows, bins, taps] = [s.rows, this.#bins, this.frameLength];
    if (ctx.weightGradsNeeded) {
      if (dRe) b.matMul(s.cols, dRe, realGrad, taps, bins, rows, true, false, false);
      if (dIm) b.matMul(s.cols, dIm, imagGrad, taps, bins, rows, true, false, false);
    }
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    // The frames' gradient overwrites the frames (the kernels' gradients are done with them), then col2im sums it into the signal.
    if (dRe) b.matMul(dRe, realKernel, s.cols, rows, taps, bins, false, true, false);
    if (dIm) b.matMul(dIm, imagKernel, s.cols, rows, taps, bins, false, true, dRe !== 0);
    const [time, channels] = this.#signal;
    const dSignal = this.dataFormat === 'channelsLast' ? s.signal : dx;
    b.col2im(s.cols, dSignal, this.#batchGeometry(batch));
    if (this.dataFormat === 'channelsLast') b.transpose(dSignal, dx, [batch, channels, time], [0, 2, 1]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), mode: this.mode, frameLength: this.frameLength, frameStep: this.frameStep, fftLength: this.fftLength,
      window: this.window, periodic: this.periodic, scaling: this.scaling, padding: this.padding, expandDims: this.expandDims, dataFormat: this.dataFormat,
    };
  }
}

function positiveInteger(value: unknown, option: string, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new Error(`${where}: ${option} must be a positive integer. Received: ${option}=${JSON.stringify(value)}.`);
  }
  return value as number;
}

function flag(value: unknown, fallback: boolean, option: string, where: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new Error(`${where}: ${option} must be true or false. Received: ${option}=${JSON.stringify(value)}.`);
  return value;
}

registerBuiltinLayer('STFTSpectrogram', (config) => new STFTSpectrogram(config as STFTSpectrogramArgs));

/**
 * Keras 3's STFTSpectrogram: spectrograms of `[time, channels]` audio, a convolution with DFT kernels.
 * @example `km.layers.stftSpectrogram({ mode: 'log', frameLength: 256, frameStep: 128, inputShape: [16000, 1] })`
 */
export function stftSpectrogram(args?: STFTSpectrogramArgs): STFTSpectrogram {
  checkOptions(args, STFT_SPECTROGRAM_OPTIONS, 'km.layers.stftSpectrogram');
  return new STFTSpectrogram(args);
}
