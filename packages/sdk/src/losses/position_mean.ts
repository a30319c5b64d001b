import { mapScalar, type BufferId, type Scalar } from '../backend/backend.js';
import type { Shape } from '../layers/layer.js';
import { lastAxis, positions, units } from './targets.js';

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
