// A km.metrics factory that is also tfjs-layers' tf.metrics function of its name: called with
// (yTrue, yPred) it computes the value now, on the host; with options or nothing it makes the metric.
import type { Tensor, TensorLike } from '../tensor.js';
import { isTensorCall, tensorPair } from '../utils/tensor_call.js';
import type { Metric } from './metric.js';

/** A km.metrics factory with tfjs' tensor form. */
export interface MetricFunction<A> {
  /**
   * tfjs' `tf.metrics` form: the value for these tensors, computed now (float32, tfjs' shape: one
   * value per sample for most, a scalar for precision, recall and r2Score).
   */
  (yTrue: Tensor | TensorLike, yPred: Tensor | TensorLike): Tensor<'float32'>;
  /** The factory form: a metric for `compile`. */
  (args?: A): Metric;
}

/** `factory` with the tensor form `compute`; `call` names it in errors ('km.metrics.binaryAccuracy'). */
export function withTensorForm<A>(call: string, factory: (args?: A) => Metric, compute: (yTrue: Tensor, yPred: Tensor) => Tensor<'float32'>): MetricFunction<A> {
  return ((...args: unknown[]) => (isTensorCall(args) ? compute(...tensorPair(call, args)) : factory(args[0] as A))) as MetricFunction<A>;
}
