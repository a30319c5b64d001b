import type { Backend, BufferId } from '../backend/backend.js';
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
  readonly indices: number;
  readonly realKernel: number;
  readonly imagKernel: number;
  readonly melMatrix: number;
  /** Two floats: the decibel offset −10·log10(max(|refPower|, minPower)), then −topDb. */
  readonly constants: number;
  readonly peak: number;
  readonly frames: number;
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
 * first layer, or applied to a batch (`layer.apply(signals)`). It passes no gradient to its input:
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
    const taps = this.sequenceLength;
    const frames = this.#frameCount(this.#samples);
    const [bins, mels] = [this.#bins, this.numMelBins];
    const rows = batch * frames;
    const indices = 0;
    const realKernel = indices + frames * taps;
    const imagKernel = realKernel + taps * bins;
    const melMatrix = imagKernel + taps * bins;
    const constants = melMatrix + bins * mels;
    const peak = constants + 2;
    const framesAt = peak + 1;
    const re = framesAt + rows * taps;
    const im = re + rows * bins;
    const mel = im + rows * Math.max(bins, mels);
    return { indices, realKernel, imagKernel, melMatrix, constants, peak, frames: framesAt, re, im, mel, size: mel + rows * mels };
  }

  override workspaceSize(batch: number): number {
    return this.#layout(batch).size;
  }

  override initWorkspace(b: Backend, workspace: BufferId, batch: number): void {
    const l = this.#layout(batch);
    const [taps, samples, frames, bins] = [this.sequenceLength, this.#samples, this.#frameCount(this.#samples), this.#bins];
    const [half, offset] = [Math.floor(this.fftLength / 2), Math.floor((this.fftLength - taps) / 2)];
    // Tap t of frame f reads padded sample f·stride + offset + t, which the reflection maps into the signal.
    const indices = new Float32Array(frames * taps);
    for (let f = 0; f < frames; f++)
      for (let t = 0; t < taps; t++) {
        const i = f * this.sequenceStride + offset + t - half;
        indices[f * taps + t] = i < 0 ? -i : i >= samples ? 2 * (samples - 1) - i : i;
      }
    const window = windowValues(this.window, taps, true);
    const write = (at: number, values: Float32Array): void => b.write(b.view(workspace, at, values.length), values);
    write(l.indices, indices);
    write(l.realKernel, dftKernel('real', window, bins, this.fftLength, offset));
    write(l.imagKernel, dftKernel('imag', window, bins, this.fftLength, offset));
    write(l.melMatrix, melWeightMatrix(this.numMelBins, bins, this.samplingRate, this.minFreq, this.maxFreq));
    write(l.constants, Float32Array.of(-10 * Math.log10(Math.max(Math.abs(this.refPower), this.minPower)), -(this.topDb ?? 0)));
  }

  forward(ctx: ForwardContext): void {
    const { backend: b, batch, workspace } = ctx;
    const l = this.#layout(batch);
    const [taps, samples, bins, mels] = [this.sequenceLength, this.#samples, this.#bins, this.numMelBins];
    const frames = this.#frameCount(samples);
    const rows = batch * frames;
    const view = (at: number, n: number): BufferId => b.view(workspace, at, n);
    const [framed, re, im, mel] = [view(l.frames, rows * taps), view(l.re, rows * bins), view(l.im, rows * bins), view(l.mel, rows * mels)];
    // Framing is a gather of each signal by the fixed indices (an embedding lookup into a one-column table).
    const indices = view(l.indices, frames * taps);
    for (let s = 0; s < batch; s++) b.embeddingForward(indices, b.view(ctx.inputs[0], s * samples, samples), b.view(framed, s * frames * taps, frames * taps), frames * taps, 1, samples);
    b.matMul(framed, view(l.realKernel, taps * bins), re, rows, bins, taps, false, false, false);
    b.matMul(framed, view(l.imagKernel, taps * bins), im, rows, bins, taps, false, false, false);
    const n = rows * bins;
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
