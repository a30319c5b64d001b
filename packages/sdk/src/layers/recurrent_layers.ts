// The km.layers factories of the recurrent layers (TensorFlow.js' names), each checking its options.
import { checkOptions } from '../utils/options.js';
import { GRU_OPTIONS, LSTM_OPTIONS, SIMPLE_RNN_OPTIONS } from './layer_options.js';
import { GRU, type GRUArgs } from './gru.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import { SimpleRNN, type SimpleRNNArgs } from './simple_rnn.js';

/**
 * Long short-term memory over `[steps, features]` sequences: the last hidden state `[units]`, or
 * every step's `[steps, units]` with `returnSequences: true`.
 * @example `km.layers.lstm({ units: 32, inputShape: [20, 1] })`
 */
export function lstm(args: LSTMArgs): LSTM {
  checkOptions(args, LSTM_OPTIONS, 'km.layers.lstm');
  return new LSTM(args);
}

/**
 * Gated recurrent unit over `[steps, features]` sequences (the reset-before form tfjs-layers 4.22 runs).
 * @example `km.layers.gru({ units: 32, inputShape: [20, 1] })`
 */
export function gru(args: GRUArgs): GRU {
  checkOptions(args, GRU_OPTIONS, 'km.layers.gru');
  return new GRU(args);
}

/**
 * A fully connected recurrent layer, h = activation(x·W + h·U + b), over `[steps, features]` sequences.
 * @example `km.layers.simpleRNN({ units: 16, inputShape: [10, 1] })`
 */
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  checkOptions(args, SIMPLE_RNN_OPTIONS, 'km.layers.simpleRNN');
  return new SimpleRNN(args);
}

export { GRU, LSTM, SimpleRNN, type GRUArgs, type LSTMArgs, type SimpleRNNArgs };
export { Recurrent, type RecurrentArgs } from './recurrent.js';
