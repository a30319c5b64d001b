import { SymbolicTensor } from '../engine/symbolic.js';
import { Tensor } from '../tensor.js';
import type { Layer } from './layer.js';

/**
 * A merge layer's factory in both of tfjs' and Keras' forms: given options (or nothing) it makes
 * the layer, `km.layers.add()`; given the tensors to merge first, it makes one and applies it,
 * `km.layers.add([a, b])` (tfjs' `tf.layers.add([a, b])`, Keras' `keras.layers.add([a, b])`).
 */
export interface MergeFactory<A, L extends Layer> {
  (args?: A): L;
  (inputs: readonly SymbolicTensor[], args?: A): SymbolicTensor;
  (inputs: readonly Tensor[], args?: A): Tensor<'float32'>;
}

/** The factory of {@link MergeFactory} over `make`, which checks the options and makes the layer. */
export function mergeFactory<A, L extends Layer>(make: (args?: A) => L): MergeFactory<A, L> {
  return ((first?: A | readonly unknown[], args?: A) => {
    const tensors = Array.isArray(first) && first.length > 0 && first.every((t) => t instanceof SymbolicTensor || t instanceof Tensor);
    return tensors ? make(args).apply(first as readonly SymbolicTensor[]) : make(first as A);
  }) as MergeFactory<A, L>;
}
