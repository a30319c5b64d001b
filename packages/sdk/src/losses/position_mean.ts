import { mapScalar, type Backend, type BufferId, type Scalar } from '../backend/backend.js';
import type { Shape } from '../layers/layer.js';
import type { Loss, LossName } from './losses.js';
import { lastAxis, positions, units, validateDense, validateUnitInterval } from './targets.js';

/**
 * A loss averaged over the last axis at each position (`perPosition` of its `lastAxis` values:
 * lastAxis, or 1 where Keras sums the axis), on an element kernel that takes the gradient scale and
 * the per-position weights. Returns the batch's loss sum (see `Loss.compute`).
 */
export function positionMeanLoss(
  kernel: (gradScale: number, n: number, weights: BufferId | undefined, repeat: number) => Scalar, batch: number, outputShape: Shape, perPosition: number, weights?: BufferId,
): Scalar {
  const n = batch * units(outputShape);
  if (weights) return mapScalar(kernel(1 / perPosition, n, weights, lastAxis(outputShape)), (sum) => (sum * batch) / perPosition);
  const perSample = positions(outputShape) * perPosition;
  return mapScalar(kernel(1 / (batch * perSample), n, undefined, 1), (sum) => sum / perSample);
}

/**
 * A loss of probabilities against one target per value in [0, 1] (binary cross-entropy and its
 * focal form), averaged over the last axis at each position, then over positions and the batch,
 * as Keras reduces them. `kernel` sums the loss over `n` values and writes its gradient.
 */
export function binaryProbabilityLoss(
  name: LossName,
  kernel: (backend: Backend, output: BufferId, targets: BufferId, grad: BufferId, gradScale: number, n: number, weights: BufferId | undefined, repeat: number) => Scalar,
): Loss {
  return {
    name,
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      validateDense(this.name, y, outputShape);
      validateUnitInterval(this.name, y);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
      return positionMeanLoss((scale, n, w, repeat) => kernel(backend, output, targets, grad, scale, n, w, repeat), batch, outputShape, lastAxis(outputShape), weights);
    },
  };
}
