// A metric written as tfjs and Keras users write one, a function of tensors: Keras' MeanMetricWrapper.
import { describeValue } from '../ops/operand.js';
import { Tensor } from '../tensor.js';
import type { TensorMetric } from './tensor_metric.js';

/**
 * A metric as tfjs' `compile` takes one: the targets (as the loss takes them) and the model's output
 * to a value per sample, per position or per value, built from km's ops. It is reported under the
 * function's name as the mean over the epoch, weighted as the loss is for `weightedMetrics`.
 */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * `fn` as a Keras-form metric: the epoch's mean of what `fn` returns for each batch. With
 * `sampleWeight` (one weight per position), values beyond the weight's axes are averaged first and
 * the mean is Σ weight · value / Σ weight, as Keras' `Mean` reduces them.
 */
export function functionMetric(fn: MetricFunction): TensorMetric {
  if (fn.name === '') {
    throw new Error("compile's metric is an anonymous function, but a metric's name is its key in logs and History, which Keras and tfjs take from the function's name. Name it: const meanError = (yTrue, yPred) => km.mean(km.abs(km.sub(yPred, yTrue)), -1); metrics: [meanError].");
  }
  const where = `The metric function '${fn.name}'`;
  let total = 0;
  let count = 0;
  return {
    name: fn.name,
    reset() {
      total = 0;
      count = 0;
    },
    updateState(yTrue, yPred, sampleWeight) {
      const value: unknown = fn(yTrue, yPred);
      if (!(value instanceof Tensor)) throw new Error(`${where} returned ${describeValue(value)}, but it must return a km.Tensor synchronously, e.g. km.mean(km.abs(km.sub(yPred, yTrue)), -1).`);
      const values = value.dataSync();
      value.dispose();
      if (!sampleWeight) {
        for (const v of values) total += v;
        count += values.length;
        return;
      }
      const weights = sampleWeight.dataSync();
      if (values.length % weights.length !== 0 || value.shape[0] !== sampleWeight.shape[0]) {
        throw new Error(`${where} returned values of shape [${value.shape.join(', ')}], which the weights of shape [${sampleWeight.shape.join(', ')}] (one per ${sampleWeight.shape.length > 1 ? 'position' : 'sample'}) cannot weigh. Return one value per sample, such as km.mean(..., -1).`);
      }
      const perWeight = values.length / weights.length;
      for (let i = 0; i < weights.length; i++) {
        let v = 0;
        for (let j = 0; j < perWeight; j++) v += values[i * perWeight + j];
        total += (weights[i] * v) / perWeight;
        count += weights[i];
      }
    },
    result: () => (count === 0 ? 0 : total / count),
  };
}
