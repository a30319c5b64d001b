// A loss written as tfjs and Keras users write one, a function of tensors, run on the host with
// km's ops and differentiated by their tape (km.valueAndGrads).
import { hostTensor } from '../backend/host_tensor.js';
import type { Shape } from '../layers/layer.js';
import { UnconnectedGradientError, valueAndGrads } from '../ops/gradients.js';
import { describeValue } from '../ops/operand.js';
import { mean, sum } from '../ops/reduce.js';
import { mul } from '../ops/arithmetic.js';
import { tidy } from '../ops/tidy.js';
import { Tensor, shapeSize } from '../tensor.js';
import type { Loss } from './losses.js';
import { isClassLabels, positions, validateDense } from './targets.js';

/**
 * A loss as tfjs' `compile` takes one: the targets and the model's output, both
 * `[batch, ...outputShape]` float32, to the loss of each sample (`[batch]`), of each position
 * (`[batch, steps]`) or of each value, built from km's ops (`km.mean`, `km.square`, ...), whose
 * gradient kerasm derives. The batch's loss is the mean of what it returns.
 */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * `fn` as a {@link Loss}: each batch's output and targets are read to the host, `fn` runs on them
 * there, and the gradient of its mean (weighted by masks and sample weights) is written back. The
 * output stays as the model computes it (a softmax output gives probabilities).
 */
export function functionLoss(fn: LossFunction): Loss {
  const name = fn.name === '' ? 'lossFunction' : fn.name;
  const where = `The loss function ${fn.name === '' ? '(anonymous)' : `'${name}'`}`;
  return {
    name,
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      if (isClassLabels(y, outputShape)) {
        const classes = outputShape[outputShape.length - 1];
        throw new Error(
          `${where} receives targets shaped like the model's output, [${[y.shape[0], ...outputShape].join(', ')}], as tfjs passes them, but these of shape [${y.shape.join(', ')}] (${y.dtype}) look like integer class labels. ` +
            `One-hot encode them with km.utils.toCategorical(y, ${classes}), or compile loss 'sparseCategoricalCrossentropy'.`,
        );
      }
      validateDense(name, y, outputShape);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
      return tidy(() => {
        const shape = [batch, ...outputShape];
        const yTrue = hostTensor(backend, targets, shape, where);
        const yPred = hostTensor(backend, output, shape, where);
        const positionWeights = weights ? hostTensor(backend, weights, [batch * positions(outputShape)], where).dataSync() : undefined;
        const batchLoss = (prediction: Tensor) => weightedMean(where, returnedLoss(where, fn(yTrue, prediction)), outputShape, positionWeights);
        if (!grad) return batchLoss(yPred).dataSync()[0] * batch;
        const { value, grads } = gradientOf(where, batchLoss, yPred);
        backend.write(grad, grads[0].dataSync());
        return value.dataSync()[0] * batch;
      });
    },
  };
}

function gradientOf(where: string, batchLoss: (prediction: Tensor) => Tensor, yPred: Tensor): { value: Tensor; grads: Tensor[] } {
  try {
    return valueAndGrads((prediction: Tensor) => batchLoss(prediction))([yPred]);
  } catch (error) {
    if (!(error instanceof UnconnectedGradientError)) throw error;
    throw new Error(
      `${where} returned a loss that does not depend on yPred through km's differentiable ops, so it gives no gradient to train with. ` +
        'Counts have none (km.metrics.binaryAccuracy and the other accuracies, precision, recall, argMax), nor have values read with dataSync(): write the loss with km.sub, km.square, km.mean and the other km ops.',
      { cause: error },
    );
  }
}

function returnedLoss(where: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  throw new Error(`${where} returned ${describeValue(value)}, but it must return a km.Tensor synchronously: the loss of each sample, such as km.mean(km.square(km.sub(yPred, yTrue)), -1). Compute it with km's ops on yTrue and yPred.`);
}

/**
 * The batch's loss from what the function returned: its mean, or with per-position weights (which
 * sum the batch mean) Σ weight · loss, where a loss per value is first averaged over each
 * position's values and a loss per sample weighs its positions' weights summed.
 */
function weightedMean(where: string, loss: Tensor, outputShape: Shape, weights: Float32Array | undefined): Tensor {
  if (!weights) return mean(loss);
  const batch = weights.length / positions(outputShape);
  const positionAxes = [batch, ...outputShape.slice(0, -1)];
  const lead = Math.min(loss.shape.length, positionAxes.length);
  if (loss.shape.length === 0 || positionAxes.slice(0, lead).some((d, i) => loss.shape[i] !== d)) {
    throw new Error(
      `${where} returned a loss of shape [${loss.shape.join(', ')}], but sample weights or a mask weigh each ${positionAxes.length > 1 ? 'position' : 'sample'} of the batch, so its shape must begin with [${positionAxes.slice(0, Math.max(lead, 1)).join(', ')}]. ` +
        'Return one loss per sample (reduce only the last axis, e.g. km.mean(..., -1)), not the batch mean.',
    );
  }
  // A loss per sample (or per leading position axes) weighs the weights of the positions it covers.
  const covered = shapeSize(positionAxes.slice(lead));
  const summed = new Float32Array(weights.length / covered);
  for (let i = 0; i < weights.length; i++) summed[Math.floor(i / covered)] += weights[i];
  const perValue = shapeSize(loss.shape.slice(lead));
  const weightShape = [...loss.shape.slice(0, lead), ...loss.shape.slice(lead).map(() => 1)];
  return mul(sum(mul(loss, new Tensor(summed, weightShape, 'float32'))), 1 / perValue);
}
