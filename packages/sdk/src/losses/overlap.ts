import type { OverlapCoefficients } from '../backend/backend.js';
import { mapScalar } from '../backend/backend.js';
import type { Loss } from './losses.js';
import { rejectClassLabels, validateDense } from './targets.js';
import { shapeSize } from '../tensor.js';
import type { Shape } from '../layers/layer.js';

/** Dice: 1 − 2·Σt·p / (Σt + Σp + ε). */
export const DICE: OverlapCoefficients = { numerator: 2, truePositives: 0, targets: 1, predictions: 1 };

/** Tversky with Keras' α (false positives as Keras counts them: Σ(1 − p)·t) and β (Σp·(1 − t)). */
export function tverskyCoefficients(alpha: number, beta: number): OverlapCoefficients {
  return { numerator: 1, truePositives: 1 - alpha - beta, targets: alpha, predictions: beta };
}

/**
 * The axes an overlap is taken over, counting the batch as 0 (Keras' `axis`), or null for one
 * overlap over the whole batch (Keras' default axis=None).
 */
export type OverlapAxis = number | readonly number[] | null;

/**
 * How a batch splits into overlaps: `groups` runs of `groupSize` consecutive values. The axes must be
 * the last ones of the output (e.g. `[1, 2, 3]` of `[batch, h, w, c]`: one overlap per sample, or
 * `-1`: one per position), since the kernel reads each overlap's values in one run.
 */
function overlapGroups(name: string, axis: OverlapAxis, batch: number, outputShape: Shape): { groups: number; groupSize: number } {
  const full = [batch, ...outputShape];
  if (axis === null) return { groups: 1, groupSize: full.reduce((a, b) => a * b, 1) };
  const rank = full.length;
  const axes = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  const first = rank - axes.length;
  if (axes.some((a, i) => a !== first + i)) {
    throw new Error(
      `Loss '${name}' with axis=${JSON.stringify(axis)} on outputs of shape [null, ${outputShape.join(', ')}]: kerasm takes the overlap over the last axes of the output, counting the batch as 0 ` +
        `(e.g. axis: [${Array.from({ length: rank - 1 }, (_, i) => i + 1).join(', ')}] for one overlap per sample, or axis: -1 for one per position), or over every axis (axis: null).`,
    );
  }
  const groupSize = full.slice(first).reduce((a, b) => a * b, 1);
  return { groups: (batch * shapeSize(outputShape)) / groupSize, groupSize };
}

/**
 * Dice or Tversky with Keras 3's reduction: one overlap over `axis` for each position of the other
 * axes, averaged. With axis null (Keras' default) that is one overlap over every value of the batch,
 * not a mean of per-sample overlaps, so a batch's loss is that single number.
 */
export function overlapLoss(name: 'dice' | 'tversky', coefficients: OverlapCoefficients, axis: OverlapAxis = null): Loss {
  return {
    name,
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      rejectClassLabels(name, y, outputShape, `${name === 'dice' ? 'Dice' : 'Tversky'} compares each predicted value with a target mask of the output's shape.`);
      validateDense(name, y, outputShape);
      overlapGroups(name, axis, 1, outputShape);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
      if (weights) {
        throw new Error(
          axis === null
            ? `Loss '${name}' is one overlap over the whole batch (Keras' axis=None), so it has no per-sample or per-position terms for sample weights, class weights or a mask to weigh. ` +
                `Train without sampleWeight/classWeight and without a masking layer before the output, or use a per-sample loss such as 'binaryFocalCrossentropy'.`
            : `Loss '${name}' with axis=${JSON.stringify(axis)} does not take sample weights, class weights or a mask in kerasm yet. ` +
                `Train without sampleWeight/classWeight and without a masking layer before the output, or use a per-sample loss such as 'binaryFocalCrossentropy'.`,
        );
      }
      const { groups, groupSize } = overlapGroups(name, axis, batch, outputShape);
      // The mean over the groups is the batch's loss; the caller divides the returned sum by batch.
      return mapScalar(backend.overlapLoss(output, targets, grad, groups, groupSize, 1 / groups, coefficients), (loss) => (loss * batch) / groups);
    },
  };
}
