// km.layers' recurrent layers, re-exported from the modules that hold each class and its factory.
import type { ReturnsList } from './list_outputs.js';
export { gru, GRU, type GRUArgs } from './gru.js';
export { lstm, LSTM, type LSTMArgs } from './lstm.js';
export { rnn, RNN, type RNNArgs } from './rnn.js';
export { CallCell, type CallCellArgs } from './call_cell.js';
export { registerCell, type CellFactory } from './call_cell_registry.js';
export { CallCellRNN, type CallCellRNNArgs } from './call_cell_rnn.js';
export { lstmCell, gruCell, simpleRNNCell, convLstm2dCell, stackedRNNCells, RNNCell, LSTMCell, GRUCell, SimpleRNNCell, ConvLSTM2DCell, StackedRNNCells, type LSTMCellArgs, type GRUCellArgs, type SimpleRNNCellArgs, type ConvLSTM2DCellArgs, type StackedRNNCellsArgs } from './rnn_cells.js';
export { simpleRNN, SimpleRNN, type SimpleRNNArgs } from './simple_rnn.js';
export { Recurrent, type RecurrentArgs } from './recurrent.js';

/**
 * A recurrent layer made with `returnState: true`: {@link ReturnsList}, whose `apply` gives `[output, ...states]`
 * (a tuple with `Outputs` named, e.g. `['output', 'h', 'c']`; an array by default).
 */
export type WithReturnedStates<L, Outputs extends readonly string[] = string[]> = ReturnsList<L, Outputs>;
