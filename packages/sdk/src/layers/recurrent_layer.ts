import type { Layer } from './layer.js';

/**
 * What {@link Bidirectional} needs of the layer it runs both ways, which the recurrent layers
 * (LSTM, GRU, SimpleRNN, ConvLSTM2D) and RNN over cells all have: the direction it runs in (its
 * backward copy is made from its config with `goBackwards` flipped), what its call returns, whether
 * it keeps its states, and how many initial states the call takes.
 */
export interface RecurrentLayer extends Layer {
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  /** Whether the states carry over from batch to batch (both directions of a Bidirectional agree on it). */
  readonly stateful: boolean;
  /** The states `initialState` takes and `returnState` returns (LSTM: h and c; RNN: every cell's). */
  readonly stateCountKeras: number;
}

/** Whether `layer` runs over the steps as a {@link RecurrentLayer}. */
export function isRecurrentLayer(layer: Layer): layer is RecurrentLayer {
  const candidate = layer as Partial<RecurrentLayer>;
  return typeof candidate.goBackwards === 'boolean' && typeof candidate.returnSequences === 'boolean' &&
    typeof candidate.returnState === 'boolean' && typeof candidate.stateCountKeras === 'number';
}
