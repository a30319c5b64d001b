import type { Backend, BufferId } from '../backend/backend.js';
import { shapeSize } from '../tensor.js';

/**
 * One state buffer of an optimizer (Adam's `m`), declared once by the optimizer: `attach` allocates
 * it, the update reads it by name, and saving writes it as one tensor per trainable weight.
 */
export interface StateSlot {
  /** kerasm's name for it, e.g. `'m'`. */
  readonly name: string;
  /** The suffix of its saved tensors (`<weight>/<savedName>`: tfjs' name, or Keras 3's); default `name`. */
  readonly savedName?: string;
  /** Every element's starting value (default 0). */
  readonly initialValue?: number;
  /** Its shape for a weight of `shape` (default the weight's own): Adafactor's factored moments are smaller. */
  readonly shapeFor?: (shape: readonly number[]) => number[];
  /** False where kerasm keeps no buffer but the saved format has the slot: saved as zeros. */
  readonly kept?: boolean;
  /** The saved value is kerasm's divided by this (SGD's momentum: kept as Keras' velocity, saved as tfjs' accumulator). */
  readonly savedDivisor?: () => number;
}

/** A declared slot with its buffer on the backend (0 where it is not kept). */
export interface AllocatedSlot extends StateSlot {
  readonly id: BufferId;
}

/** The slot's shape for one weight. */
export function slotShape(slot: StateSlot, shape: readonly number[]): number[] {
  return slot.shapeFor ? slot.shapeFor(shape) : [...shape];
}

/** Allocates each kept slot, laid out like the weights of `shapes`, filled with its initial value. */
export function allocateSlots(backend: Backend, slots: readonly StateSlot[], shapes: readonly (readonly number[])[]): AllocatedSlot[] {
  return slots.map((slot) => {
    if (slot.kept === false) return { ...slot, id: 0 };
    const length = shapes.reduce((n, shape) => n + shapeSize(slotShape(slot, shape)), 0);
    const id = backend.alloc(length, 'float32');
    if (slot.initialValue) backend.fill(id, length, slot.initialValue);
    return { ...slot, id };
  });
}

/** Frees the buffers of `slots`. */
export function freeSlots(backend: Backend, slots: readonly AllocatedSlot[]): void {
  for (const slot of slots) if (slot.id) backend.free(slot.id);
}
