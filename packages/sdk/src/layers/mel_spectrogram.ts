import type { Backend, BufferId } from '../backend/backend.js';
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { Tensor } from '../tensor.js';
import { checkOptions } from '../utils/options.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { registerBuiltinLayer } from './registry.js';
import { MEL_SPECTROGRAM_OPTIONS } from './layer_options.js';
import { dftKernel, windowSpecOf, windowValues, type WindowSpec } from './dft_kernels.js';
import { melWeightMatrix } from './mel_weights.js';

/** Options of {@link MelSpectrogram}, with Keras 3's defaults. */
export interface MelSpectrogramArgs extends LayerArgs {
  /** DFT size (default 2048); gives fftLength / 2 + 1 bins. */
  fftLength?: number;
  /** Samples between frames (default 512). */
  sequenceStride?: number;
  /** Samples the window covers, centred in each frame of fftLength (default fftLength). */
  sequenceLength?: number | null;
  /** 'hann' (default), 'hamming' (both periodic, as Keras' stft), null (none) or sequenceLength values. */
  window?: WindowSpec;
  /** Samples per second of the signal (default 16000). */
  samplingRate?: number;
  /** Mel bands (default 128). */
  numMelBins?: number;
  /** Lowest frequency of the bands, in Hz (default 20). */
  minFreq?: number;
  /** Highest frequency of the bands, in Hz (default samplingRate / 2, rounded down). */
  maxFreq?: number | null;
  /** Whether the output is in decibels (default true). */
  powerToDb?: boolean;
  /** With powerToDb, the floor below the batch's loudest value, in dB (default 80); null for none. */
  topDb?: number | null;
  /** Exponent of the magnitude: 1 for magnitude, 2 (default) for power. */
  magExp?: number;
  /** With powerToDb, the floor of the power and of refPower (default 1e-10). */
  minPower?: number;
  /** With powerToDb, the power that is 0 dB (default 1). */
  refPower?: number;
}

/** Where each buffer of the workspace starts, in floats: the constants, then the per-batch buffers. */
interface MelLayout {
  /** Per frame and fold position q: the signal index of the tap at frame position q, then of the one at fftLength − q. */
  readonly indicesA: number;
  readonly indicesB: number;
  /** The window values of those taps (0 where a position has none), repeated for each frame. */
  readonly windowA: number;
  readonly windowB: number;
  readonly cosKernel: number;
  readonly sinKernel: number;
  readonly melMatrix: number;
  /** Two floats: the decibel offset −10·log10(max(|refPower|, minPower)), then −topDb. */
  readonly constants: number;
  readonly peak: number;
  readonly sideA: number;
  readonly sideB: number;
  readonly sum: number;
  readonly re: number;
  readonly im: number;
  readonly mel: number;
  readonly size: number;
}

/**
 * Keras 3's MelSpectrogram: a batch of 1-D signals `[samples]` becomes mel spectrograms
 * `[numMelBins, frames]`, as Keras computes them: frames of fftLength samples every sequenceStride
 * (the signal reflected fftLength / 2 samples past each end, Keras' centred stft), each windowed
 * and transformed; |X|^magExp summed into triangular bands of the HTK mel scale; then, with
 * powerToDb, 10·log10(max(S, minPower) / max(|refPower|, minPower)) floored at topDb below the
 * loudest value of the batch (the whole batch, as Keras' max). frames = 1 + ⌊(samples + 2·⌊fftLength / 2⌋
 * − fftLength) / sequenceStride⌋.
 *
 * It has no weights, and, like Keras' preprocessing layers, it is meant for data: as a model's
 * first layer, or applied to a batch (`layer.apply(signals)`) or, as Keras takes it, to one signal
 * without a batch axis (`[samples]` → `[numMelBins, frames]`). It passes no gradient to its input:
 * a model that trains a layer before it is refused when it trains.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.melSpectrogram({ inputShape: [16000], samplingRate: 16000, numMelBins: 64, fftLength: 512, sequenceStride: 256 }),
 *   km.layers.reshape({ targetShape: [64, 63, 1] }),
 *   km.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
 *   km.layers.globalAveragePooling2d(),
 *   km.layers.dense({ units: 12, activation: 'softmax' }),
 * ]);
 * ```
 */
export class MelSpectrogram extends Layer {
  readonly className = 'MelSpectrogram';
  readonly fftLength: number;
  readonly sequenceStride: number;
  readonly sequenceLength: number;
  readonly window: WindowSpec;
  readonly samplingRate: number;
  readonly numMelBins: number;
  readonly minFreq: number;
  readonly maxFreq: number;
  readonly powerToDb: boolean;
  readonly topDb: number | null;
  readonly magExp: number;
  readonly minPower: number;
  readonly refPower: number;
  readonly #where: string;
  #samples = 0;

  constructor(args: MelSpectrogramArgs = {}) {
    super(args, 'MelSpectrogram');
    const where = (this.#where = `MelSpectrogram layer '${this.name}'`);
    const integer = (value: unknown, option: string, least: number): number => {
      if (!Number.isInteger(value) || (value as number) < least) throw new Error(`${where}: ${option} must be an integer of at least ${least}. Received: ${option}=${JSON.stringify(value)}.`);
      return value as number;
    };
    const positive = (value: unknown, option: string): number => {
      if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new Error(`${where}: ${option} must be a positive number. Received: ${option}=${JSON.stringify(value)}.`);
      return value;
    };
    this.fftLength = integer(args.fftLength ?? 2048, 'fftLength', 2);
    this.sequenceStride = integer(args.sequenceStride ?? 512, 'sequenceStride', 1);
    this.sequenceLength = integer(args.sequenceLength ?? this.fftLength, 'sequenceLength', 1);
    if (this.sequenceLength > this.fftLength) {
      throw new Error(`${where}: fftLength must be at least sequenceLength. Received: sequenceLength=${this.sequenceLength}, fftLength=${this.fftLength}. Use a sequenceLength of at most ${this.fftLength}, or a larger fftLength.`);
    }
    this.window = windowSpecOf(args.window, this.sequenceLength, 'window', where);
    this.samplingRate = positive(args.samplingRate ?? 16000, 'samplingRate');
    this.numMelBins = integer(args.numMelBins ?? 128, 'numMelBins', 1);
    this.minFreq = args.minFreq ?? 20;
    this.maxFreq = args.maxFreq ?? Math.floor(this.samplingRate / 2);
    if (!(typeof this.minFreq === 'number' && this.minFreq >= 0 && typeof this.maxFreq === 'number' && this.maxFreq > this.minFreq)) {
      throw new Error(`${where}: the bands need 0 ≤ minFreq < maxFreq (default samplingRate / 2 = ${this.samplingRate / 2} Hz). Received: minFreq=${JSON.stringify(args.minFreq)}, maxFreq=${JSON.stringify(args.maxFreq)}.`);
    }
    this.powerToDb = args.powerToDb ?? true;
    if (typeof this.powerToDb !== 'boolean') throw new Error(`${where}: powerToDb must be true or false. Received: powerToDb=${JSON.stringify(args.powerToDb)}.`);
    this.topDb = args.topDb === undefined ? 80 : args.topDb === null ? null : positive(args.topDb, 'topDb');
    this.magExp = positive(args.magExp ?? 2, 'magExp');
    this.minPower = positive(args.minPower ?? 1e-10, 'minPower');
    this.refPower = args.refPower ?? 1;
    if (typeof this.refPower !== 'number' || !Number.isFinite(this.refPower)) throw new Error(`${where}: refPower must be a finite number. Received: refPower=${JSON.stringify(args.refPower)}.`);
  }

  get #bins(): number {
    return Math.floor(this.fftLength / 2) + 1;
  }

  /** Frames of a signal of `samples`, after Keras' centring pads ⌊fftLength / 2⌋ samples on each side. */
  #frameCount(samples: number): number {
    return 1 + Math.floor((samples + 2 * Math.floor(this.fftLength / 2) - this.fftLength) / this.sequenceStride);
  }

  #checkedSamples(inputShapes: readonly Shape[]): number {
    const shape = singleInput(this, inputShapes);
    if (shape.length !== 1) {
      throw new Error(`${this.#where} expects each sample to be a 1-D signal [samples] (inputs of rank 2 with the batch), but received ${formatShape(shape)}. Reshape the signals to [batch, samples], e.g. km.layers.reshape({ targetShape: [${shape.reduce((a, b) => a * b, 1)}] }) for one channel.`);
    }
    const pad = Math.floor(this.fftLength / 2);
    if (shape[0] <= pad) {
      throw new Error(`${this.#where}: a signal of ${shape[0]} samples is too short to reflect ${pad} samples (fftLength / 2) past its ends, as Keras' centred stft does. Use signals of more than ${pad} samples, or a smaller fftLength.`);
    }
    return shape[0];
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return [this.numMelBins, this.#frameCount(this.#checkedSamples(inputShapes))];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    this.#samples = this.#checkedSamples(inputShapes);
  }

  override get couplesSamples(): boolean {
    return this.powerToDb && this.topDb !== null;
  }

  #layout(batch: number): MelLayout {
    const frames = this.#frameCount(this.#samples);
    const [bins, mels] = [this.#bins, this.numMelBins];
    const rows = batch * frames;
    const perFrame = frames * bins;
    const indicesA = 0;
    const indicesB = indicesA + perFrame;
    const windowA = indicesB + perFrame;
    const windowB = windowA + perFrame;
    const cosKernel = windowB + perFrame;
    const sinKernel = cosKernel + bins * bins;
    const melMatrix = sinKernel + bins * bins;
    const constants = melMatrix + bins * mels;
    const peak = constants + 2;
    const sideA = peak + 1;
    const sideB = sideA + rows * bins;
    const sum = sideB + rows * bins;
    const re = sum + rows * bins;
    const im = re + rows * bins;
    const mel = im + rows * Math.max(bins, mels);
    return { indicesA, indicesB, windowA, windowB, cosKernel, sinKernel, melMatrix, constants, peak, sideA, sideB, sum, re, im, mel, size: mel + rows * mels };
  }

  override workspaceSize(batch: number): number {
    return this.#layout(batch).size;
  }

  /**
   * The DFT folded in half: frame position p and fftLength − p share cos(2πpk/N) and have opposite
   * sines, so with A the windowed taps at positions q ≤ N/2 and B those at N − q, Re = (A + B)·cos
   * and Im = (A − B)·sin over ⌊N/2⌋ + 1 positions, half the multiply-adds of frames·kernel. Here:
   * per frame and q, the signal index (0 for a position without a tap) and window value (0 then)
   * of each side, the reflection of Keras' centred stft mapping padded positions into the signal.
   */
  override initWorkspace(b: Backend, workspace: BufferId, batch: number): void {
    const l = this.#layout(batch);
    const [taps, samples, frames, bins, n] = [this.sequenceLength, this.#samples, this.#frameCount(this.#samples), this.#bins, this.fftLength];
    const [half, offset] = [Math.floor(n / 2), Math.floor((n - taps) / 2)];
    const window = windowValues(this.window, taps, true);
    const [indicesA, indicesB, windowA, windowB] = Array.from({ length: 4 }, () => new Float32Array(frames * bins));
    for (let f = 0; f < frames; f++)
      for (let t = 0; t < taps; t++) {
        const p = offset + t;
        const i = f * this.sequenceStride + p - half;
        const at = f * bins + (p <= half ? p : n - p);
        (p <= half ? indicesA : indicesB)[at] = i < 0 ? -i : i >= samples ? 2 * (samples - 1) - i : i;
        (p <= half ? windowA : windowB)[at] = window[t];
      }
    const ones = new Array<number>(bins).fill(1);
    const write = (at: number, values: Float32Array): void => b.write(b.view(workspace, at, values.length), values);
    write(l.indicesA, indicesA);
    write(l.indicesB, indicesB);
    write(l.windowA, windowA);
    write(l.windowB, windowB);
    write(l.cosKernel, dftKernel('real', ones, bins, n));
    write(l.sinKernel, dftKernel('imag', ones, bins, n));
    write(l.melMatrix, melWeightMatrix(this.numMelBins, bins, this.samplingRate, this.minFreq, this.maxFreq));
    write(l.constants, Float32Array.of(-10 * Math.log10(Math.max(Math.abs(this.refPower), this.minPower)), -(this.topDb ?? 0)));
  }

  forward(ctx: ForwardContext): void {
    const { backend: b, batch, workspace } = ctx;
    const l = this.#layout(batch);
    const [samples, bins, mels] = [this.#samples, this.#bins, this.numMelBins];
    const frames = this.#frameCount(samples);
    const [rows, perFrame] = [batch * frames, frames * bins];
    const n = rows * bins;
    const view = (at: number, size: number): BufferId => b.view(workspace, at, size);
    const [sideA, sideB, sum, re, im, mel] = [view(l.sideA, n), view(l.sideB, n), view(l.sum, n), view(l.re, n), view(l.im, n), view(l.mel, rows * mels)];
    // Each side is a gather of the signal by fixed indices (an embedding lookup into a one-column table), then windowed.
    for (const [indices, window, side] of [[l.indicesA, l.windowA, sideA], [l.indicesB, l.windowB, sideB]] as const)
      for (let s = 0; s < batch; s++) {
        const out = b.view(side, s * perFrame, perFrame);
        b.embeddingForward(view(indices, perFrame), b.view(ctx.inputs[0], s * samples, samples), out, perFrame, 1, samples);
        b.mul(out, view(window, perFrame), out, perFrame);
      }
    b.add(sideA, sideB, sum, n);
    b.scale(sideB, n, -1);
    b.add(sideA, sideB, sideA, n);
    b.matMul(sum, view(l.cosKernel, bins * bins), re, rows, bins, bins, false, false, false);
    b.matMul(sideA, view(l.sinKernel, bins * bins), im, rows, bins, bins, false, false, false);
    b.mul(re, re, re, n);
    b.mul(im, im, im, n);
    b.add(re, im, re, n);
    if (this.magExp !== 2) {
      // |X|^e = exp(½e·ln |X|²); ln 0 = −∞ gives 0.
      b.log(re, re, n);
      b.scale(re, n, this.magExp / 2);
      b.activation('exponential', re, re, 1, n);
    }
    b.matMul(re, view(l.melMatrix, bins * mels), mel, rows, mels, bins, false, false, false);
    if (this.powerToDb) this.#decibels(b, l, mel, rows * mels, workspace);
    b.transpose(mel, ctx.output, [batch, frames, mels], [0, 2, 1]);
  }

  /** mel in place becomes 10·log10(max(S, minPower)) + the offset, floored at the batch's maximum − topDb. */
  #decibels(b: Backend, l: MelLayout, mel: BufferId, n: number, workspace: BufferId): void {
    b.clipByValue(mel, n, this.minPower, Infinity);
    b.log(mel, mel, n);
    b.scale(mel, n, 10 / Math.LN10);
    b.biasAdd(mel, b.view(workspace, l.constants, 1), n, 1);
    if (this.topDb === null) return;
    const peak = b.view(workspace, l.peak, 1);
    // The maximum of the whole batch, as one max-pooling window over it; the floor is broadcast by adding it to zeros.
    b.maxPool(mel, peak, { batch: 1, inH: 1, inW: n, channels: 1, kH: 1, kW: n, strideH: 1, strideW: n, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, outH: 1, outW: 1 });
    b.biasAdd(peak, b.view(workspace, l.constants + 1, 1), 1, 1);
    const floor = b.view(workspace, l.im, n);
    b.fill(floor, n, 0);
    b.biasAdd(floor, peak, n, 1);
    b.minMax(true, mel, floor, mel, n);
  }

  /**
   * As {@link Layer.apply}; on data it also takes one signal `[samples]` without a batch axis, as
   * Keras does, and returns its `[numMelBins, frames]` spectrogram (the batch of one it computes,
   * squeezed; topDb's floor is then below that signal's own peak).
   * @example `const spectrogram = km.layers.melSpectrogram({ numMelBins: 64 }).apply(km.tensor(clip, [16000])); // [64, 32]`
   */
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: LayerApplyArgs): SymbolicTensor;
  override apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>;
  override apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options?: LayerApplyArgs): SymbolicTensor | Tensor<'float32'> {
    if (inputs instanceof Tensor && inputs.rank === 1) return super.apply(inputs.expandDims(0), options).squeeze([0]);
    return super.apply(inputs as SymbolicTensor, options);
  }

  backward(ctx: BackwardContext): void {
    if (ctx.inputGrads[0]) {
      throw new Error(`${this.#where} passes no gradient to its input, but a layer before it is being trained. Keras runs MelSpectrogram on data: make it the model's first layer (or compute the spectrograms with layer.apply(signals) before fit), or freeze the layers before it.`);
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), fftLength: this.fftLength, sequenceStride: this.sequenceStride, sequenceLength: this.sequenceLength, window: this.window,
      samplingRate: this.samplingRate, numMelBins: this.numMelBins, minFreq: this.minFreq, maxFreq: this.maxFreq, powerToDb: this.powerToDb,
      topDb: this.topDb, magExp: this.magExp, minPower: this.minPower, refPower: this.refPower,
    };
  }
}

registerBuiltinLayer('MelSpectrogram', (config) => new MelSpectrogram(config as MelSpectrogramArgs));

/**
 * Keras 3's MelSpectrogram: `[samples]` signals to `[numMelBins, frames]` mel spectrograms (in dB by default).
 * @example `km.layers.melSpectrogram({ samplingRate: 16000, numMelBins: 64, fftLength: 512, sequenceStride: 256, inputShape: [16000] })`
 */
export function melSpectrogram(args?: MelSpectrogramArgs): MelSpectrogram {
  checkOptions(args, MEL_SPECTROGRAM_OPTIONS, 'km.layers.melSpectrogram');
  return new MelSpectrogram(args);
}
