// The km.layers factories of the convolutions over sequences, each checking its options.
import { Conv1DTranspose, type Conv1DTransposeArgs } from './conv1d_transpose.js';
import { ConvLSTM1D, type ConvLSTM1DArgs } from './conv_lstm1d.js';
import { ConvLSTM2D, type ConvLSTM2DArgs } from './conv_lstm2d.js';
import { ConvLSTM3D, type ConvLSTM3DArgs } from './conv_lstm3d.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';
import { checkRequiredOptions, CONV1D_TRANSPOSE_OPTIONS, CONV_LSTM1D_OPTIONS, CONV_LSTM2D_OPTIONS, CONV_LSTM3D_OPTIONS, DEPTHWISE_CONV1D_OPTIONS, SEPARABLE_CONV1D_OPTIONS } from './layer_options.js';
import { DepthwiseConv1D, type DepthwiseConv1DArgs } from './depthwise_conv1d.js';
import { SeparableConv1D, type SeparableConv1DArgs } from './separable_conv1d.js';

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

/**
 * Keras 3's convolutional LSTM over sequences of rows `[time, width, channels]` (TensorFlow.js has
 * none): the last state `[outWidth, filters]`, or every step's with `returnSequences: true`. With
 * `returnState: true` its `apply` gives `[output, h, c]`, each state a row `[outWidth, filters]`;
 * `apply(x, { initialState: [h, c] })` starts from given states. The kernels are Keras'
 * `[kernelSize, channels, 4·filters]` and `[kernelSize, filters, 4·filters]`; the defaults Keras 3's
 * (sigmoid gates, glorotUniform kernel). With `dataFormat: 'channelsFirst'` the rows are
 * `[channels, width]` and the output and states `[filters, outWidth]`.
 *
 * @example
 * ```ts
 * // Which way a bump travels along a 16-sample line over 8 steps.
 * const model = km.sequential([
 *   km.layers.convLstm1d({ filters: 6, kernelSize: 3, padding: 'same', inputShape: [8, 16, 1] }),
 *   km.layers.globalMaxPooling1d(),
 *   km.layers.dense({ units: 2, activation: 'softmax' }),
 * ]);
 * ```
 */
export function convLstm1d(args: ConvLSTM1DArgs & { returnState: true }): ReturnsList<ConvLSTM1D, ['output', 'h', 'c']>;
export function convLstm1d(args: ConvLSTM1DArgs & { returnState?: false }): ConvLSTM1D;
export function convLstm1d(args: ConvLSTM1DArgs): MayReturnList<ConvLSTM1D>;
export function convLstm1d(args: ConvLSTM1DArgs): ConvLSTM1D {
  checkRequiredOptions(args, CONV_LSTM1D_OPTIONS, 'km.layers.convLstm1d');
  return new ConvLSTM1D(args);
}

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

/**
 * Depthwise separable 1-D convolution over `[steps, channels]` sequences (Keras' SeparableConv1D).
 * @example `km.layers.separableConv1d({ filters: 64, kernelSize: 5, activation: 'relu' })`
 */
export function separableConv1d(args: SeparableConv1DArgs): SeparableConv1D {
  checkRequiredOptions(args, SEPARABLE_CONV1D_OPTIONS, 'km.layers.separableConv1d');
  return new SeparableConv1D(args);
}

/**
 * Keras' transposed 1-D convolution over `[steps, channels]` sequences, the upsampling layer of
 * sequence decoders; the kernel is `[kernelSize, filters, inChannels]`.
 * @example `km.layers.conv1dTranspose({ filters: 16, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu' })`
 */
export function conv1dTranspose(args: Conv1DTransposeArgs): Conv1DTranspose {
  checkRequiredOptions(args, CONV1D_TRANSPOSE_OPTIONS, 'km.layers.conv1dTranspose');
  return new Conv1DTranspose(args);
}

/**
 * Keras 3's depthwise 1-D convolution over `[steps, channels]` sequences: each channel with its own
 * `depthMultiplier` filters; the kernel is `[kernelSize, inChannels, depthMultiplier]`.
 * @example `km.layers.depthwiseConv1d({ kernelSize: 5, depthMultiplier: 2, padding: 'same' })`
 */
export function depthwiseConv1d(args: DepthwiseConv1DArgs): DepthwiseConv1D {
  checkRequiredOptions(args, DEPTHWISE_CONV1D_OPTIONS, 'km.layers.depthwiseConv1d');
  return new DepthwiseConv1D(args);
}

export { Conv1DTranspose, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, DepthwiseConv1D, SeparableConv1D, type Conv1DTransposeArgs, type ConvLSTM1DArgs, type ConvLSTM2DArgs, type ConvLSTM3DArgs, type DepthwiseConv1DArgs, type SeparableConv1DArgs };
