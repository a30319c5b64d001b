// tfjs' raggedRange: a ragged tensor of one arithmetic sequence per row.
import { Tensor, tensor, type DType, type TensorLike } from '../../tensor.js';
import { hostValues, operand, typedArray } from '../operand.js';

/** What {@link raggedRange} returns, with tfjs' names: a ragged tensor of ragged rank 1. */
export interface RaggedRange<D extends DType> {
  /** Where each row starts and ends among rtDenseValues: int32 [rows + 1], from 0. */
  rtNestedSplits: Tensor<'int32'>;
  /** The rows' values one after another, in starts' dtype. */
  rtDenseValues: Tensor<D>;
}

const INT32_MAX = 2147483647;

/**
 * A ragged tensor whose row i is the sequence `starts[i], starts[i] + deltas[i], ...` up to but not
 * including `limits[i]`, as `tf.raggedRange(starts, limits, deltas)`. Each argument is a scalar
 * (used for every row) or a vector; vectors must have one entry per row (all scalars make one row).
 * A negative delta counts down; a row whose limit lies behind its start is empty. The values have
 * starts' dtype (limits and deltas given as arrays are made in it; tensors must have it) and are
 * accumulated in double precision and stored per element, as tfjs' CPU kernel does, so they equal
 * tfjs' to the bit. A delta of 0 is an error, as in tfjs; kerasm also refuses NaN and infinite
 * arguments (tfjs gives rows of garbage lengths) and more than 2^31 - 1 values in all. No gradient
 * (tfjs has none).
 * @example `km.raggedRange([0, 5], [3, 0], [1, -2])` (rtNestedSplits [0, 3, 6], rtDenseValues [0, 1, 2, 5, 3, 1])
 */
export function raggedRange<D extends DType = 'float32'>(starts: Tensor<D> | TensorLike, limits: Tensor<D> | TensorLike, deltas: Tensor<D> | TensorLike): RaggedRange<D> {
  const fn = 'km.raggedRange()';
  const s = operand<D>(fn, 'starts', starts);
  const dtype = s.dtype;
  const inStartsDtype = (name: string, x: Tensor<D> | TensorLike): Tensor<D> => {
    if (!(x instanceof Tensor)) return tensor(x, undefined, dtype);
    const t = operand<D>(fn, name, x);
    if (t.dtype !== dtype) throw new Error(`${fn}: ${name} must have starts' dtype ('${dtype}'), as in tfjs. Cast it: km.cast(${name}, '${dtype}'). Received: ${name}.dtype='${t.dtype}'.`);
    return t;
  };
  const args: [string, Tensor<D>][] = [['starts', s], ['limits', inStartsDtype('limits', limits)], ['deltas', inStartsDtype('deltas', deltas)]];
  const described = args.map(([name, t]) => `${name}.shape=[${t.shape.join(', ')}]`).join(', ');
  if (args.some(([, t]) => t.rank > 1)) throw new Error(`${fn}: starts, limits and deltas must each be a scalar or a vector. Received: ${described}.`);
  const vectors = args.filter(([, t]) => t.rank === 1);
  const rows = vectors.length > 0 ? vectors[0][1].size : 1;
  if (vectors.some(([, t]) => t.size !== rows)) throw new Error(`${fn}: the vectors among starts, limits and deltas must have the same length, one entry per row (scalars apply to every row). Received: ${described}.`);
  const [first, limit, step] = args.map(([name, t]) => {
    const v = hostValues(fn, t);
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new Error(`${fn}: ${name} must hold finite numbers. Received: ${name}[${bad}]=${v[bad]}.`);
    return (row: number): number => v[t.rank === 0 ? 0 : row];
  });
  const splits = new Int32Array(rows + 1);
  for (let row = 0; row < rows; row++) {
    const [a, b, d] = [first(row), limit(row), step(row)];
    if (d === 0) throw new Error(`${fn}: deltas must not be 0 (a row would never reach its limit). Received: deltas${rows > 1 ? `[${row}]` : ''}=0.`);
    const length = (d > 0 && b < a) || (d < 0 && b > a) ? 0 : Math.ceil(Math.abs((b - a) / d));
    if (splits[row] + length > INT32_MAX) {
      throw new Error(`${fn}: the ranges hold more than 2^31 - 1 values, which int32 row splits cannot count. Received: row ${row} (start ${a}, limit ${b}, delta ${d}) has ${length} values, after ${splits[row]} in the rows before it.`);
    }
    splits[row + 1] = splits[row] + length;
  }
  const values = typedArray(dtype, splits[rows]);
  for (let row = 0; row < rows; row++) {
    const d = step(row);
    let value = first(row);
    for (let i = splits[row]; i < splits[row + 1]; i++, value += d) values[i] = value;
  }
  return { rtNestedSplits: new Tensor(splits, [rows + 1], 'int32'), rtDenseValues: new Tensor(values, [values.length], dtype) };
}
