/**
 * A dataset's number of elements as tfjs' `dataset.size` gives it: a count, `Infinity` for a
 * dataset that never ends, or `null` when it cannot be known without reading the data.
 */
export type DatasetSize = number | null;

export function takenSize(size: DatasetSize, count: number): DatasetSize {
  return size === null ? null : Math.min(size, count);
}

/** `count` may be `Infinity`: skipping all of an endless dataset never ends, so nothing is known of it. */
export function skippedSize(size: DatasetSize, count: number): DatasetSize {
  if (size === Infinity && count === Infinity) return null;
  return size === null ? null : Math.max(size - count, 0);
}

export function batchedSize(size: DatasetSize, batchSize: number, smallLastBatch: boolean): DatasetSize {
  if (size === null || size === Infinity) return size;
  return smallLastBatch ? Math.ceil(size / batchSize) : Math.floor(size / batchSize);
}

/**
 * `count` is `Infinity` for forever. As tf.data's cardinality rather than tfjs': repeating a source of unknown size forever is
 * infinite (tfjs says unknown), so that `fit` and `toArray` can refuse it instead of running
 * forever; and an empty source stays empty, because `repeat` stops on a pass that yields nothing.
 */
export function repeatedSize(size: DatasetSize, count: number): DatasetSize {
  if (size === 0 || count === 0) return 0;
  if (count === Infinity) return Infinity;
  return size === null ? null : size * count;
}

/** A filter may drop any element, so only an endless source keeps a known size (as tfjs). */
export function filteredSize(size: DatasetSize): DatasetSize {
  return size === Infinity ? Infinity : null;
}

export function concatenatedSize(first: DatasetSize, second: DatasetSize): DatasetSize {
  if (first === Infinity || second === Infinity) return Infinity;
  return first === null || second === null ? null : first + second;
}

/**
 * The shortest of the sizes of every dataset in a zip, nested ones included, and unknown when any
 * is, as tf.data's zip. (tfjs' own `zip` takes `Math.min(3, null)`, which is 0, and reads only the
 * top level, where a nested object's size is `undefined`, so its answer depends on the order.)
 */
export function zippedSize(sizes: readonly DatasetSize[]): DatasetSize {
  if (sizes.some((size) => size === null)) return null;
  return Math.min(...(sizes as number[]));
}
