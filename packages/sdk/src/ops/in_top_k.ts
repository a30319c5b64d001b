// tfjs' inTopKAsync: whether each target class is among the k highest predictions of its row.
import { Tensor, type TensorLike } from '../tensor.js';
import { operand } from './operand.js';

/**
 * 1 where `targets[b]` is the index of one of the `k` (default 1) largest values of row b of
 * `predictions`, else 0, as `tf.inTopKAsync(predictions, targets, k)`: predictions [..., classes]
 * (rank 2 or more), targets of predictions' shape without the last axis, the result int32 of
 * targets' shape (tfjs gives bool). Rows are ordered as tfjs orders them (a stable sort, so among
 * equal values the lower index ranks first). A target outside [0, classes) is never in the top k.
 * It reads the values with `await data()`, so it returns a Promise, as tfjs does.
 * @example `await km.inTopKAsync(logits, labels, 5)` (top-5 hits)
 */
export async function inTopKAsync(predictions: Tensor | TensorLike, targets: Tensor | TensorLike, k = 1): Promise<Tensor<'int32'>> {
  const fn = 'km.inTopKAsync()';
  const p = operand(fn, 'predictions', predictions);
  const t = operand(fn, 'targets', targets);
  const batchShape = p.shape.slice(0, -1);
  if (p.rank < 2 || t.rank !== p.rank - 1 || t.shape.some((d, i) => d !== batchShape[i])) {
    throw new Error(`${fn}: predictions must have rank 2 or more ([..., classes]) and targets its shape without the last axis, one class index per row. Received: predictions.shape=[${p.shape.join(', ')}], targets.shape=[${t.shape.join(', ')}].`);
  }
  const classes = p.shape[p.rank - 1];
  if (!Number.isInteger(k) || k <= 0 || k > classes) {
    throw new Error(`${fn}: k must be an integer from 1 to the number of classes (${classes}, predictions' last axis). Received: k=${String(k)}.`);
  }
  const [values, wanted] = await Promise.all([p.data(), t.data()]);
  const out = new Int32Array(t.size);
  for (let b = 0; b < out.length; b++) {
    const row = Array.from(values.subarray(b * classes, (b + 1) * classes), (value, index) => ({ value, index }));
    row.sort((u, v) => v.value - u.value);
    out[b] = row.slice(0, k).some((e) => e.index === wanted[b]) ? 1 : 0;
  }
  return new Tensor(out, t.shape, 'int32');
}
