import { Tensor } from '../tensor.js';

/**
 * One-hot encodes integer class labels, like `keras.utils.to_categorical`.
 *
 * Labels of shape `[...s]` give `[...s, numClasses]`; a trailing axis of size 1 (`[n, 1]`) is
 * dropped first, so `[n, 1]` gives `[n, numClasses]`.
 *
 * @param labels Integer labels in `0 .. numClasses - 1` (a tensor of either dtype, an array or an Int32Array).
 * @param numClasses Number of classes; defaults to the largest label + 1.
 * @example
 * ```ts
 * km.utils.toCategorical([0, 2, 1]).arraySync();
 * // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * ```
 */
export function toCategorical(labels: Tensor | number[] | Int32Array, numClasses?: number): Tensor<'float32'> {
  let values: ArrayLike<number>;
  let shape: readonly number[];
  if (labels instanceof Tensor) {
    values = labels.dataSync();
    shape = labels.shape.length > 1 && labels.shape[labels.shape.length - 1] === 1 ? labels.shape.slice(0, -1) : labels.shape;
  } else if (Array.isArray(labels) || labels instanceof Int32Array) {
    values = labels;
    shape = [labels.length];
  } else {
    throw new Error(`toCategorical() expects labels as a Tensor, an array of numbers or an Int32Array; received ${typeof labels}.`);
  }

  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new Error(`toCategorical() needs integer class labels, but label ${String(v)} at index ${i} is not one. Round or map the labels to integers first.`);
    }
    if (v < 0) {
      throw new Error(`toCategorical() needs labels >= 0, but label ${v} at index ${i} is negative. Map the classes to 0 .. numClasses - 1.`);
    }
    if (v > max) max = v;
  }

  let classes: number;
  if (numClasses === undefined) {
    if (values.length === 0) {
      throw new Error('toCategorical() cannot infer numClasses from empty labels; pass numClasses.');
    }
    classes = max + 1;
  } else {
    if (!Number.isInteger(numClasses) || numClasses < 1) {
      throw new Error(`toCategorical() expects numClasses to be a positive integer; received numClasses=${numClasses}.`);
    }
    classes = numClasses;
    if (max >= classes) {
      const i = Array.prototype.findIndex.call(values, (v: number) => v >= classes);
      throw new Error(
        `toCategorical() got label ${values[i]} at index ${i}, but numClasses=${classes} allows labels 0 .. ${classes - 1}. ` +
          `Pass numClasses=${max + 1} or more, or omit it.`,
      );
    }
  }

  const out = new Float32Array(values.length * classes);
  for (let i = 0; i < values.length; i++) out[i * classes + values[i]] = 1;
  return new Tensor(out, [...shape, classes], 'float32');
}
