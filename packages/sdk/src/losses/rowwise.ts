import type { Loss } from './losses.js';
import { mapScalar, type RowwiseLossKind } from '../backend/backend.js';
import { lastAxis, positions, validateDense } from './targets.js';

/** A loss whose term couples the last axis (a max or a norm), at every position, averaged over the positions as Keras does. */
function rowwiseLoss(kind: RowwiseLossKind): Loss {
  return {
    name: kind,
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      validateDense(kind, y, outputShape);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
      const rows = batch * positions(outputShape);
      const sum = backend.rowwiseLoss(kind, output, targets, grad, rows, lastAxis(outputShape), weights ? 1 : 1 / rows, weights);
      return mapScalar(sum, (s) => (weights ? s * batch : s / positions(outputShape)));
    },
  };
}

export const ROWWISE_LOSSES: Record<RowwiseLossKind, Loss> = {
  categoricalHinge: rowwiseLoss('categoricalHinge'),
  cosineSimilarity: rowwiseLoss('cosineSimilarity'),
};
