import * as km from '../index.js';

/**
 * Keras' customizing-fit train step: the compiled loss of a training pass with `computeLoss`,
 * applied by the model's optimizer, and logged with `computeMetrics` of the same predictions.
 */
export function measuredStep(this: km.LayersModel, [xs, ys, sampleWeight]: km.StepData): km.StepLogs {
  let metrics: Record<string, number> = {};
  const { value, grads } = km.variableGrads(() => {
    const yPred = this.apply(xs as km.Tensor, { training: true });
    metrics = this.computeMetrics(ys, yPred, sampleWeight as km.Tensor | undefined);
    return this.computeLoss(ys, yPred, sampleWeight as km.Tensor | undefined);
  }, this.trainableWeights);
  this.optimizer!.applyGradients(grads);
  return { loss: value, ...metrics };
}
