import type { Backend, BufferId } from '../backend/backend.js';
import type { StateSlot } from './state_slots.js';

/** Keras 3's gradient accumulation option, common to every optimizer. */
export interface GradientAccumulationArgs {
  /**
   * Sum the gradients of this many batches and update with their mean on every N-th, an integer ≥ 2
   * (default null: update on every batch). N batches of b samples then step as one batch of N·b
   * would on a mean loss, with the memory of a batch of b. As in Keras 3, `iterations` counts
   * updates, while a learning-rate schedule and the weights' moving average (`useEma`) advance with
   * every batch.
   */
  gradientAccumulationSteps?: number | null;
}

/** The accumulator's state slot, under Keras 3's name. */
export const GRADIENT_ACCUMULATOR: StateSlot = { name: 'gradient_accumulator' };

/** Checks the option as Keras does (and refuses the fractions Keras lets through), naming the received value. */
export function gradientAccumulationSteps(className: string, args: GradientAccumulationArgs): number | null {
  const steps = args.gradientAccumulationSteps ?? null;
  if (steps !== null && !(Number.isInteger(steps) && steps >= 2)) {
    throw new Error(`${className}: gradientAccumulationSteps must be an integer ≥ 2 (the batches whose gradients make one update), or null to update on every batch. Received: gradientAccumulationSteps=${String(steps)}.`);
  }
  return steps;
}

/** Adds a batch's gradients into the accumulator, on the device. */
export function accumulateGradients(backend: Backend, accumulator: BufferId, grads: BufferId, size: number): void {
  backend.add(accumulator, grads, accumulator, size);
}

/** Turns `grads` into the mean of the accumulated batches and this one, and empties the accumulator. */
export function takeMeanGradients(backend: Backend, accumulator: BufferId, grads: BufferId, size: number, steps: number): void {
  backend.add(grads, accumulator, grads, size);
  backend.scale(grads, size, 1 / steps);
  backend.fill(accumulator, size, 0);
}
