// tfjs' print: a tensor's values logged to the console.
import type { Tensor, TensorLike } from '../tensor.js';
import { operand } from './operand.js';

/**
 * Logs `x`'s values to the console as TensorFlow.js lays them out, as `tf.print(x, verbose)`;
 * `verbose` adds the dtype, rank and shape. The same as `x.print(verbose)`.
 * @example `km.print(km.tensor([[1, 2], [3, 4]]))`
 */
export function print(x: Tensor | TensorLike, verbose = false): void {
  operand('km.print()', 'x', x).print(verbose);
}
