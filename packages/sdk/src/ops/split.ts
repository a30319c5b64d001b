// tfjs' split and unstack: a tensor cut into pieces along an axis, each a slice of it (so the tape
// passes each piece's cotangent back to its place).
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { parseAxis } from './axes.js';
import { operand } from './operand.js';

/** The size of each piece: `count` equal ones, or the sizes given (one may be -1, the rest of the axis). */
function pieceSizes(fn: string, numOrSizeSplits: number | readonly number[], length: number, axis: number, shape: readonly number[]): number[] {
  const where = `axis ${axis} of size ${length} (x.shape [${shape.join(', ')}])`;
  if (typeof numOrSizeSplits === 'number') {
    if (!Number.isInteger(numOrSizeSplits) || numOrSizeSplits < 1 || length % numOrSizeSplits !== 0) {
      throw new Error(`${fn}: ${String(numOrSizeSplits)} pieces do not evenly divide ${where}. Pass a divisor of ${length}, or a list of sizes that add up to ${length}. Received: numOrSizeSplits=${String(numOrSizeSplits)}.`);
    }
    return new Array<number>(numOrSizeSplits).fill(length / numOrSizeSplits);
  }
  const sizes = Array.isArray(numOrSizeSplits) ? [...numOrSizeSplits] : [];
  const rest = sizes.indexOf(-1);
  const valid = sizes.length > 0 && sizes.every((s, i) => Number.isInteger(s) && (s >= 0 || (s === -1 && i === rest)));
  const known = sizes.reduce((n, s) => (s > 0 ? n + s : n), 0);
  if (valid && rest >= 0 && known <= length) sizes[rest] = length - known;
  if (!valid || sizes.reduce((a, b) => a + b, 0) !== length) {
    throw new Error(`${fn}: the sizes must be non-negative integers (one may be -1 for the rest) adding up to ${where}. Received: numOrSizeSplits=${JSON.stringify(numOrSizeSplits)}.`);
  }
  return sizes;
}

/**
 * `x` cut along `axis` (default 0) into `numOrSizeSplits` equal pieces, or pieces of the sizes
 * listed (one may be -1: the rest of the axis), as `tf.split`; returns them in order.
 * @example `const [train, test] = km.split(xs, [800, 200])`, `km.split(x, 3, -1)` (three column blocks)
 */
export function split<D extends DType>(x: Tensor<D> | TensorLike, numOrSizeSplits: number | readonly number[], axis = 0): Tensor<D>[] {
  const fn = 'km.split()';
  const t = operand<D>(fn, 'x', x);
  const at = parseAxis(fn, axis, t.shape);
  const begin = t.shape.map(() => 0);
  return pieceSizes(fn, numOrSizeSplits, t.shape[at], at, t.shape).map((s) => {
    const piece = t.slice(begin, t.shape.map((d, i) => (i === at ? s : d)));
    begin[at] += s;
    return piece;
  });
}

/**
 * The slices of `x` along `axis` (default 0), that axis removed, as `tf.unstack`.
 * @example `const [first, second] = km.unstack(km.tensor([[1, 2], [3, 4]]))` ([1, 2] and [3, 4])
 */
export function unstack<D extends DType>(x: Tensor<D> | TensorLike, axis = 0): Tensor<D>[] {
  const fn = 'km.unstack()';
  const t = operand<D>(fn, 'x', x);
  const at = parseAxis(fn, axis, t.shape);
  const shape = t.shape.filter((_, i) => i !== at);
  return Array.from({ length: t.shape[at] }, (_, k) => t.slice(t.shape.map((_, i) => (i === at ? k : 0)), t.shape.map((d, i) => (i === at ? 1 : d))).reshape(shape));
}
