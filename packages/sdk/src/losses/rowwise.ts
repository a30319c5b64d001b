import type { RowwiseLossKind } from '../backend/backend.js';
import type { Loss } from './losses.js';
import { units, validateDense } from './targets.js';

/** A loss whose per-sample term couples the output row (a max or a norm over the last axis). */
function rowwiseLoss(kind: RowwiseLossKind): Loss {
  return {
    name: kind,
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      validateDense(kind, y, outputShape);
    },
    compute(backend, output, targets, grad, batch, outputShape) {
      return backend.rowwiseLoss(kind, output, targets, grad, batch, units(outputShape), 1 / batch);
    },
  };
}

export const ROWWISE_LOSSES: Record<RowwiseLossKind, Loss> = {
  categoricalHinge: rowwiseLoss('categoricalHinge'),
  cosineSimilarity: rowwiseLoss('cosineSimilarity'),
};
