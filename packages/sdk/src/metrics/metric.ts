import { mapScalar, type Backend, type BufferId, type Scalar } from '../backend/backend.js';
import type { Shape } from '../layers/layer.js';
import { lastAxis, positions, units } from '../losses/targets.js';
import type { TensorMetric } from './tensor_metric.js';

/** One batch as a metric sees it. */
export interface MetricBatch {
  readonly backend: Backend;
  /** The model's outputs for the batch (probabilities where the output is softmax). */
  readonly output: BufferId;
  /** The targets on the device: class labels or rows shaped like the output. */
  readonly targets: BufferId;
  readonly batch: number;
  readonly outputShape: Shape;
  /** Whether the targets are one integer label per sample rather than rows. */
  readonly labelTargets: boolean;
  /** The batch's targets on the host (labels or rows, as on the device). */
  readonly hostTargets: Float32Array | Int32Array;
  /** The batch's outputs read back once, shared by every metric that needs them. */
  hostOutputs(): Promise<Float32Array>;
  /**
   * The weight of each position (`batch × positions` values), or 0 when every position weighs 1:
   * the mask the output carries (1 to keep a position, 0 for padding), times the sample weights
   * for a metric compiled as one of `weightedMetrics`. Metrics count and average with these weights,
   * so masked positions are left out and weighted ones count that many times, as in Keras.
   */
  readonly weights: BufferId;
  /** Σ of the positions' weights: batch × positions when every position weighs 1. */
  weightSum(): Scalar;
  /** The weights read back once (null when every position weighs 1), for metrics that count on the host. */
  hostWeights(): Promise<Float32Array> | null;
}

/**
 * A metric with state over an epoch, as in Keras: `reset` at the start of each epoch (and of each
 * validation pass), `update` per batch, `result` whenever the logs are read. A metric of your own
 * may instead take Keras' form, with tensors: see {@link TensorMetric}.
 */
export interface Metric {
  /** The key it is reported under in logs and History (`auc`, `val_auc`). */
  readonly name: string;
  reset(): void;
  update(batch: MetricBatch): void | Promise<void>;
  result(): number;
  /**
   * How a metric configured by `km.metrics` is saved in a training config: Keras' class name and its
   * options (camelCase). Absent on metrics saved by their name.
   */
  readonly savedAs?: SavedMetricForm;
}

/** Keras' class name of a configured metric and the options that rebuild it. */
export interface SavedMetricForm {
  readonly className: string;
  /** null where Keras writes None (an option left unset). */
  readonly config: Readonly<Record<string, string | number | boolean | null | readonly number[]>>;
}

/**
 * A threshold as Keras compares it with the outputs: cast to float32, their dtype. An output that
 * equals the threshold in float32 (0.05 against 0.05, which float32 rounds up) is then not above it.
 */
export function float32Threshold(threshold: number): number {
  return Math.fround(threshold);
}

/** Keras' divide_no_nan: 0 where the denominator is 0. */
export function divideNoNan(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** A metric that is Σ values / Σ counts over the epoch, from one (value, count) per batch. */
export class MeanMetric implements Metric {
  #sum = 0;
  #count = 0;

  constructor(
    readonly name: string,
    private readonly batchValue: (batch: MetricBatch) => [Scalar, Scalar],
    private readonly finish?: (mean: number) => number,
    readonly savedAs?: SavedMetricForm,
  ) {}

  reset(): void {
    this.#sum = 0;
    this.#count = 0;
  }

  /** Synchronous when the backend counted on the calling thread (wasm), so a training step need not await it. */
  update(batch: MetricBatch): void | Promise<void> {
    const [value, count] = this.batchValue(batch);
    if (typeof value === 'number' && typeof count === 'number') {
      this.#sum += value;
      this.#count += count;
      return;
    }
    return Promise.all([value, count]).then(([v, c]) => {
      this.#sum += v;
      this.#count += c;
    });
  }

  result(): number {
    const mean = divideNoNan(this.#sum, this.#count);
    return this.finish ? this.finish(mean) : mean;
  }
}

/** The last-axis size of the output: the classes at each position. */
export function classesOf(batch: MetricBatch): number {
  return lastAxis(batch.outputShape);
}

/** Positions per sample that a class is predicted at: 1 for a [classes] output, steps for [steps, classes]. */
export function positionsOf(batch: MetricBatch): number {
  return positions(batch.outputShape);
}

/** The weight of position i: its value in `weights` as {@link MetricBatch.hostWeights} read them, or 1 without any. */
export function weightAt(weights: Float32Array | null, i: number): number {
  return weights ? weights[i] : 1;
}

/** The weighted count of elements a metric over elements averages: the output's, each position's weighing as in {@link MetricBatch.weights}. */
export function countedElements(batch: MetricBatch): Scalar {
  const perPosition = lastAxis(batch.outputShape);
  return batch.weights ? mapScalar(batch.weightSum(), (n) => n * perPosition) : batch.batch * units(batch.outputShape);
}

/** Output values per sample. */
export function elementsOf(batch: MetricBatch): number {
  return units(batch.outputShape);
}
