// The types of layers whose `apply` gives a list (a recurrent layer made with returnState, an attention
// layer with returnAttentionScores, a Bidirectional with mergeMode null): their factories return these,
// naming the outputs when the options' literal types tell how many there are, so that under
// `noUncheckedIndexedAccess` `const [, h, c] = km.layers.lstm({ units: 16, returnState: true }).apply(x)`
// gives `h: SymbolicTensor`, not `SymbolicTensor | undefined`.
// Type-only: the value is the layer itself. Its own `apply` overloads come first, so they win overload
// resolution; the layer's type stays in the intersection, so the value still passes where a Layer goes.
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import type { Tensor } from '../tensor.js';

/**
 * One `T` for each name: a tuple of names gives a (mutable) tuple of the same length, so it still
 * assigns to `T[]`; `string[]` gives `T[]`.
 */
export type OneForEach<Names extends readonly string[], T> = { -readonly [K in keyof Names]: T };

/**
 * A layer whose `apply` gives a list: `[output, ...states]` for a recurrent layer made with
 * `returnState: true`, `[output, scores]` for an attention layer with `returnAttentionScores: true`.
 * `Outputs` names them (`['output', 'h', 'c']` for an LSTM), so `apply` gives a tuple of that length;
 * where the count is not known from the types (`km.layers.rnn`, whose cells decide it) it is
 * `string[]` and `apply` gives an array.
 * @example `const [, h, c] = km.layers.lstm({ units: 16, returnState: true }).apply(km.input({ shape: [10, 4] }));`
 */
export type ReturnsList<L, Outputs extends readonly string[] = string[]> = {
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): OneForEach<Outputs, SymbolicTensor>;
  apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): OneForEach<Outputs, Tensor<'float32'>>;
} & L;

// Type-only mark (no such property exists at runtime), so that km.layers.bidirectional can tell a
// layer that may give a list from one that gives one tensor, whose apply types otherwise overlap.
declare const mayReturnList: unique symbol;

/**
 * A layer whose flag (`returnState`, `returnAttentionScores`) was a `boolean` not known when typed:
 * its `apply` gives one tensor or a list, so check with `Array.isArray`.
 */
export type MayReturnList<L> = {
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'> | Tensor<'float32'>[];
  readonly [mayReturnList]: true;
} & L;
