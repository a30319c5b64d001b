// The km.layers factories of the recurrent layers (TensorFlow.js' names), each checking its options.
import { checkOptions } from '../utils/options.js';
import { LSTM_OPTIONS, SIMPLE_RNN_OPTIONS } from './layer_options.js';
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
 * A fully connected recurrent layer, h = activation(x·W + h·U + b), over `[steps, features]` sequences.
 * @example `km.layers.simpleRNN({ units: 16, inputShape: [10, 1] })`
 */
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  checkOptions(args, SIMPLE_RNN_OPTIONS, 'km.layers.simpleRNN');
  return new SimpleRNN(args);
}

export { LSTM, SimpleRNN, type LSTMArgs, type SimpleRNNArgs };
export { Recurrent, type RecurrentArgs } from './recurrent.js';
