import type { Backend, BufferId } from '../backend/backend.js';

/** Keras 3's EMA options, common to every optimizer. */
export interface EmaArgs {
  /** Keep an exponential moving average of the weights, written into them at the end of `fit` (default false). */
  useEma?: boolean;
  /** The average's momentum, in [0, 1] (default 0.99): average = m·average + (1 − m)·weights. */
  emaMomentum?: number;
  /** Also overwrite the weights with the average every this many updates, an integer ≥ 1 (default null: never). */
  emaOverwriteFrequency?: number | null;
}

/** Validated EMA settings; `null` when `useEma` is off. */
export interface EmaSettings {
  readonly momentum: number;
  readonly overwriteFrequency: number | null;
}

/** Checks the EMA options as Keras does, with errors that name the received value. */
export function emaSettings(className: string, args: EmaArgs): EmaSettings | null {
  const use = args.useEma ?? false;
  if (typeof use !== 'boolean') throw new Error(`${className}: useEma must be true or false. Received: useEma=${String(use)}.`);
  const momentum = args.emaMomentum ?? 0.99;
  if (!(typeof momentum === 'number' && momentum >= 0 && momentum <= 1)) {
    throw new Error(`${className}: emaMomentum must be in [0, 1]. Received: emaMomentum=${String(momentum)}.`);
  }
  const frequency = args.emaOverwriteFrequency ?? null;
  if (frequency !== null && !(Number.isInteger(frequency) && frequency >= 1)) {
    throw new Error(`${className}: emaOverwriteFrequency must be an integer ≥ 1 (updates between overwrites), or null for never. Received: emaOverwriteFrequency=${String(frequency)}.`);
  }
  if (!use) {
    if (args.emaMomentum !== undefined || frequency !== null) {
      throw new Error(`${className}: emaMomentum and emaOverwriteFrequency take effect only with useEma: true. Received: useEma=${use}. Add useEma: true, or drop them.`);
    }
    return null;
  }
  return { momentum, overwriteFrequency: frequency };
}

/**
 * The moving average of the trainable weights (one buffer laid out like them), updated after each
 * optimizer step as Keras 3 does: the first step copies the weights, later ones blend them in.
 */
export class WeightAverage {
  readonly id: BufferId;
  readonly #size: number;
  /** Whether the next update copies the weights whatever its step (the average restarts). */
  #restart: boolean;

  /** @param restart Start from the weights at the next update rather than at step 1 (the weights were laid out anew). */
  constructor(backend: Backend, size: number, restart = false) {
    this.id = backend.alloc(size, 'float32');
    this.#size = size;
    this.#restart = restart;
  }

  /**
   * Blends the updated `params` into the average; `step` is the update's 1-based number. Built
   * from scale and add so every backend runs it: m·a + (1−m)·p = (1−m)·(a·m/(1−m) + p).
   */
  update(backend: Backend, params: BufferId, step: number, settings: EmaSettings): void {
    const m = settings.momentum;
    if (step === 1 || this.#restart || m === 0) backend.copy(params, this.id, this.#size);
    else if (m < 1) {
      backend.scale(this.id, this.#size, m / (1 - m));
      backend.add(this.id, params, this.id, this.#size);
      backend.scale(this.id, this.#size, 1 - m);
    }
    this.#restart = false;
    if (settings.overwriteFrequency !== null && step % settings.overwriteFrequency === 0) this.overwrite(backend, params);
  }

  /** Writes the average into the weights. */
  overwrite(backend: Backend, params: BufferId): void {
    backend.copy(this.id, params, this.#size);
  }

  /** Exchanges the average and the weights, through a temporary buffer. */
  swap(backend: Backend, params: BufferId): void {
    const temp = backend.alloc(this.#size, 'float32');
    backend.copy(params, temp, this.#size);
    backend.copy(this.id, params, this.#size);
    backend.copy(temp, this.id, this.#size);
    backend.free(temp);
  }

  free(backend: Backend): void {
    backend.free(this.id);
  }
}
