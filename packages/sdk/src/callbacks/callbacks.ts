import type { LayersModel } from '../engine/model.js';

/** Values reported to callbacks and stored in History: `loss`, metric names, `val_` variants. */
export type Logs = Record<string, number>;

/**
 * Hooks called during `fit`, with Keras' names in camelCase. Any hook may return a promise, which
 * training awaits.
 *
 * @example
 * ```ts
 * await model.fit(x, y, { callbacks: { onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) } });
 * ```
 */
export interface CustomCallbackArgs {
  /** Called by `fit` before training with the model being trained. */
  setModel?: (model: LayersModel) => void;
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
}

type Hook = Exclude<keyof CustomCallbackArgs, 'setModel'>;

/** Calls each hook of a list of callbacks in order, skipping work when no callback has the hook. */
export class CallbackList {
  readonly #callbacks: CustomCallbackArgs[];

  constructor(callbacks: CustomCallbackArgs | readonly CustomCallbackArgs[] | undefined) {
    this.#callbacks = callbacks === undefined ? [] : Array.isArray(callbacks) ? [...callbacks] : [callbacks as CustomCallbackArgs];
  }

  has(hook: Hook): boolean {
    return this.#callbacks.some((c) => c[hook]);
  }

  async call(hook: 'onTrainBegin' | 'onTrainEnd', logs?: Logs): Promise<void>;
  async call(hook: 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd', index: number, logs?: Logs): Promise<void>;
  async call(hook: Hook, a?: number | Logs, b?: Logs): Promise<void> {
    for (const callback of this.#callbacks) {
      const fn = callback[hook] as ((...args: unknown[]) => unknown) | undefined;
      if (fn) await fn.call(callback, ...(a === undefined ? [] : [a]), ...(b === undefined ? [] : [b]));
    }
  }
}
