import type { ElementwiseLossKind } from '../backend/backend.js';
import type { Loss } from './losses.js';
import { positionMeanLoss } from './position_mean.js';
import { lastAxis, validateDense } from './targets.js';

/** Names of the losses that run on the per-element loss kernel. */
export type ElementwiseLossName = Exclude<ElementwiseLossKind, 'binaryCrossentropyFromLogits'>;

/**
 * A loss made of per-element terms. Keras averages them over the last axis per sample (KLD sums
 * them), then over the batch; `param` is passed to the kernel (Huber's delta, label smoothing).
 */
export function elementwiseLoss(name: Loss['name'], kind: ElementwiseLossKind, options: { param?: number; sumLastAxis?: boolean; validate?: Loss['validateTargets'] } = {}): Loss {
  return {
    name,
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      validateDense(name, y, outputShape);
      options.validate?.(y, outputShape);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
      // Keras reduces the last axis (mean, or sum for KLD), then averages every other position.
      const perPosition = options.sumLastAxis ? 1 : lastAxis(outputShape);
      return positionMeanLoss((scale, n, w, repeat) => backend.elementwiseLoss(kind, output, targets, grad, n, scale, options.param ?? 0, w, repeat), batch, outputShape, perPosition, weights);
    },
  };
}

/** Huber loss with Keras' `delta` (default 1). */
export function huberLoss(delta = 1): Loss {
  if (!(delta > 0) || !Number.isFinite(delta)) throw new Error(`Loss 'huber': delta must be a positive number. Received: delta=${delta}.`);
  return elementwiseLoss('huber', 'huber', { param: delta });
}

export const ELEMENTWISE_LOSSES: Record<ElementwiseLossName, Loss> = {
  meanAbsoluteError: elementwiseLoss('meanAbsoluteError', 'meanAbsoluteError'),
  meanAbsolutePercentageError: elementwiseLoss('meanAbsolutePercentageError', 'meanAbsolutePercentageError'),
  meanSquaredLogarithmicError: elementwiseLoss('meanSquaredLogarithmicError', 'meanSquaredLogarithmicError'),
  huber: huberLoss(),
  logCosh: elementwiseLoss('logCosh', 'logCosh'),
  poisson: elementwiseLoss('poisson', 'poisson'),
  kullbackLeiblerDivergence: elementwiseLoss('kullbackLeiblerDivergence', 'kullbackLeiblerDivergence', { sumLastAxis: true }),
  hinge: elementwiseLoss('hinge', 'hinge'),
  squaredHinge: elementwiseLoss('squaredHinge', 'squaredHinge'),
};
