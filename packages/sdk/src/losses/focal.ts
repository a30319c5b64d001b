import type { BinaryFocalOptions, CategoricalFocalOptions } from '../backend/backend.js';
import { mapScalar } from '../backend/backend.js';
import type { Loss } from './losses.js';
import { binaryProbabilityLoss } from './position_mean.js';
import { lastAxis, positions, refuseOneUnitRows, rejectClassLabels, validateDense } from './targets.js';

// Keras 3's focal cross-entropies (Lin et al. 2017): a cross-entropy whose terms are scaled by
// (1 − p_t)^γ, so well-classified samples add little and rare, hard ones drive training.

/** Keras 3's defaults of BinaryFocalCrossentropy. */
export const BINARY_FOCAL_DEFAULTS: BinaryFocalOptions = { gamma: 2, alpha: 0.25, applyClassBalancing: false, labelSmoothing: 0, fromLogits: false };

/** Keras 3's defaults of CategoricalFocalCrossentropy. */
export const CATEGORICAL_FOCAL_DEFAULTS: CategoricalFocalOptions = { alpha: 0.25, gamma: 2, labelSmoothing: 0, fromLogits: false };

/** Binary focal cross-entropy: the mean over the last axis at each position, then over positions and the batch (Keras' reduction). */
export function binaryFocalLoss(options: BinaryFocalOptions): Loss {
  return binaryProbabilityLoss('binaryFocalCrossentropy', (backend, output, targets, grad, scale, n, w, repeat) => backend.binaryFocalCrossEntropy(output, targets, grad, n, scale, options, w, repeat));
}

/**
 * Categorical focal cross-entropy: summed over the classes at each position, averaged over the
 * positions and the batch. A softmax output layer hands it its logits, as for categorical
 * cross-entropy; the kernel then writes the probabilities back.
 */
export function categoricalFocalLoss(options: CategoricalFocalOptions): Loss {
  return {
    name: 'categoricalFocalCrossentropy',
    sparseTargets: false,
    fusesSoftmax: true,
    validateTargets(y, outputShape) {
      refuseOneUnitRows(this.name, outputShape);
      rejectClassLabels(this.name, y, outputShape, 'Keras has no sparse focal cross-entropy: the loss takes one-hot (or soft) target rows.');
      validateDense(this.name, y, outputShape);
    },
    compute(backend, output, targets, grad, batch, outputShape, fused, weights) {
      const rows = batch * positions(outputShape);
      const logits = { ...options, fromLogits: options.fromLogits || fused };
      const sum = backend.categoricalFocalCrossEntropy(output, targets, output, grad, rows, lastAxis(outputShape), weights ? 1 : 1 / rows, logits, weights);
      return mapScalar(sum, (s) => (weights ? s * batch : s / positions(outputShape)));
    },
  };
}
