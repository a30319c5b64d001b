import { Callback, type CallbackModel, type FitParams } from './callback.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { withTfjsLogNames } from './tfjs_log_aliases.js';

/** Values reported to callbacks and stored in History: `loss`, metric names, `val_` variants (and tfjs' `acc`, `val_acc`, not enumerated). */
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
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
  /** Before the validation pass at the end of an epoch (Keras' `on_test_begin`). */
  onTestBegin?: (logs?: Logs) => void | Promise<void>;
  /** After the validation pass, before `onEpochEnd`. */
  onTestEnd?: (logs?: Logs) => void | Promise<void>;
  /**
   * After `fit` gave the event loop a turn (see its `yieldEvery`), as tfjs' `onYield`: the epoch,
   * the batch just trained and its logs (the epoch's, with `yieldEvery: 'epoch'`).
   */
  onYield?: (epoch: number, batch: number, logs: Logs) => void | Promise<void>;
  /** Receives the model before `onTrainBegin` (the built-in callbacks use it). */
  setModel?: (model: CallbackModel) => void;
  /** Receives the fit settings before `onTrainBegin`. */
  setParams?: (params: FitParams) => void;
}

/** The names of the hooks `fit` calls. */
export type Hook = Exclude<keyof CustomCallbackArgs, 'setModel' | 'setParams'>;

export const HOOKS = optionNames<Record<Hook, unknown>>({
  onTrainBegin: true, onTrainEnd: true, onEpochBegin: true, onEpochEnd: true, onBatchBegin: true, onBatchEnd: true, onTestBegin: true, onTestEnd: true, onYield: true,
});

/**
 * In a plain-object callback, a key that looks like a hook but is none (Keras' `on_epoch_end`, a
 * typo) would never be called; other keys may hold the callback's own state and are left alone.
 */
function checkHookNames(callback: CustomCallbackArgs, index: number): void {
  if (typeof callback !== 'object' || callback === null || Object.getPrototypeOf(callback) !== Object.prototype) return;
  const hookLike = Object.fromEntries(Object.entries(callback).filter(([key]) => /^on[A-Z_]/.test(key)));
  checkOptions(hookLike, HOOKS, `callbacks[${index}]`);
}

/**
 * Refuses what cannot be a callback: a non-object, and TensorFlow.js' callbacks
 * (tf.callbacks.earlyStopping), which expect a tfjs model from `setModel`; those are told by the
 * `validationData` field every tfjs callback has and kerasm's do not.
 */
function checkCallback(callback: CustomCallbackArgs, index: number): void {
  if (typeof callback !== 'object' || callback === null) {
    throw new Error(`callbacks[${index}] must be a callback: one from km.callbacks, a Callback subclass, or an object of hooks ({ onEpochEnd(epoch, logs) { ... } }). Received: ${callback === null ? 'null' : typeof callback}.`);
  }
  if (callback instanceof Callback || !('validationData' in callback) || typeof callback.setModel !== 'function') return;
  const name = callback.constructor.name;
  const instead = name === 'EarlyStopping' ? 'km.callbacks.earlyStopping({ monitor, minDelta, patience, mode, baseline, restoreBestWeights })' : 'one from km.callbacks, or a plain object of hooks ({ onEpochEnd(epoch, logs) { ... } })';
  throw new Error(`callbacks[${index}] is a TensorFlow.js callback (${name}), which works only with a tfjs model. Use kerasm's: ${instead}.`);
}

/** Calls each hook of a list of callbacks in order, skipping work when no callback has the hook. */
export class CallbackList {
  readonly #callbacks: CustomCallbackArgs[];

  constructor(callbacks: CustomCallbackArgs | readonly CustomCallbackArgs[] | undefined) {
    this.#callbacks = callbacks === undefined ? [] : Array.isArray(callbacks) ? [...callbacks] : [callbacks as CustomCallbackArgs];
    this.#callbacks.forEach(checkCallback);
    this.#callbacks.forEach(checkHookNames);
  }

  /** Adds a callback at the end (or the start, for loggers that must print before the others). */
  add(callback: CustomCallbackArgs, first = false): void {
    if (first) this.#callbacks.unshift(callback);
    else this.#callbacks.push(callback);
  }

  /** Hands every callback the model and the fit settings. */
  configure(model: CallbackModel, params: FitParams): void {
    for (const callback of this.#callbacks) {
      callback.setModel?.(model);
      callback.setParams?.(params);
    }
  }

  has(hook: Hook): boolean {
    return this.#callbacks.some((c) => c[hook]);
  }

  /** Runs a validation pass between the `onTestBegin` and `onTestEnd` hooks (even when it throws). */
  async validation<T>(evaluate: () => Promise<T>): Promise<T> {
    await this.call('onTestBegin');
    try {
      return await evaluate();
    } finally {
      await this.call('onTestEnd');
    }
  }

  async call(hook: 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd', logs?: Logs): Promise<void>;
  async call(hook: 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd', index: number, logs?: Logs): Promise<void>;
  async call(hook: 'onYield', epoch: number, batch: number, logs: Logs): Promise<void>;
  async call(hook: Hook, ...args: (number | Logs | undefined)[]): Promise<void> {
    const given = args.filter((a) => a !== undefined).map((a) => (typeof a === 'object' ? withTfjsLogNames(a) : a));
    for (const callback of this.#callbacks) {
      const fn = callback[hook] as ((...args: unknown[]) => unknown) | undefined;
      if (fn) await fn.call(callback, ...given);
    }
  }

  /** Gives the event loop the turn `turn` waits for, then tells the `onYield` hooks, reading `logs` only for them. */
  async yielded(turn: Promise<void>, epoch: number, batch: number, logs: () => Logs): Promise<void> {
    await turn;
    if (this.has('onYield')) await this.call('onYield', epoch, batch, logs());
  }
}
