// How a recurrent layer steps over padding (a mask from embedding({ maskZero }) or masking()).
import type { Backend, BufferId } from '../backend/backend.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';

/**
 * One mask value per step from a mask with `positions` values per step (ConvLSTM2D's input mask,
 * one per pixel, as Masking marks a sequence of images): a step is kept when any of its positions
 * is, so a step is masked when its whole frame is padding. Writes into `into` (`steps` values) unless
 * the mask already has one value per step.
 */
export function stepMask(backend: Backend, mask: BufferId, into: BufferId, steps: number, positions: number): BufferId {
  if (positions === 1) return mask;
  backend.maskFromValues(mask, into, steps, positions, 0);
  return into;
}

/**
 * tfjs' rnn() with a mask: at a masked sample the step's output and states are the previous step's
 * (zeros before the first), so the state runs over padding unchanged. `width` is the floats of one
 * sample's state (its `rows / batch` cell rows of units).
 */
export function carryOverMasked(backend: Backend, mask: BufferId, step: RecurrentStep, batch: number, width: number): void {
  backend.maskSelectRows(mask, step.h, step.hPrev, batch, width);
  step.state.forEach((state, k) => backend.maskSelectRows(mask, state, step.statePrev[k], batch, width));
}

/**
 * The backward pass of that selection, before the cell's: a masked row's dh goes to dhPrev, and its
 * carried gradients are set aside in `saved` (restored after the cell), so the cell sees zeros there
 * and its gradients at padding are zero.
 */
export function routeMaskedGrads(backend: Backend, mask: BufferId, step: RecurrentStepGrad, saved: readonly BufferId[], batch: number, width: number): void {
  backend.maskSelectRowsGrad(mask, step.dh, step.dhPrev, batch, width);
  step.carry.forEach((carry, k) => {
    backend.copy(carry, saved[k], batch * width);
    backend.maskSelectRowsGrad(mask, carry, 0, batch, width);
  });
}
