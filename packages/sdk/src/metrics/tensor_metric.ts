import { positions, units } from '../losses/targets.js';
import { tensor, type Tensor } from '../tensor.js';
import type { Metric, MetricBatch } from './metric.js';

/**
 * A metric of your own written as in Keras: `updateState` receives each batch's targets, the model's
 * outputs and the positions' weights as tensors, where kerasm's {@link Metric} form receives one
 * {@link MetricBatch} of device buffers.
 *
 * - `yTrue`: the batch's targets as the loss takes them: rows shaped like the output
 *   (`[batch, ...outputShape]`), or integer labels (`[batch]`, or `[batch, steps]` for a
 *   `[steps, classes]` output).
 * - `yPred`: the output, `[batch, ...outputShape]` (probabilities where the output is softmax).
 * - `sampleWeight`: the weight of each position (`[batch]`, or `[batch, steps]`): the output's mask
 *   (0 on padding) times the sample weights for a metric in compile's `weightedMetrics`; undefined
 *   when every position weighs 1, as Keras passes `sample_weight=None`.
 *
 * @example
 * ```ts
 * const meanPrediction = {
 *   name: 'mean_prediction', sum: 0, count: 0,
 *   reset() { this.sum = 0; this.count = 0; },
 *   updateState(yTrue: km.Tensor, yPred: km.Tensor, sampleWeight?: km.Tensor) {
 *     const p = yPred.dataSync(), w = sampleWeight?.dataSync();
 *     const perPosition = yPred.size / (w?.length ?? yPred.size);
 *     p.forEach((v, i) => { const wi = w ? w[Math.floor(i / perPosition)] : 1; this.sum += v * wi; this.count += wi; });
 *   },
 *   result() { return this.count === 0 ? 0 : this.sum / this.count; },
 * };
 * model.compile({ optimizer: 'adam', loss: 'mse', metrics: [meanPrediction] });
 * ```
 */
export interface TensorMetric {
  /** The key it is reported under in logs and History. */
  readonly name: string;
  reset(): void;
  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void | Promise<void>;
  result(): number;
}

/** A metric object compile takes: kerasm's form ({@link Metric}) or Keras' ({@link TensorMetric}). */
export type MetricObject = Metric | TensorMetric;

/** Whether a metric object is in Keras' form, with `updateState`. */
export function isTensorMetric(metric: MetricObject): metric is TensorMetric {
  return typeof (metric as Partial<TensorMetric>).updateState === 'function';
}

/** The shape targets of `count` rows of `rowSize` values have: the output's, the output's without its classes (labels), or flat. */
function targetShape(batch: MetricBatch, rowSize: number): number[] {
  const { outputShape } = batch;
  if (!batch.labelTargets && rowSize === units(outputShape)) return [batch.batch, ...outputShape];
  if (rowSize === positions(outputShape) && rowSize > 1) return [batch.batch, ...outputShape.slice(0, -1)];
  return rowSize === 1 ? [batch.batch] : [batch.batch, rowSize];
}

function positionShape(batch: MetricBatch): number[] {
  return positions(batch.outputShape) === 1 ? [batch.batch] : [batch.batch, ...batch.outputShape.slice(0, -1)];
}

/** A {@link Metric} that hands each batch to a {@link TensorMetric} as tensors. */
export function tensorMetricAdapter(metric: TensorMetric): Metric {
  return {
    get name() {
      return metric.name;
    },
    reset: () => metric.reset(),
    result: () => metric.result(),
    async update(batch: MetricBatch) {
      // Both reads start now, before the backward pass may overwrite the output buffer.
      const outputs = batch.hostOutputs();
      const weights = batch.hostWeights();
      const targets = batch.hostTargets;
      const yTrue = tensor(targets, targetShape(batch, targets.length / batch.batch), targets instanceof Int32Array ? 'int32' : 'float32');
      const yPred = tensor(await outputs, [batch.batch, ...batch.outputShape]);
      const sampleWeight = weights ? tensor(await weights, positionShape(batch)) : undefined;
      await metric.updateState(yTrue, yPred, sampleWeight);
    },
  };
}
