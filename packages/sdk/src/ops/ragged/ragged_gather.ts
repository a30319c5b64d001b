// tfjs' raggedGather: rows of a ragged tensor (nested row splits and dense values) picked by index.
import { Tensor, type DType, type TensorLike } from '../../tensor.js';
import { indicesOf } from '../gather.js';
import { hostValues, operand, typedArray } from '../operand.js';
import { preview, rowSplitsOf } from './row_splits.js';

/** What {@link raggedGather} returns, with tfjs' names: the gathered ragged tensor. */
export interface RaggedGather<D extends DType> {
  /** outputRaggedRank int32 row-splits vectors, outermost first, each starting at 0. */
  outputNestedSplits: Tensor<'int32'>[];
  /** The gathered values, [n, ...paramsDenseValues.shape.slice(1)], in its dtype. */
  outputDenseValues: Tensor<D>;
}

/**
 * The rows of the ragged tensor `params` (row-splits vectors `paramsNestedSplits`, outermost first,
 * over the values `paramsDenseValues` [n, ...]) at `indices` (int32, any shape), as
 * `tf.raggedGather(paramsNestedSplits, paramsDenseValues, indices, outputRaggedRank)`: the result
 * is a ragged tensor of ragged rank indices.rank + paramsNestedSplits.length - 1, whose outer axes
 * are the indices' (as uniform row splits) and whose inner rows are the picked rows, whole. Values
 * and splits equal tfjs' CPU kernel's. An index outside [0, rows of params) is an error naming it,
 * as are splits that decrease, start below 0 or point past the next level, as tfjs' are; kerasm
 * also refuses a last split equal to the next splits' length (tfjs reads past them) and, as
 * TensorFlow does, an outputRaggedRank other than indices.rank + paramsNestedSplits.length - 1
 * (tfjs ignores it). No gradient (tfjs has none).
 * @example `km.raggedGather([[0, 2, 2, 5]], [1, 2, 3, 4, 5], [2, 0], 1)` (outputNestedSplits [[0, 3, 5]], outputDenseValues [3, 4, 5, 1, 2])
 */
export function raggedGather<D extends DType = 'float32'>(paramsNestedSplits: readonly (Tensor | TensorLike)[], paramsDenseValues: Tensor<D> | TensorLike, indices: Tensor | TensorLike, outputRaggedRank: number): RaggedGather<D> {
  const fn = 'km.raggedGather()';
  if (!Array.isArray(paramsNestedSplits) || paramsNestedSplits.length === 0) {
    throw new Error(`${fn}: paramsNestedSplits must be a non-empty array of int32 row-splits vectors, one per ragged axis of params, outermost first. Received: paramsNestedSplits=${Array.isArray(paramsNestedSplits) ? '[]' : String(paramsNestedSplits)}.`);
  }
  const values = operand<D>(fn, 'paramsDenseValues', paramsDenseValues);
  if (values.rank === 0) throw new Error(`${fn}: paramsDenseValues must have rank 1 or more (one entry per value of the innermost rows). Received: paramsDenseValues.shape=[].`);
  const splits = paramsNestedSplits.map((s, level) => rowSplitsOf(fn, `paramsNestedSplits[${level}]`, s));
  splits.forEach((s, level) => {
    // Each split is a position in the next level's rows (or the values): at most their count.
    const [next, what] = level + 1 < splits.length ? [splits[level + 1].length - 1, `the ${splits[level + 1].length - 1} rows of paramsNestedSplits[${level + 1}]`] : [values.shape[0], `the ${values.shape[0]} rows of paramsDenseValues`];
    if (s[0] < 0 || s[s.length - 1] > next) {
      throw new Error(`${fn}: paramsNestedSplits[${level}] must hold positions from 0 to ${next}, within ${what}. Received: paramsNestedSplits[${level}]=${preview(s)}.`);
    }
  });
  const idx = indicesOf(fn, indices);
  const expectedRank = idx.rank + splits.length - 1;
  if (outputRaggedRank !== expectedRank) {
    throw new Error(`${fn}: outputRaggedRank must be indices.rank + paramsNestedSplits.length - 1 = ${idx.rank} + ${splits.length} - 1 = ${expectedRank}, the ragged rank of the result. Received: outputRaggedRank=${String(outputRaggedRank)}.`);
  }
  const picks = hostValues(fn, idx);
  const rows = splits[0].length - 1;
  const bad = picks.findIndex((i) => i < 0 || i >= rows);
  if (bad >= 0) {
    const at = idx.shape.map((_, axis) => Math.floor(bad / idx.shape.slice(axis + 1).reduce((n, d) => n * d, 1)) % idx.shape[axis]);
    throw new Error(`${fn}: indices must be from 0 to ${rows - 1}, the rows of params (paramsNestedSplits[0] has ${rows + 1} splits). Received: indices${at.length > 0 ? `[${at.join(', ')}]` : ''}=${picks[bad]}.`);
  }

  // The indices' own axes become uniform rows: one splits vector per axis but the last.
  const outSplits: number[][] = [];
  let outer = 1;
  for (let axis = 0; axis + 1 < idx.rank; axis++) {
    outer *= idx.shape[axis];
    const width = idx.shape[axis + 1];
    outSplits.push(Array.from({ length: outer + 1 }, (_, r) => r * width));
  }
  for (let level = idx.rank === 0 ? 1 : 0; level < splits.length; level++) outSplits.push([0]);
  // Each pick copies its row's lengths at every level, then names the span of values it covers.
  const spans: [number, number][] = [];
  for (const pick of picks) {
    let [start, limit] = [pick, pick + 1];
    splits.forEach((s, level) => {
      const out = outSplits[level + idx.rank - 1];
      if (out) for (let r = start; r < limit; r++) out.push(out[out.length - 1] + s[r + 1] - s[r]);
      [start, limit] = [s[start], s[limit]];
    });
    spans.push([start, limit]);
  }
  const inner = values.shape.slice(1).reduce((n, d) => n * d, 1);
  const count = spans.reduce((n, [a, b]) => n + b - a, 0);
  const source = hostValues(fn, values);
  const out = typedArray(values.dtype, count * inner);
  let at = 0;
  for (const [a, b] of spans) {
    out.set(source.subarray(a * inner, b * inner), at);
    at += (b - a) * inner;
  }
  return {
    outputNestedSplits: outSplits.map((s) => new Tensor(Int32Array.from(s), [s.length], 'int32')),
    outputDenseValues: new Tensor(out, [count, ...values.shape.slice(1)], values.dtype),
  };
}
