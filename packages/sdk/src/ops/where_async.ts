// tfjs' whereAsync: the coordinates of a tensor's true (non-zero) values, read without blocking.
import { Tensor, type TensorLike } from '../tensor.js';
import { operand } from './operand.js';

/**
 * The coordinates of the non-zero values of `condition`, one row each in row-major order, as
 * `tf.whereAsync(condition)`: an int32 tensor [count, rank of condition] ([0, rank] when all are 0).
 * tfjs takes a bool tensor; kerasm, which has no bool dtype, takes any tensor, a value other than 0
 * (NaN too) counting as true, so the int32 0/1 results of km.greater & co. work as tfjs' bools do.
 * It reads the values with `await condition.data()`, so it returns a Promise, as tfjs does.
 * @example `await km.whereAsync(km.greater(x, 0))` (where x is positive)
 */
export async function whereAsync(condition: Tensor | TensorLike): Promise<Tensor<'int32'>> {
  const c = operand('km.whereAsync()', 'condition', condition);
  return trueCoordinates(await c.data(), c.shape);
}

/** The coordinates of the non-zero `values` of a tensor of `shape`, as an int32 tensor [count, rank]. */
function trueCoordinates(values: ArrayLike<number>, shape: readonly number[]): Tensor<'int32'> {
  const rank = shape.length;
  const found: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) found.push(i);
  const out = new Int32Array(found.length * rank);
  found.forEach((flat, row) => {
    for (let a = rank - 1, rest = flat; a >= 0; a--) {
      out[row * rank + a] = rest % shape[a];
      rest = Math.floor(rest / shape[a]);
    }
  });
  return new Tensor(out, [found.length, rank], 'int32');
}
