// The row splits of a ragged tensor's partition, read and checked as the ragged ops need them.
import type { Tensor, TensorLike } from '../../tensor.js';
import { indicesOf } from '../gather.js';
import { hostValues } from '../operand.js';

/**
 * The values of `splits`, an int32 vector of row boundaries (row r is [splits[r], splits[r + 1])),
 * checked to be non-empty and non-decreasing; `name` names it in errors.
 */
export function rowSplitsOf(fn: string, name: string, splits: Tensor | TensorLike): Int32Array {
  const t = indicesOf(fn, splits, name);
  if (t.rank !== 1 || t.size === 0) {
    throw new Error(`${fn}: ${name} must be a non-empty int32 vector of row splits (n + 1 boundaries for n rows, e.g. [0, 2, 2, 5]). Received: ${name}.shape=[${t.shape.join(', ')}].`);
  }
  const values = hostValues(fn, t);
  for (let i = 1; i < values.length; i++) {
    if (values[i] < values[i - 1]) {
      throw new Error(`${fn}: ${name} must not decrease (row r holds positions splits[r] to splits[r + 1]), but entry ${i}, ${values[i]}, is below entry ${i - 1}, ${values[i - 1]}. Received: ${name}=${preview(values)}.`);
    }
  }
  return values;
}

/** A vector's values for an error message: all of them, or the first 20 and a count. */
export function preview(values: ArrayLike<number>): string {
  const shown = Array.from({ length: Math.min(values.length, 20) }, (_, i) => values[i]).join(', ');
  return values.length > 20 ? `[${shown}, ... (${values.length} values)]` : `[${shown}]`;
}
