// tfjs' unsortedSegmentSum: the slices of a tensor summed by segment id, and its gradient, which
// hands each slice its segment's cotangent.
import { Tensor, type TensorLike } from '../tensor.js';
import { indicesOf } from './gather.js';
import { hostValues, operand } from './operand.js';
import { record, taping } from './tape.js';

/**
 * The sum of the slices of `x` in each of `numSegments` segments, as
 * `tf.unsortedSegmentSum(x, segmentIds, numSegments)`: slice i (x's values at the leading
 * coordinates i, for the axes segmentIds covers) goes to segment `segmentIds[i]`, and the result
 * has shape `[numSegments, ...x.shape[segmentIds.rank:]]`. It is float32, int32 x too, as in tfjs
 * (which multiplies by a float32 mask). Sums are in double in the order of the slices, rounded once,
 * as tfjs' for finite values; a segment without slices is 0. A negative id drops its slice, as
 * TensorFlow documents; an id from numSegments on is an error naming it (tfjs drops it silently).
 * segmentIds may have any shape that begins x's (TensorFlow's rule; tfjs takes rank 1 only), and a
 * NaN or infinite value reaches only its own segment (in tfjs' mask product, 0·NaN reaches all).
 * Its gradient gives each slice its segment's cotangent (0 for dropped ones), as tfjs'.
 * @example `km.unsortedSegmentSum([1, 2, 3, 4], [0, 1, 0, 1], 2)` (values [4, 6])
 */
export function unsortedSegmentSum(x: Tensor | TensorLike, segmentIds: Tensor | TensorLike, numSegments: number): Tensor<'float32'> {
  const fn = 'km.unsortedSegmentSum()';
  const t = operand(fn, 'x', x);
  const ids = indicesOf(fn, segmentIds, 'segmentIds');
  if (!Number.isInteger(numSegments) || numSegments < 0) throw new Error(`${fn}: numSegments must be a non-negative integer, the number of segments (ids from 0 to numSegments - 1). Received: numSegments=${String(numSegments)}.`);
  if (ids.rank > t.rank || ids.shape.some((d, i) => d !== t.shape[i])) {
    throw new Error(`${fn}: segmentIds' shape must be the first axes of x's shape, a segment id per slice of x. Received: segmentIds.shape=[${ids.shape.join(', ')}], x.shape=[${t.shape.join(', ')}].`);
  }
  const sliceSize = t.shape.slice(ids.rank).reduce((n, d) => n * d, 1);
  const segment = hostValues(fn, ids);
  segment.forEach((id, i) => {
    if (id >= numSegments) throw new Error(`${fn}: segment id ${id} (segmentIds position ${i}) is out of range for numSegments=${numSegments}: ids must be below ${numSegments} (a negative id drops its slice).`);
  });
  const values = hostValues(fn, t);
  const sums = new Float64Array(numSegments * sliceSize);
  segment.forEach((id, i) => {
    if (id < 0) return;
    for (let s = 0; s < sliceSize; s++) sums[id * sliceSize + s] += values[i * sliceSize + s];
  });
  const result = new Tensor(Float32Array.from(sums), [numSegments, ...t.shape.slice(ids.rank)], 'float32');
  if (taping()) {
    record(result, [t], (dy) => {
      const g = new Float32Array(t.size);
      segment.forEach((id, i) => {
        if (id >= 0) g.set(dy.subarray(id * sliceSize, (id + 1) * sliceSize), i * sliceSize);
      });
      return [g];
    });
  }
  return result;
}
