import { input, type SymbolicTensor } from '../engine/symbolic.js';
import type { DType } from '../tensor.js';
import { optionNames } from '../utils/options.js';
import { checkRequiredOptions } from './layer_options.js';

/** Options of {@link inputLayer}, tfjs' names for {@link input}'s. */
export interface InputLayerArgs {
  /** Shape of one sample, without the batch dimension. */
  inputShape?: readonly number[];
  /** The shape with the batch first, which must be null. */
  batchInputShape?: readonly (number | null)[];
  dtype?: DType;
  name?: string;
}

/**
 * tfjs' way to declare a Sequential model's input: the model input `km.input` makes, under tfjs'
 * option names, to put first in `km.sequential([...])`.
 *
 * @example `km.sequential([km.layers.inputLayer({ inputShape: [784] }), km.layers.dense({ units: 10 })])`
 */
export function inputLayer(args: InputLayerArgs): SymbolicTensor {
  checkRequiredOptions(args, optionNames<InputLayerArgs>({ inputShape: true, batchInputShape: true, dtype: true, name: true }), 'km.layers.inputLayer');
  const { inputShape, batchInputShape, dtype, name } = args;
  return input({ ...(inputShape !== undefined && { shape: inputShape }), ...(batchInputShape !== undefined && { batchShape: batchInputShape }), ...(dtype !== undefined && { dtype }), ...(name !== undefined && { name }) });
}
