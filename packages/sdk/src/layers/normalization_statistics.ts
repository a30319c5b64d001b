import { Tensor, tensor, type DType, type TensorLike } from '../tensor.js';
import { firstString } from '../utils/nested_text.js';

/**
 * Per-feature count, mean and sum of squared deviations, merged batch by batch in float64 (Chan et
 * al.'s pairwise update), so that adapting on a stream gives the mean and (biased) variance of all
 * of it at once.
 */
export class FeatureMoments {
  count = 0;
  readonly mean: Float64Array;
  readonly squares: Float64Array;

  constructor(readonly features: number) {
    this.mean = new Float64Array(features);
    this.squares = new Float64Array(features);
  }

  /** Adds rows of `features` values (a batch flattened, features last). */
  add(values: ArrayLike<number>, where: string): void {
    const f = this.features;
    const rows = values.length / f;
    if (rows === 0) return;
    const mean = new Float64Array(f);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        throw new Error(`${where}: adapt received ${v} at row ${Math.floor(i / f)}, feature ${i % f}; its mean and variance would not be finite. Remove or impute missing values before adapting.`);
      }
      mean[i % f] += v;
    }
    for (let j = 0; j < f; j++) mean[j] /= rows;
    const squares = new Float64Array(f);
    for (let i = 0; i < values.length; i++) squares[i % f] += (values[i] - mean[i % f]) ** 2;
    const total = this.count + rows;
    for (let j = 0; j < f; j++) {
      const delta = mean[j] - this.mean[j];
      this.mean[j] += (delta * rows) / total;
      this.squares[j] += squares[j] + (delta * delta * this.count * rows) / total;
    }
    this.count = total;
  }

  /** The biased variance of each feature, as Keras' adapt computes it. */
  variance(): Float64Array {
    return this.squares.map((s) => s / this.count);
  }
}

/** What a numeric preprocessing layer's `adapt` reads: a km.Tensor of samples, the same as plain arrays (nested, or typed), or a km.data Dataset of batches. */
export type AdaptData = Tensor | Exclude<TensorLike, number> | AsyncIterable<unknown>;

/**
 * Plain JS data as adapt's one batch: nested arrays of numbers (one sample a row, as Keras' adapt
 * takes a list or NumPy array) or a typed array, made into the tensor `km.tensor(data)` would be;
 * with `dtype` 'int32', an int32 one when every value is a 32-bit integer, so that no token is
 * rounded to a float32 on the way (the layer's own check then names any other value).
 */
function arrayBatch(data: readonly unknown[] | ArrayBufferView, where: string, dtype: DType): Tensor {
  const text = Array.isArray(data) ? firstString(data) : undefined;
  if (text !== undefined) {
    throw new Error(`${where}: adapt reads numbers, but the array holds text (${JSON.stringify(text).slice(0, 60)}). Adapt a km.layers.stringLookup on text, and use its output (indices or one-hot rows) here.`);
  }
  if (dtype === 'int32') {
    try {
      return tensor(data as TensorLike, undefined, 'int32');
    } catch {
      // Not all 32-bit integers: read as float32 below.
    }
  }
  try {
    return tensor(data as TensorLike);
  } catch (err) {
    throw new Error(`${where}: adapt could not read the array as samples: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The tensors of an adapt call's data: one tensor, a plain array (see {@link arrayBatch}), or each
 * element of a dataset (a tensor or `{ xs }`). `dtype` is the one a plain array is read as.
 */
export async function* adaptBatches(data: unknown, where: string, dtype: DType = 'float32'): AsyncGenerator<Tensor> {
  if (data instanceof Tensor) {
    yield data;
    return;
  }
  if (Array.isArray(data) || ArrayBuffer.isView(data)) {
    yield arrayBatch(data, where, dtype);
    return;
  }
  const iterable = data as AsyncIterable<unknown> | null;
  if (typeof iterable?.[Symbol.asyncIterator] !== 'function') {
    throw new Error(`${where}: adapt takes a km.Tensor of samples, an array of them (nested arrays of numbers) or a km.data Dataset of batches. Received: ${data === null ? 'null' : typeof data}.`);
  }
  for await (const element of iterable) {
    const batch = element instanceof Tensor ? element : (element as { xs?: unknown } | null)?.xs;
    if (!(batch instanceof Tensor)) {
      throw new Error(`${where}: adapt reads each dataset element as a km.Tensor batch (or { xs } with one), but received ${typeof element}. Map the dataset to its features first.`);
    }
    yield batch;
  }
}
