// How a recurrent layer steps over padding (a mask from embedding({ maskZero }) or masking()).
import type { Backend, BufferId } from '../backend/backend.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';

/**
 * tfjs' rnn() with a mask: at a masked row the step's output and states are the previous step's
 * (zeros before the first), so the state runs over padding unchanged. `units` is the state width.
 */
export function carryOverMasked(backend: Backend, mask: BufferId, step: RecurrentStep, units: number): void {
  backend.maskSelectRows(mask, step.h, step.hPrev, step.rows, units);
  step.state.forEach((state, k) => backend.maskSelectRows(mask, state, step.statePrev[k], step.rows, units));
}

/**
 * The backward pass of that selection, before the cell's: a masked row's dh goes to dhPrev, and its
 * carried gradients are set aside in `saved` (restored after the cell), so the cell sees zeros there
 * and its gradients at padding are zero.
 */
export function routeMaskedGrads(backend: Backend, mask: BufferId, step: RecurrentStepGrad, saved: readonly BufferId[], units: number): void {
  const rows = step.rows;
  backend.maskSelectRowsGrad(mask, step.dh, step.dhPrev, rows, units);
  step.carry.forEach((carry, k) => {
    backend.copy(carry, saved[k], rows * units);
    backend.maskSelectRowsGrad(mask, carry, 0, rows, units);
  });
}
