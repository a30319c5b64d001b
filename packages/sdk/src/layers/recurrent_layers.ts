// The km.layers factories of the recurrent layers (TensorFlow.js' names), each checking its options.
import type { MayReturnList, ReturnsList } from './list_outputs.js';
import {
  checkRequiredOptions, CONV_LSTM2D_CELL_OPTIONS, GRU_CELL_OPTIONS, GRU_OPTIONS, LSTM_CELL_OPTIONS, LSTM_OPTIONS, RNN_OPTIONS, SIMPLE_RNN_CELL_OPTIONS, SIMPLE_RNN_OPTIONS, STACKED_RNN_CELLS_OPTIONS,
} from './layer_options.js';
import { RNN, type RNNArgs } from './rnn.js';
import {
  ConvLSTM2DCell, GRUCell, LSTMCell, RNNCell, SimpleRNNCell, StackedRNNCells,
  type ConvLSTM2DCellArgs, type GRUCellArgs, type LSTMCellArgs, type SimpleRNNCellArgs, type StackedRNNCellsArgs,
} from './rnn_cells.js';
import { GRU, type GRUArgs } from './gru.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import { SimpleRNN, type SimpleRNNArgs } from './simple_rnn.js';

/**
 * A recurrent layer made with `returnState: true`: {@link ReturnsList}, whose `apply` gives `[output, ...states]`
 * (a tuple with `Outputs` named, e.g. `['output', 'h', 'c']`; an array by default).
 */
export type WithReturnedStates<L, Outputs extends readonly string[] = string[]> = ReturnsList<L, Outputs>;

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
export function lstm(args: LSTMArgs & { returnState: true }): ReturnsList<LSTM, ['output', 'h', 'c']>;
export function lstm(args: LSTMArgs & { returnState?: false }): LSTM;
export function lstm(args: LSTMArgs): MayReturnList<LSTM>;
export function lstm(args: LSTMArgs): LSTM {
  checkRequiredOptions(args, LSTM_OPTIONS, 'km.layers.lstm');
  return new LSTM(args);
}

/**
 * Gated recurrent unit over `[steps, features]` sequences (the reset-before form tfjs-layers 4.22 runs).
 * With `returnState: true` its `apply` gives `[output, h]`; `apply(x, { initialState: [h] })` starts from h.
 * @example `km.layers.gru({ units: 32, inputShape: [20, 1] })`
 */
export function gru(args: GRUArgs & { returnState: true }): ReturnsList<GRU, ['output', 'h']>;
export function gru(args: GRUArgs & { returnState?: false }): GRU;
export function gru(args: GRUArgs): MayReturnList<GRU>;
export function gru(args: GRUArgs): GRU {
  checkRequiredOptions(args, GRU_OPTIONS, 'km.layers.gru');
  return new GRU(args);
}

/**
 * A fully connected recurrent layer, h = activation(x·W + h·U + b), over `[steps, features]` sequences.
 * With `returnState: true` its `apply` gives `[output, h]`; `apply(x, { initialState: [h] })` starts from h.
 * @example `km.layers.simpleRNN({ units: 16, inputShape: [10, 1] })`
 */
export function simpleRNN(args: SimpleRNNArgs & { returnState: true }): ReturnsList<SimpleRNN, ['output', 'h']>;
export function simpleRNN(args: SimpleRNNArgs & { returnState?: false }): SimpleRNN;
export function simpleRNN(args: SimpleRNNArgs): MayReturnList<SimpleRNN>;
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN {
  checkRequiredOptions(args, SIMPLE_RNN_OPTIONS, 'km.layers.simpleRNN');
  return new SimpleRNN(args);
}

/**
 * Keras' generic recurrent layer: runs a cell, or a list of cells stacked (each one's output the next
 * one's input), over `[steps, features]` sequences; the same options as `lstm` (returnSequences,
 * returnState, goBackwards, stateful, initialState), and tfjs' format when saved. With `returnState: true`
 * its `apply` gives `[output, ...states]` typed as an array: the cells decide how many states there are.
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.rnn({ cell: [km.layers.lstmCell({ units: 16 }), km.layers.gruCell({ units: 8 })], inputShape: [20, 4] }),
 *   km.layers.dense({ units: 1 }),
 * ]);
 * ```
 */
export function rnn(args: RNNArgs & { returnState: true }): ReturnsList<RNN>;
export function rnn(args: RNNArgs & { returnState?: false }): RNN;
export function rnn(args: RNNArgs): MayReturnList<RNN>;
export function rnn(args: RNNArgs): RNN {
  checkRequiredOptions(args, RNN_OPTIONS, 'km.layers.rnn');
  return new RNN(args);
}

/**
 * The LSTM step, for `km.layers.rnn` (tfjs' `lstmCell`): the options of `lstm` that belong to the cell.
 * @example `km.layers.rnn({ cell: km.layers.lstmCell({ units: 32 }), returnSequences: true, inputShape: [20, 4] })`
 */
export function lstmCell(args: LSTMCellArgs): LSTMCell {
  checkRequiredOptions(args, LSTM_CELL_OPTIONS, 'km.layers.lstmCell');
  return new LSTMCell(args);
}

/**
 * The GRU step, for `km.layers.rnn` (tfjs' `gruCell`).
 * @example `km.layers.rnn({ cell: km.layers.gruCell({ units: 32 }), inputShape: [20, 4] })`
 */
export function gruCell(args: GRUCellArgs): GRUCell {
  checkRequiredOptions(args, GRU_CELL_OPTIONS, 'km.layers.gruCell');
  return new GRUCell(args);
}

/**
 * The fully connected recurrent step, for `km.layers.rnn` (tfjs' `simpleRNNCell`).
 * @example `km.layers.rnn({ cell: km.layers.simpleRNNCell({ units: 16 }), inputShape: [10, 1] })`
 */
export function simpleRNNCell(args: SimpleRNNCellArgs): SimpleRNNCell {
  checkRequiredOptions(args, SIMPLE_RNN_CELL_OPTIONS, 'km.layers.simpleRNNCell');
  return new SimpleRNNCell(args);
}

/**
 * The ConvLSTM2D step, for `km.layers.rnn` over sequences of images (tfjs' `convLstm2dCell`): the
 * options of `convLstm2d` that belong to the cell. The RNN computes what `convLstm2d` computes with
 * the same options and weights; the cell runs alone, not in a list of cells.
 * @example `km.layers.rnn({ cell: km.layers.convLstm2dCell({ filters: 8, kernelSize: 3, padding: 'same' }), inputShape: [6, 12, 12, 1] })`
 */
export function convLstm2dCell(args: ConvLSTM2DCellArgs): ConvLSTM2DCell {
  checkRequiredOptions(args, CONV_LSTM2D_CELL_OPTIONS, 'km.layers.convLstm2dCell');
  return new ConvLSTM2DCell(args);
}

/**
 * Cells run in order at every step, for `km.layers.rnn` (tfjs' `stackedRNNCells`); `rnn({ cell: [a, b] })` is the same.
 * @example `km.layers.rnn({ cell: km.layers.stackedRNNCells({ cells: [km.layers.lstmCell({ units: 16 }), km.layers.lstmCell({ units: 8 })] }), inputShape: [20, 4] })`
 */
export function stackedRNNCells(args: StackedRNNCellsArgs): StackedRNNCells {
  checkRequiredOptions(args, STACKED_RNN_CELLS_OPTIONS, 'km.layers.stackedRNNCells');
  return new StackedRNNCells(args);
}

export { GRU, LSTM, SimpleRNN, type GRUArgs, type LSTMArgs, type SimpleRNNArgs };
export {
  RNN, RNNCell, LSTMCell, GRUCell, SimpleRNNCell, ConvLSTM2DCell, StackedRNNCells,
  type RNNArgs, type LSTMCellArgs, type GRUCellArgs, type SimpleRNNCellArgs, type ConvLSTM2DCellArgs, type StackedRNNCellsArgs,
};
export { Recurrent, type RecurrentArgs } from './recurrent.js';
