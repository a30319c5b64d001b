/** TensorBoard's default number of buckets (`DEFAULT_BUCKET_COUNT` of its histogram summaries). */
export const HISTOGRAM_BUCKETS = 30;

/**
 * The buckets `tf.summary.histogram` makes of `values` (TensorBoard 2.12 and later, the
 * `_buckets` of `tensorboard/plugins/histogram/summary_v2.py`), as `bucketCount` rows of
 * `[left edge, right edge, count]`, row after row, in float64:
 * - equal-width buckets from the least value to the greatest, a value going to bucket
 *   `floor((v − min) / width)`, the greatest to the last; the edges are `min + i · width`, the
 *   last exactly `max`, as TensorFlow's `linspace` makes them;
 * - all values equal: every edge is that value, and the last bucket counts them all;
 * - no values: every edge and count is 0.
 *
 * NaN values are left out of the counts.
 */
export function histogramBuckets(values: ArrayLike<number>, bucketCount: number = HISTOGRAM_BUCKETS): Float64Array {
  const rows = new Float64Array(bucketCount * 3);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return rows;
  const range = max - min;
  if (range === 0) {
    for (let b = 0; b < bucketCount; b++) rows[b * 3] = rows[b * 3 + 1] = min;
    rows[bucketCount * 3 - 1] = countNumbers(values);
    return rows;
  }
  const width = range / bucketCount;
  for (let i = 0; i < values.length; i++) {
    const bucket = Math.min(Math.floor((values[i]! - min) / width), bucketCount - 1);
    if (bucket >= 0) rows[bucket * 3 + 2]!++;
  }
  for (let b = 0; b < bucketCount; b++) {
    rows[b * 3] = b === 0 ? min : min + width * b;
    rows[b * 3 + 1] = b === bucketCount - 1 ? max : min + width * (b + 1);
  }
  return rows;
}

function countNumbers(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  return n;
}
