// The km.layers factories of the recurrent layers (TensorFlow.js' names), each checking its options.
import { checkOptions } from '../utils/options.js';
import { LSTM_OPTIONS } from './layer_options.js';
import { LSTM, type LSTMArgs } from './lstm.js';

/**
 * Long short-term memory over `[steps, features]` sequences: the last hidden state `[units]`, or
 * every step's `[steps, units]` with `returnSequences: true`.
 * @example `km.layers.lstm({ units: 32, inputShape: [20, 1] })`
 */
export function lstm(args: LSTMArgs): LSTM {
  checkOptions(args, LSTM_OPTIONS, 'km.layers.lstm');
  return new LSTM(args);
}

export { LSTM, type LSTMArgs };
export { Recurrent, type RecurrentArgs } from './recurrent.js';
