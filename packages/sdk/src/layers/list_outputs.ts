// The types of layers whose `apply` gives a list (a recurrent layer made with returnState, an attention
// layer with returnAttentionScores, a Bidirectional with mergeMode null): their factories return these,
// so `const [, h, c] = km.layers.lstm({ units: 16, returnState: true }).apply(x)` compiles without a cast.
// Type-only: the value is the layer itself. Its own `apply` overloads come first, so they win overload
// resolution; the layer's type stays in the intersection, so the value still passes where a Layer goes.
import type { LayerApplyArgs } from '../engine/concrete_apply.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import type { Tensor } from '../tensor.js';

/**
 * A layer whose `apply` gives a list: `[output, ...states]` for a recurrent layer made with
 * `returnState: true`, `[output, scores]` for an attention layer with `returnAttentionScores: true`.
 * @example `const [, h, c] = km.layers.lstm({ units: 16, returnState: true }).apply(km.input({ shape: [10, 4] }));`
 */
export type ReturnsList<L> = {
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: LayerApplyArgs): SymbolicTensor[];
  apply(inputs: Tensor | readonly Tensor[], options?: LayerApplyArgs): Tensor<'float32'>[];
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
