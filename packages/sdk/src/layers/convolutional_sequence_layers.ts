// The km.layers factories of the convolutions over sequences, each checking its options.
import { checkOptions } from '../utils/options.js';
import { ConvLSTM2D, type ConvLSTM2DArgs } from './conv_lstm2d.js';
import { CONV_LSTM2D_OPTIONS, SEPARABLE_CONV1D_OPTIONS } from './layer_options.js';
import { SeparableConv1D, type SeparableConv1DArgs } from './separable_conv1d.js';

/**
 * Convolutional LSTM over sequences of images `[time, rows, cols, channels]`: the last state
 * `[outRows, outCols, filters]`, or every step's with `returnSequences: true`.
 * @example `km.layers.convLstm2d({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [6, 12, 12, 1] })`
 */
export function convLstm2d(args: ConvLSTM2DArgs): ConvLSTM2D {
  checkOptions(args, CONV_LSTM2D_OPTIONS, 'km.layers.convLstm2d');
  return new ConvLSTM2D(args);
}

/**
 * Depthwise separable 1-D convolution over `[steps, channels]` sequences (Keras' SeparableConv1D).
 * @example `km.layers.separableConv1d({ filters: 64, kernelSize: 5, activation: 'relu' })`
 */
export function separableConv1d(args: SeparableConv1DArgs): SeparableConv1D {
  checkOptions(args, SEPARABLE_CONV1D_OPTIONS, 'km.layers.separableConv1d');
  return new SeparableConv1D(args);
}

export { ConvLSTM2D, SeparableConv1D, type ConvLSTM2DArgs, type SeparableConv1DArgs };
