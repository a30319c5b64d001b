// The km.layers factories of the wrapper layers (TensorFlow.js' names), each checking its options.
import { Bidirectional, type BidirectionalArgs, type BidirectionalMergeMode } from './bidirectional.js';
import type { Layer } from './layer.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';
import { checkRequiredOptions, BIDIRECTIONAL_OPTIONS, TIME_DISTRIBUTED_OPTIONS } from './layer_options.js';
import { TimeDistributed, type TimeDistributedArgs } from './time_distributed.js';

/**
 * Runs a recurrent layer over the sequence forwards and backwards and merges the two outputs
 * (mergeMode 'concat' by default, or 'sum', 'mul', 'ave'). Its `apply` gives a list when the layer was
 * made with `returnState: true` (`[merged, ...forwardStates, ...backwardStates]`) or with mergeMode null
 * (`[forward, backward, ...states]`), a tuple of that length when the wrapped layer's type names its states
 * (and `backwardLayer`'s, when given: an LSTM's h and c, then a GRU's h).
 * @example `km.layers.bidirectional({ layer: km.layers.lstm({ units: 64 }) })`
 */
export function bidirectional<States extends string[], BackwardStates extends string[]>(
  args: BidirectionalArgs & { layer: ReturnsList<Layer, ['output', ...States]>; backwardLayer: ReturnsList<Layer, ['output', ...BackwardStates]>; mergeMode: null },
): ReturnsList<Bidirectional, ['forward', 'backward', ...States, ...BackwardStates]>;
export function bidirectional<States extends string[], BackwardStates extends string[]>(
  args: BidirectionalArgs & { layer: ReturnsList<Layer, ['output', ...States]>; backwardLayer: ReturnsList<Layer, ['output', ...BackwardStates]>; mergeMode?: BidirectionalMergeMode },
): ReturnsList<Bidirectional, ['output', ...States, ...BackwardStates]>;
export function bidirectional<States extends string[]>(
  args: BidirectionalArgs & { layer: ReturnsList<Layer, ['output', ...States]>; mergeMode: null },
): ReturnsList<Bidirectional, ['forward', 'backward', ...States, ...States]>;
export function bidirectional<States extends string[]>(
  args: BidirectionalArgs & { layer: ReturnsList<Layer, ['output', ...States]>; mergeMode?: BidirectionalMergeMode },
): ReturnsList<Bidirectional, ['output', ...States, ...States]>;
export function bidirectional(args: BidirectionalArgs & { layer: ReturnsList<Layer> }): ReturnsList<Bidirectional>;
export function bidirectional(args: BidirectionalArgs & { layer: MayReturnList<Layer>; mergeMode: null }): ReturnsList<Bidirectional>;
export function bidirectional(args: BidirectionalArgs & { mergeMode: null }): ReturnsList<Bidirectional, ['forward', 'backward']>;
export function bidirectional(args: BidirectionalArgs & { layer: MayReturnList<Layer> }): MayReturnList<Bidirectional>;
export function bidirectional(args: BidirectionalArgs & { mergeMode?: BidirectionalMergeMode }): Bidirectional;
export function bidirectional(args: BidirectionalArgs): MayReturnList<Bidirectional>;
export function bidirectional(args: BidirectionalArgs): Bidirectional {
  checkRequiredOptions(args, BIDIRECTIONAL_OPTIONS, 'km.layers.bidirectional');
  return new Bidirectional(args);
}

/**
 * Applies one layer (one set of weights) to every step of `[steps, ...]` inputs.
 * @example `km.layers.timeDistributed({ layer: km.layers.dense({ units: 8 }), inputShape: [10, 16] })`
 */
export function timeDistributed(args: TimeDistributedArgs): TimeDistributed {
  checkRequiredOptions(args, TIME_DISTRIBUTED_OPTIONS, 'km.layers.timeDistributed');
  return new TimeDistributed(args);
}

export { Bidirectional, TimeDistributed, type BidirectionalArgs, type BidirectionalMergeMode, type TimeDistributedArgs };
export { Wrapper, type WrapperArgs } from './wrapper.js';
