// The km.layers factories of the recurrent layers (TensorFlow.js' names), each checking its options.
import { checkOptions } from '../utils/options.js';
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import type { Tensor } from '../tensor.js';
import { GRU_OPTIONS, LSTM_OPTIONS, SIMPLE_RNN_OPTIONS } from './layer_options.js';
import { GRU, type GRUArgs } from './gru.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import { SimpleRNN, type SimpleRNNArgs } from './simple_rnn.js';

/**
 * A recurrent layer made with `returnState: true`, typed as what its `apply` gives: the list
 * `[output, ...states]` (TensorFlow.js types it as a tensor or a list, to be cast).
 */
export type WithReturnedStates<L> = Omit<L, 'apply'> & {
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor[];
  apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>[];
};

/**
 * Long short-term memory over `[steps, features]` sequences: the last hidden state `[units]`, or
 * every step's `[steps, units]` with `returnSequences: true`. With `returnState: true` its `apply`
 * gives `[output, h, c]`; `apply(x, { initialState: [h, c] })` starts from given states (seq2seq).
 *
 * @example
 * ```ts
 * const encoderIn = km.input({ shape: [10, 8] });
 * const [, h, c] = km.layers.lstm({ units: 32, returnState: true }).apply(encoderIn);
 * const decoderIn = km.input({ shape: [12, 8] });
 * const decoded = km.layers.lstm({ units: 32, returnSequences: true }).apply(decoderIn, { initialState: [h, c] });
 * const model = km.model({ inputs: [encoderIn, decoderIn], outputs: km.layers.dense({ units: 8, activation: 'softmax' }).apply(decoded) });
 * ```
 */
export function lstm(args: LSTMArgs & { returnState: true }): WithReturnedStates<LSTM>;
export function lstm(args: LSTMArgs): LSTM;
export function lstm(args: LSTMArgs): LSTM | WithReturnedStates<LSTM> {
  checkOptions(args, LSTM_OPTIONS, 'km.layers.lstm');
  return new LSTM(args);
}

/**
 * Gated recurrent unit over `[steps, features]` sequences (the reset-before form tfjs-layers 4.22 runs).
 * With `returnState: true` its `apply` gives `[output, h]`; `apply(x, { initialState: [h] })` starts from h.
 * @example `km.layers.gru({ units: 32, inputShape: [20, 1] })`
 */
export function gru(args: GRUArgs & { returnState: true }): WithReturnedStates<GRU>;
export function gru(args: GRUArgs): GRU;
export function gru(args: GRUArgs): GRU | WithReturnedStates<GRU> {
  checkOptions(args, GRU_OPTIONS, 'km.layers.gru');
  return new GRU(args);
}

/**
 * A fully connected recurrent layer, h = activation(x·W + h·U + b), over `[steps, features]` sequences.
 * With `returnState: true` its `apply` gives `[output, h]`; `apply(x, { initialState: [h] })` starts from h.
 * @example `km.layers.simpleRNN({ units: 16, inputShape: [10, 1] })`
 */
export function simpleRNN(args: SimpleRNNArgs & { returnState: true }): WithReturnedStates<SimpleRNN>;
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN;
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN | WithReturnedStates<SimpleRNN> {
  checkOptions(args, SIMPLE_RNN_OPTIONS, 'km.layers.simpleRNN');
  return new SimpleRNN(args);
}

export { GRU, LSTM, SimpleRNN, type GRUArgs, type LSTMArgs, type SimpleRNNArgs };
export { Recurrent, type RecurrentArgs } from './recurrent.js';
