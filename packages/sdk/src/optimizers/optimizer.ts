import type { Backend, BufferId } from '../backend/backend.js';

/**
 * An optimizer updates the model's flat parameter buffer from its flat gradient buffer in one
 * sweep. State (moments, velocities) lives in backend buffers the optimizer allocates on `attach`.
 */
export abstract class Optimizer {
  /** Keras class name, e.g. `'Adam'`. */
  abstract readonly className: string;
  learningRate: number;
  /** Number of updates applied so far. */
  iterations = 0;
  #backend: Backend | null = null;
  #size = 0;

  constructor(learningRate: number, className: string) {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
      throw new Error(`${className}: learningRate must be a positive finite number. Received: learningRate=${learningRate}.`);
    }
    this.learningRate = learningRate;
  }

  /** Allocates state for `size` parameters on `backend`; called once by `compile`/`fit`. */
  attach(backend: Backend, size: number): void {
    if (this.#backend === backend && this.#size === size) return;
    if (this.#backend) this.releaseState(this.#backend);
    this.#backend = backend;
    this.#size = size;
    this.iterations = 0;
    this.allocateState(backend, size);
  }

  /** Applies one update. */
  apply(params: BufferId, grads: BufferId): void {
    if (!this.#backend) throw new Error(`${this.className} is not attached to a model; compile the model with it first.`);
    this.iterations++;
    this.update(this.#backend, params, grads, this.#size);
  }

  /**
   * The optimizer's state as named flat buffers of the parameter buffer's length (Adam: `m`, `v`),
   * in a fixed order; serialization saves and restores them with `iterations`.
   */
  abstract stateSlots(): readonly { readonly name: string; readonly id: BufferId }[];

  protected abstract allocateState(backend: Backend, size: number): void;
  protected abstract releaseState(backend: Backend): void;
  protected abstract update(backend: Backend, params: BufferId, grads: BufferId, size: number): void;

  /** Plain-data configuration. */
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate };
  }
}

/** Checks a hyper-parameter lies in [low, high) and names it in the error. */
export function checkRange(className: string, name: string, value: number, low: number, high: number): number {
  if (!(value >= low && value < high)) {
    throw new Error(`${className}: ${name} must be in [${low}, ${high}). Received: ${name}=${value}.`);
  }
  return value;
}
