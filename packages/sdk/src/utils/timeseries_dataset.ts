import { Dataset } from '../data/dataset.js';
import { checkTensor } from '../engine/validate_data.js';
import { Tensor } from '../tensor.js';
import { checkOptions, optionNames } from './options.js';
import { Random } from './random.js';

/** Options of {@link timeseriesDatasetFromArray}, Keras' `timeseries_dataset_from_array` in camelCase. */
export interface TimeseriesDatasetOptions {
  /** Steps in each window. */
  sequenceLength: number;
  /** Steps between the starts of two windows (default 1). */
  sequenceStride?: number;
  /** Steps between two steps of a window (default 1): 6 takes every sixth row. */
  samplingRate?: number;
  /** Windows per batch (default 128, as in Keras). */
  batchSize?: number;
  /** Shuffle the windows once, with `seed` (default false, in time order). */
  shuffle?: boolean;
  seed?: number;
  /** The first row windows may start at (default 0). */
  startIndex?: number;
  /** The row after the last one windows may use (default: every row). */
  endIndex?: number;
}

const OPTIONS = optionNames<TimeseriesDatasetOptions>({ sequenceLength: true, sequenceStride: true, samplingRate: true, batchSize: true, shuffle: true, seed: true, startIndex: true, endIndex: true });

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`timeseriesDatasetFromArray: ${name} must be a positive integer. Received: ${name}=${JSON.stringify(value)}.`);
  return value;
}

/** Copies rows `rows` of `values` (each `width` long) one after another. */
function gather(values: ArrayLike<number>, rows: readonly number[], width: number, into: Float32Array | Int32Array, at: number): void {
  rows.forEach((row, k) => {
    for (let j = 0; j < width; j++) into[at + k * width + j] = values[row * width + j];
  });
}

/**
 * Sliding windows over a time series, as Keras' `keras.utils.timeseries_dataset_from_array`: a
 * dataset of batches `{ xs, ys }`, `xs` `[batch, sequenceLength, ...features]` taken from the rows of
 * `data` (`[steps, ...features]`), and `ys` the rows of `targets` at each window's first step (so
 * pass targets shifted by the horizon); without targets, batches of windows alone. Feed it to
 * `model.fit(dataset)`.
 *
 * @example
 * ```ts
 * // Predict the value 10 steps ahead from the last 10.
 * const ds = km.utils.timeseriesDatasetFromArray(series.slice(0, n - 10), series.slice(10, n - 10), { sequenceLength: 10, batchSize: 32 });
 * await model.fit(ds, { epochs: 5 });
 * ```
 */
export function timeseriesDatasetFromArray(data: Tensor, targets: Tensor | null, options: TimeseriesDatasetOptions): Dataset<{ xs: Tensor; ys: Tensor } | Tensor> {
  checkTensor(data, 'timeseriesDatasetFromArray data');
  if (targets !== null) checkTensor(targets, 'timeseriesDatasetFromArray targets');
  checkOptions(options, OPTIONS, 'timeseriesDatasetFromArray');
  const length = positive(options?.sequenceLength, 'sequenceLength');
  const stride = positive(options.sequenceStride ?? 1, 'sequenceStride');
  const rate = positive(options.samplingRate ?? 1, 'samplingRate');
  const batchSize = positive(options.batchSize ?? 128, 'batchSize');
  const steps = data.shape[0];
  const start = options.startIndex ?? 0;
  const end = options.endIndex ?? steps;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > steps || start >= end) {
    throw new Error(`timeseriesDatasetFromArray: startIndex and endIndex must satisfy 0 ≤ startIndex < endIndex ≤ ${steps} (the rows of data). Received: startIndex=${start}, endIndex=${end}.`);
  }
  let windows = end - start - (length - 1) * rate;
  if (targets !== null) windows = Math.min(windows, targets.shape[0] - start);
  if (windows < 1) throw new Error(`timeseriesDatasetFromArray: rows ${start} to ${end} hold no window of ${length} steps ${rate} apart (${(length - 1) * rate + 1} rows). Give more data, or a shorter sequenceLength or samplingRate.`);
  const starts = Int32Array.from({ length: Math.ceil(windows / stride) }, (_, k) => start + k * stride);
  if (options.shuffle) new Random(options.seed ?? 0).shuffle(starts);
  const width = data.size / steps;
  const targetWidth = targets === null ? 0 : targets.size / targets.shape[0];
  const [values, targetValues] = [data.dataSync(), targets?.dataSync()];
  return new Dataset(async function* () {
    for (let b = 0; b < starts.length; b += batchSize) {
      const batch = Array.from(starts.subarray(b, b + batchSize));
      const xs = data.dtype === 'int32' ? new Int32Array(batch.length * length * width) : new Float32Array(batch.length * length * width);
      batch.forEach((first, i) => gather(values, Array.from({ length }, (_, k) => first + k * rate), width, xs, i * length * width));
      const windowsTensor = new Tensor(xs, [batch.length, length, ...data.shape.slice(1)], data.dtype);
      if (targets === null) {
        yield windowsTensor;
        continue;
      }
      const ys = targets.dtype === 'int32' ? new Int32Array(batch.length * targetWidth) : new Float32Array(batch.length * targetWidth);
      gather(targetValues!, batch, targetWidth, ys, 0);
      yield { xs: windowsTensor, ys: new Tensor(ys, [batch.length, ...targets.shape.slice(1)], targets.dtype) };
    }
  }, Math.ceil(starts.length / batchSize));
}
