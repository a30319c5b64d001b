// Types that follow a model's outputs from `km.model({ outputs })` and `km.sequential` to what
// `predict` and `apply` return, so TypeScript users need no casts. A model whose outputs are not
// known to the compiler (loaded from a file, or typed `km.LayersModel`) has `ModelOutputs`, and
// its methods keep the types they always had.

import type { Tensor } from '../tensor.js';
import type { ModelOutputs } from './model.js';
import type { SymbolicTensor } from './symbolic.js';

/** What `km.model` takes as `outputs`: one symbolic tensor, a list, or an object that names each (Keras 3's dict outputs). */
export type SymbolicOutputs = SymbolicTensor | readonly SymbolicTensor[] | Readonly<Record<string, SymbolicTensor>>;

/**
 * What `predict` returns for a model built from `outputs` of type `O`, as `km.model` types it: a
 * tensor for one output (a list of one included: predict gives the tensor itself, as tfjs does), a
 * tuple of the same length for a list of several, an object with the same keys for named outputs.
 * A list of unknown length, or a mix of those forms, gives {@link ModelOutputs}: not known.
 *
 * @example
 * ```ts
 * type Two = km.PredictedOutputs<[km.SymbolicTensor, km.SymbolicTensor]>; // [km.Tensor<'float32'>, km.Tensor<'float32'>]
 * ```
 */
export type PredictedOutputs<O extends SymbolicOutputs> = [O] extends [SymbolicTensor]
  ? Tensor<'float32'>
  : [O] extends [readonly [SymbolicTensor]]
    ? Tensor<'float32'>
    : [O] extends [readonly SymbolicTensor[]]
      ? number extends O['length']
        ? ModelOutputs
        : { -readonly [K in keyof O]: Tensor<'float32'> }
      : [O] extends [Readonly<Record<string, SymbolicTensor>>]
        ? { -readonly [K in keyof O]: Tensor<'float32'> }
        : ModelOutputs;

/**
 * The outputs of a model whose type says what they are: the float32 tensors `predict` returns, one,
 * a list (a tuple) or an object. {@link ModelOutputs}' plain `km.Tensor`s (either dtype) are not,
 * which tells a model whose outputs the compiler does not know apart from the others. These types
 * test `Out` on the left of `extends` only, so a model is assignable to one with wider outputs
 * (`km.Functional<[a, b]>` to `km.LayersModel`), as TypeScript sees its uses of `Out` as covariant.
 */
type KnownOutputs = Tensor<'float32'> | readonly Tensor<'float32'>[] | Readonly<Record<string, Tensor<'float32'>>>;

/** What `predict` returns when no type is given: `Out`, or for a model whose outputs are not known a tensor, as before. */
export type PredictResult<Out extends ModelOutputs> = Out extends KnownOutputs ? Out : Tensor<'float32'>;

/**
 * What `predict<T>` returns. For a model whose outputs are known, `T` is not inferred from where
 * the result goes, so a two-output model's result cannot be taken for one tensor
 * (`const y: km.Tensor = twoHeads.predict(x)` is refused); for one whose outputs are not known, it
 * is, as the casts of tfjs ports need (`loaded.predict(x) as km.Tensor[]`).
 */
export type PredictReturn<Out extends ModelOutputs, T> = [Out] extends [KnownOutputs] ? NoInfer<T> : T;

/** What `apply` on data returns: `Out`, or for a model whose outputs are not known a tensor or a list of them, as before. */
export type AppliedOutputs<Out extends ModelOutputs> = Out extends KnownOutputs ? Out : Out extends Tensor ? Tensor : Tensor[];

/**
 * What `apply` on symbolic tensors returns: `Out`'s form with a symbolic tensor for each tensor, or
 * for a model whose outputs are not known a symbolic tensor or a list of them, as before.
 */
export type AppliedSymbolicOutputs<Out extends ModelOutputs> = Out extends Tensor<'float32'>
  ? SymbolicTensor
  : Out extends KnownOutputs
    ? { -readonly [K in keyof Out]: SymbolicTensor }
    : Out extends Tensor
      ? SymbolicTensor
      : SymbolicTensor[];
