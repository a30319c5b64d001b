import { Tensor } from '../tensor.js';

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

/** The tensors of an adapt call's data: one tensor, or each element of a dataset (a tensor or `{ xs }`). */
export async function* adaptBatches(data: unknown, where: string): AsyncGenerator<Tensor> {
  if (data instanceof Tensor) {
    yield data;
    return;
  }
  const iterable = data as AsyncIterable<unknown> | null;
  if (typeof iterable?.[Symbol.asyncIterator] !== 'function') {
    throw new Error(`${where}: adapt takes a km.Tensor of samples or a km.data Dataset of batches. Received: ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}. Wrap arrays with km.tensor(values, shape).`);
  }
  for await (const element of iterable) {
    const tensor = element instanceof Tensor ? element : (element as { xs?: unknown } | null)?.xs;
    if (!(tensor instanceof Tensor)) {
      throw new Error(`${where}: adapt reads each dataset element as a km.Tensor batch (or { xs } with one), but received ${typeof element}. Map the dataset to its features first.`);
    }
    yield tensor;
  }
}
