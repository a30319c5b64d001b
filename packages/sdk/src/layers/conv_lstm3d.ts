import type { InitializerSpec } from '../initializers/initializers.js';
import type { ActivationName } from './activations.js';
import { ConvLSTM } from './conv_lstm.js';
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';
import type { LSTMArgs } from './lstm.js';
import { registerBuiltinLayer } from './registry.js';
import { tripleOf, volumeGeometry, type Triple } from './volume.js';
import { checkStridesWithDilation, dataFormatOf, paddingOf, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';
import { CONV_LSTM3D_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link ConvLSTM3D}: LSTM's (but `units`) and Conv3D's window, with Keras 3's defaults. */
export interface ConvLSTM3DArgs extends Omit<LSTMArgs, 'units' | 'recurrentActivation' | 'kernelInitializer'> {
  /** Channels of the hidden state and output (positive integer). */
  filters: number;
  /** Window depth, height and width of both convolutions (one number for a cube). */
  kernelSize: number | Triple;
  /** Step between windows of the input convolution (default 1); the recurrent one always steps by 1. */
  strides?: number | Triple;
  /** Padding of the input convolution: 'valid' (default) or 'same'; the recurrent one is always 'same'. */
  padding?: PaddingMode;
  /** Spacing between the input kernel's taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | Triple;
  /**
   * Where each frame keeps its channels: 'channelsLast' (default; input `[time, depth, rows, cols,
   * channels]`, states `[depth, rows, cols, filters]`) or 'channelsFirst' (input `[time, channels,
   * depth, rows, cols]`, states `[filters, depth, rows, cols]`). The weights are the same in both.
   */
  dataFormat?: DataFormat;
  /** Activation of the input, forget and output gates (default 'sigmoid', as in Keras 3). */
  recurrentActivation?: ActivationName | null;
  /** Initializer of the input kernel `[kD, kH, kW, channels, 4·filters]` (default glorotUniform, as in Keras 3). */
  kernelInitializer?: InitializerSpec;
}

/**
 * Keras 3's ConvLSTM3D (TensorFlow.js 4.22 has none): an LSTM whose input and recurrent transforms
 * are 3-D convolutions, over sequences of volumes `[time, depth, rows, cols, channels]`, so its
 * state is a volume `[outDepth, outRows, outCols, filters]`. Keras' equations, gates i, f, c, o
 * (i = σ(conv(x, Wi) + conv(h, Ui) + bi), f, c̃ = tanh(…), o; c = f·c + i·c̃; h = o·tanh(c)) and
 * weights: `kernel [kD, kH, kW, channels, 4·filters]`, `recurrent_kernel [kD, kH, kW, filters,
 * 4·filters]`, `bias [4·filters]`. The input convolution takes `strides`, `padding` and
 * `dilationRate`; the recurrent one is 'same' with stride 1. The defaults are Keras 3's:
 * `recurrentActivation: 'sigmoid'`, `kernelInitializer: 'glorotUniform'`, an orthogonal recurrent
 * kernel and `unitForgetBias: true`.
 *
 * It takes ConvLSTM2D's other options and behaviour: returnSequences, returnState (`[output, h, c]`)
 * and `apply(x, { initialState: [h, c] })`, goBackwards, stateful with `resetStates()`, dropout and
 * recurrentDropout, a Masking mask (a step whose whole volume is masked keeps the previous states),
 * Bidirectional, and `dataFormat: 'channelsFirst'` for `[time, channels, depth, rows, cols]`. Each
 * step's convolutions run as Conv3D's im2col over the volume and a GEMM.
 *
 * @example
 * ```ts
 * // 4 steps of an 8×8×8 scan with one channel → the last state, a volume of 8 × 8 × 8 × 4.
 * const x = km.input({ shape: [4, 8, 8, 8, 1] });
 * km.layers.convLstm3d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x).shape; // [8, 8, 8, 4]
 * ```
 */
export class ConvLSTM3D extends ConvLSTM {
  override readonly className: string = 'ConvLSTM3D';
  readonly kernelSize: Triple;
  readonly strides: Triple;
  readonly padding: PaddingMode;
  readonly dilationRate: Triple;
  readonly dataFormat: DataFormat;

  constructor(args: ConvLSTM3DArgs) {
    super({
      ...args,
      recurrentActivation: args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation,
      kernelInitializer: args.kernelInitializer ?? 'glorotUniform',
    }, 'ConvLSTM3D');
    const where = `ConvLSTM3D layer '${this.name}'`;
    this.kernelSize = tripleOf(args.kernelSize, 0, 'kernelSize', where);
    this.strides = tripleOf(args.strides, 1, 'strides', where);
    this.padding = paddingOf(args.padding, this.name);
    this.dilationRate = tripleOf(args.dilationRate, 1, 'dilationRate', where);
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
    checkStridesWithDilation(this.strides, this.dilationRate, where);
  }

  protected override windowOver(frame: readonly number[], strides: readonly number[], dilation: readonly number[], padding: PaddingMode): SampleGeometry {
    return volumeGeometry(frame as [number, number, number, number], this.kernelSize, strides as Triple, dilation as Triple, padding, this.name);
  }

  protected override sequenceOf(shape: Shape): [number, number] {
    if (shape.length !== 5) {
      const first = this.dataFormat === 'channelsFirst';
      const frame = first ? 'channels, depth, rows, cols' : 'depth, rows, cols, channels';
      const withChannel = first ? [shape[0], 1, ...shape.slice(1)] : [...shape, 1];
      const fix = shape.length === 4
        ? `Add a channels axis, e.g. km.layers.reshape({ targetShape: [${withChannel.join(', ')}] }), or for sequences of images use km.layers.convLstm2d.`
        : `Reshape each sample to [time, ${frame}].`;
      throw new Error(`${this.where} expects sequences of volumes of shape (None, time, ${frame}) (dataFormat '${this.dataFormat}'), but received inputs of shape ${formatShape(shape)}. ${fix}`);
    }
    return [shape[0], shape.slice(1).reduce((a, b) => a * b, 1)];
  }
}

registerBuiltinLayer('ConvLSTM3D', (config) => new ConvLSTM3D(config as unknown as ConvLSTM3DArgs));

/**
 * Keras 3's convolutional LSTM over sequences of volumes `[time, depth, rows, cols, channels]`
 * (TensorFlow.js has none): the last state `[outDepth, outRows, outCols, filters]`, or every step's
 * with `returnSequences: true`. With `returnState: true` its `apply` gives `[output, h, c]`, each state
 * a volume; `apply(x, { initialState: [h, c] })` starts from given states. The kernels are Keras'
 * `[kD, kH, kW, channels, 4·filters]` and `[kD, kH, kW, filters, 4·filters]`; the defaults Keras 3's
 * (sigmoid gates, glorotUniform kernel). With `dataFormat: 'channelsFirst'` the volumes are
 * `[channels, depth, rows, cols]` and the output and states `[filters, outDepth, outRows, outCols]`.
 *
 * @example
 * ```ts
 * // Classify 6-step sequences of 8×16×16 scans.
 * const model = km.sequential([
 *   km.layers.convLstm3d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [6, 8, 16, 16, 1] }),
 *   km.layers.globalAveragePooling3d(),
 *   km.layers.dense({ units: 2, activation: 'softmax' }),
 * ]);
 * ```
 */
export function convLstm3d(args: ConvLSTM3DArgs & { returnState: true }): ReturnsList<ConvLSTM3D, ['output', 'h', 'c']>;
export function convLstm3d(args: ConvLSTM3DArgs & { returnState?: false }): ConvLSTM3D;
export function convLstm3d(args: ConvLSTM3DArgs): MayReturnList<ConvLSTM3D>;
export function convLstm3d(args: ConvLSTM3DArgs): ConvLSTM3D {
  checkRequiredOptions(args, CONV_LSTM3D_OPTIONS, 'km.layers.convLstm3d');
  return new ConvLSTM3D(args);
}
