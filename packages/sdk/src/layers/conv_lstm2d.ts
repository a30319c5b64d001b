import { ConvLSTM } from './conv_lstm.js';
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';
import type { LSTMArgs } from './lstm.js';
import { registerBuiltinLayer } from './registry.js';
import { convWindowOf, sampleGeometry, type DataFormat, type PaddingMode, type SampleGeometry } from './window.js';
import { CONV_LSTM2D_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';

/** Options of {@link ConvLSTM2D}: LSTM's (but `units`) and Conv2D's window, with TensorFlow.js' defaults. */
export interface ConvLSTM2DArgs extends Omit<LSTMArgs, 'units'> {
  /** Channels of the hidden state and output (positive integer). */
  filters: number;
  /** Window height and width of both convolutions (one number for a square window). */
  kernelSize: number | [number, number];
  /** Step between windows of the input convolution (default 1); the recurrent one always steps by 1. */
  strides?: number | [number, number];
  /** Padding of the input convolution: 'valid' (default) or 'same'; the recurrent one is always 'same'. */
  padding?: PaddingMode;
  /** Spacing between the input kernel's taps (default 1); strides must be 1 when it is above 1. */
  dilationRate?: number | [number, number];
  /**
   * Where each frame keeps its channels: 'channelsLast' (default; input `[time, rows, cols, channels]`,
   * states `[rows, cols, filters]`) or 'channelsFirst' (input `[time, channels, rows, cols]`, states
   * `[filters, rows, cols]`). The weights are the same in both.
   */
  dataFormat?: DataFormat;
}

/**
 * Convolutional LSTM (Shi et al., 2015) over sequences of images `[time, rows, cols, channels]`:
 * an LSTM whose input and recurrent transforms are 2-D convolutions, so its state is an image
 * `[outRows, outCols, filters]`. Keras' equations and TensorFlow.js' weights: `kernel [kH, kW,
 * channels, 4·filters]`, `recurrent_kernel [kH, kW, filters, 4·filters]`, `bias [4·filters]`, gates
 * i, f, c, o. The input convolution takes `strides`, `padding` and `dilationRate`; the recurrent one
 * is 'same' with stride 1. The output is the last state `[outRows, outCols, filters]`, or every
 * step's with `returnSequences: true`. As the vector layers, it takes `returnState` (`[output, h, c]`,
 * each state an image), `apply(x, { initialState: [h, c] })`, `stateful` with `resetStates()`, and a
 * mask from Masking over `[time, rows, cols, channels]`: a frame whose every pixel is masked keeps the
 * previous states (one mask value per step, as Keras reads it); the layer passes no mask on.
 * With `dataFormat: 'channelsFirst'` the frames are `[channels, rows, cols]` and the output and
 * states `[filters, outRows, outCols]`, as in Keras and TensorFlow.js.
 *
 * It runs as the convolutional LSTM base (conv_lstm.ts) shared with ConvLSTM3D: each step's
 * convolutions are im2col and a GEMM on the backend, and the LSTM cell sees one row per output pixel.
 *
 * @example
 * ```ts
 * // Which way a dot moves across 6 frames of 12×12 pixels.
 * const model = km.sequential([
 *   km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [6, 12, 12, 1] }),
 *   km.layers.globalAveragePooling2d(),
 *   km.layers.dense({ units: 4, activation: 'softmax' }),
 * ]);
 * // The same over channels-first frames [time, channels, rows, cols].
 * km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', inputShape: [6, 1, 12, 12] });
 * ```
 */
export class ConvLSTM2D extends ConvLSTM {
  override readonly className: string = 'ConvLSTM2D';
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dilationRate: [number, number];
  readonly dataFormat: DataFormat;

  /** `displayName` names the object in error messages: 'ConvLSTM2DCell' for the layer a ConvLSTM2DCell builds. */
  constructor(args: ConvLSTM2DArgs, displayName = 'ConvLSTM2D') {
    super(args, displayName);
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, dataFormat: this.dataFormat } = convWindowOf(args, displayName, this.name, true));
  }

  protected override windowOver(frame: readonly number[], strides: readonly number[], dilation: readonly number[], padding: PaddingMode): SampleGeometry {
    return sampleGeometry(frame as [number, number, number], this.kernelSize, strides as [number, number], dilation as [number, number], padding, this.name);
  }

  protected override sequenceOf(shape: Shape): [number, number] {
    if (shape.length !== 4) {
      const first = this.dataFormat === 'channelsFirst';
      const frame = first ? 'channels, rows, cols' : 'rows, cols, channels';
      const withChannel = first ? [shape[0], 1, ...shape.slice(1)] : [...shape, 1];
      throw new Error(`${this.where} expects sequences of images of shape (None, time, ${frame}) (dataFormat '${this.dataFormat}'), but received inputs of shape ${formatShape(shape)}. ` +
        (shape.length === 3 ? `Add a channels axis, e.g. km.layers.reshape({ targetShape: [${withChannel.join(', ')}] }).`
          : shape.length === 5 ? 'For sequences of volumes use km.layers.convLstm3d.' : `Reshape each sample to [time, ${frame}].`));
    }
    return [shape[0], shape[1] * shape[2] * shape[3]];
  }
}

registerBuiltinLayer('ConvLSTM2D', (config) => new ConvLSTM2D(config as unknown as ConvLSTM2DArgs));

/**
 * Convolutional LSTM over sequences of images `[time, rows, cols, channels]`: the last state
 * `[outRows, outCols, filters]`, or every step's with `returnSequences: true`. With `returnState: true`
 * its `apply` gives `[output, h, c]`, each state an image `[outRows, outCols, filters]`;
 * `apply(x, { initialState: [h, c] })` starts from given states (a video encoder → decoder).
 * With `dataFormat: 'channelsFirst'` the frames are `[channels, rows, cols]` and the output and states
 * `[filters, outRows, outCols]`.
 *
 * @example
 * ```ts
 * const past = km.input({ shape: [6, 12, 12, 1] });
 * const future = km.input({ shape: [3, 12, 12, 1] });
 * const [, h, c] = km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', returnState: true }).apply(past);
 * const decoded = km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', returnSequences: true }).apply(future, { initialState: [h, c] });
 * ```
 */
export function convLstm2d(args: ConvLSTM2DArgs & { returnState: true }): ReturnsList<ConvLSTM2D, ['output', 'h', 'c']>;
export function convLstm2d(args: ConvLSTM2DArgs & { returnState?: false }): ConvLSTM2D;
export function convLstm2d(args: ConvLSTM2DArgs): MayReturnList<ConvLSTM2D>;
export function convLstm2d(args: ConvLSTM2DArgs): ConvLSTM2D {
  checkRequiredOptions(args, CONV_LSTM2D_OPTIONS, 'km.layers.convLstm2d');
  return new ConvLSTM2D(args);
}
