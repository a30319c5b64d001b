import type { OverlapCoefficients } from '../backend/backend.js';
import { mapScalar } from '../backend/backend.js';
import type { Loss } from './losses.js';
import { rejectClassLabels, units, validateDense } from './targets.js';

/** Dice: 1 − 2·Σt·p / (Σt + Σp + ε). */
export const DICE: OverlapCoefficients = { numerator: 2, truePositives: 0, targets: 1, predictions: 1 };

/** Tversky with Keras' α (false positives as Keras counts them: Σ(1 − p)·t) and β (Σp·(1 − t)). */
export function tverskyCoefficients(alpha: number, beta: number): OverlapCoefficients {
  return { numerator: 1, truePositives: 1 - alpha - beta, targets: alpha, predictions: beta };
}

/**
 * Dice or Tversky with Keras 3's default reduction (axis=None): one overlap over every value of the
 * batch, not a mean of per-sample overlaps, so a batch's loss is that single number.
 */
export function overlapLoss(name: 'dice' | 'tversky', coefficients: OverlapCoefficients): Loss {
  return {
    name,
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      rejectClassLabels(name, y, outputShape, `${name === 'dice' ? 'Dice' : 'Tversky'} compares each predicted value with a target mask of the output's shape.`);
      validateDense(name, y, outputShape);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
      if (weights) {
        throw new Error(
          `Loss '${name}' is one overlap over the whole batch (Keras' axis=None), so it has no per-sample or per-position terms for sample weights, class weights or a mask to weigh. ` +
            `Train without sampleWeight/classWeight and without a masking layer before the output, or use a per-sample loss such as 'binaryFocalCrossentropy'.`,
        );
      }
      const n = batch * units(outputShape);
      // The batch mean of a batch-wide loss is the loss itself; the caller divides the sum by batch.
      return mapScalar(backend.overlapLoss(output, targets, grad, 1, n, 1, coefficients), (loss) => loss * batch);
    },
  };
}
