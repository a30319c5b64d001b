import { Callback, type CallbackModel, type FitParams } from './callback.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { isPlainObject } from '../utils/plain_object.js';
import { withTfjsLogNames } from './tfjs_log_aliases.js';
import { hookToRun, warnShadowedAliases } from './batch_hook_alias.js';
import type { Tensor } from '../tensor.js';

/** Values reported to callbacks and stored in History: `loss`, metric names, `val_` variants (and tfjs' `acc`, `val_acc`, not enumerated). */
export type Logs = Record<string, number>;

/**
 * The logs of a training epoch or batch, which always hold the `loss` (so `logs.loss` is a number
 * under `noUncheckedIndexedAccess`), then the metrics and, after validation, the `val_` values.
 */
export type TrainLogs = Logs & { loss: number };

/**
 * The outputs of one `predict` batch, as Keras passes them to `on_predict_batch_end`: shaped as
 * `predict` returns them (one tensor, a list in output order, or an object keyed by output name).
 * Each is a copy of the batch's rows, made only when some callback has `onPredictBatchEnd`; on a
 * GPU backend it stays on the device until read (`await t.data()`) or disposed.
 */
export interface PredictBatchLogs {
  outputs: Tensor<'float32'> | Tensor<'float32'>[] | Record<string, Tensor<'float32'>>;
}

/**
 * Hooks called during `fit`, `evaluate` and `predict`: Keras 3's, in camelCase, beside TensorFlow.js'
 * (`onBatchBegin`/`onBatchEnd`, and `onYield`). `onBatchBegin`/`onBatchEnd` are another name for
 * `onTrainBatchBegin`/`onTrainBatchEnd`, as Keras' `on_batch_*` are, so each batch calls a
 * callback's code once: an object having both runs only `onTrainBatch*` (with a warning), as Keras
 * calls only an overridden `on_train_batch_*`; in a class, the most derived definition runs, so a
 * subclass's `onBatchEnd` overrides an inherited `onTrainBatchEnd` (a built-in callback's) and
 * calls `super.onTrainBatchEnd(batch, logs)` to keep it. Any hook may return a promise, which `fit` and
 * `evaluate` await; `predict` is synchronous and refuses one.
 *
 * A training batch's logs are `{ batch, size, ...running loss and metrics }` (`{ batch, size }` at
 * its start), as tfjs passes them; a test batch's are the same, over the batches evaluated so far.
 * A hook with nothing to report (`onTrainBegin`, `onEpochBegin`, `onTestBegin`, `onPredictBegin`,
 * `onPredictEnd`) gets `{}`, as Keras 3 and tfjs pass it, so `Object.keys(logs)` works in every hook.
 *
 * @example
 * ```ts
 * await model.fit(x, y, { callbacks: { onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) } });
 * model.predict(x, { callbacks: { onPredictBatchEnd: (batch, { outputs }) => console.log(batch, outputs) } });
 * ```
 */
export interface CustomCallbackArgs {
  /** At the start of `fit`. */
  onTrainBegin?: (logs?: Logs) => void | Promise<void>;
  /** At the end of `fit`, with the last epoch's logs ({} when no epoch ran), as Keras 3. */
  onTrainEnd?: (logs?: Logs) => void | Promise<void>;
  onEpochBegin?: (epoch: number, logs?: Logs) => void | Promise<void>;
  /** With the epoch's logs: its loss and metrics, then the validation pass's as `val_` ones. */
  onEpochEnd?: (epoch: number, logs: TrainLogs) => void | Promise<void>;
  /** Before each training batch (Keras' `on_train_batch_begin`), with `{ batch, size }`. */
  onTrainBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  /** After each training batch (Keras' `on_train_batch_end`), with `{ batch, size, ...running logs }`. */
  onTrainBatchEnd?: (batch: number, logs: TrainLogs) => void | Promise<void>;
  /** tfjs' name for {@link CustomCallbackArgs.onTrainBatchBegin}, called in its place on a callback that has no `onTrainBatchBegin`, or that defines `onBatchBegin` in a subclass of the class defining it. */
  onBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  /** tfjs' name for {@link CustomCallbackArgs.onTrainBatchEnd}, called in its place on a callback that has no `onTrainBatchEnd`, or that defines `onBatchEnd` in a subclass of the class defining it. */
  onBatchEnd?: (batch: number, logs: TrainLogs) => void | Promise<void>;
  /** Before `evaluate`, or the validation pass at the end of a `fit` epoch (Keras' `on_test_begin`). */
  onTestBegin?: (logs?: Logs) => void | Promise<void>;
  /** After `evaluate` or the validation pass (before `onEpochEnd`), with its logs, unprefixed (`{ loss, accuracy }`). */
  onTestEnd?: (logs?: Logs) => void | Promise<void>;
  /** Before each batch of `evaluate` or of a validation pass, with `{ batch, size }`. */
  onTestBatchBegin?: (batch: number, logs?: Logs) => void | Promise<void>;
  /** After each batch of `evaluate` or of a validation pass, with `{ batch, size, ...running logs }`. */
  onTestBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
  /** At the start of `predict` (synchronous there, as `predict` is). */
  onPredictBegin?: (logs?: Logs) => void;
  /** At the end of `predict`. */
  onPredictEnd?: (logs?: Logs) => void;
  /** Before each `predict` batch, with `{ batch, size }`. */
  onPredictBatchBegin?: (batch: number, logs?: Logs) => void;
  /** After each `predict` batch, with `{ outputs }`: the batch's outputs (see {@link PredictBatchLogs}). */
  onPredictBatchEnd?: (batch: number, logs: PredictBatchLogs) => void;
  /**
   * After `fit` gave the event loop a turn (see its `yieldEvery`), as tfjs' `onYield`: the epoch,
   * the batch just trained and its logs (the epoch's, with `yieldEvery: 'epoch'`).
   */
  onYield?: (epoch: number, batch: number, logs: Logs) => void | Promise<void>;
  /** Receives the model before the first hook (the built-in callbacks use it). */
  setModel?: (model: CallbackModel) => void;
  /** Receives the settings of the `fit`, `evaluate` or `predict` call before the first hook. */
  setParams?: (params: FitParams) => void;
  /**
   * On a plain object without `setParams`, set to the settings of the `fit`, `evaluate` or `predict`
   * call before the first hook, so a hook reads `this.params` as in tfjs.
   */
  params?: FitParams | null;
}

/** The names of the hooks `fit`, `evaluate` and `predict` call. */
export type Hook = Exclude<keyof CustomCallbackArgs, 'setModel' | 'setParams' | 'params'>;

/** Hooks called with a batch index and its logs: Keras' batch hooks and tfjs' `onBatch*` aliases. */
export type BatchHook = 'onTrainBatchBegin' | 'onTrainBatchEnd' | 'onBatchBegin' | 'onBatchEnd' | 'onTestBatchBegin' | 'onTestBatchEnd';

export const HOOKS = optionNames<Record<Hook, unknown>>({
  onTrainBegin: true, onTrainEnd: true, onEpochBegin: true, onEpochEnd: true, onTrainBatchBegin: true, onTrainBatchEnd: true, onBatchBegin: true, onBatchEnd: true,
  onTestBegin: true, onTestEnd: true, onTestBatchBegin: true, onTestBatchEnd: true, onPredictBegin: true, onPredictEnd: true, onPredictBatchBegin: true, onPredictBatchEnd: true, onYield: true,
});

/** A name a hook could have been meant by: `on` then a capital or `_` (`onEpochEnd`, Keras' `on_epoch_end`), not `once` or `onset`. */
const HOOK_LIKE = /^on[A-Z_]/;

/**
 * A hook-like name that is no hook (Keras' `on_epoch_end`, a typo) would never be called, so it is
 * refused, naming the hook probably meant. In a plain object every such key is checked; other keys
 * may hold the callback's own state. In a class (a `Callback` subclass), such methods are looked
 * for on the instance and up its prototype chain to `Callback`; helpers not starting with `on` are left alone.
 */
function checkHookNames(callback: CustomCallbackArgs, index: number): void {
  if (isPlainObject(callback)) {
    const hookLike = Object.fromEntries(Object.entries(callback).filter(([key]) => HOOK_LIKE.test(key)));
    checkOptions(hookLike, HOOKS, `callbacks[${index}]`);
    return;
  }
  const methods: Record<string, true> = {};
  for (let o: object | null = callback; o !== null && o !== Callback.prototype && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (HOOK_LIKE.test(name) && typeof Object.getOwnPropertyDescriptor(o, name)?.value === 'function') methods[name] = true;
    }
  }
  try {
    checkOptions(methods, HOOKS, `callbacks[${index}] (${callback.constructor.name || 'a class'})`);
  } catch (e) {
    throw new Error(`${(e as Error).message} A method whose name starts with 'on' is taken for a hook, and this one would never be called: rename it to the hook, or, for a helper, to a name not starting with 'on'.`);
  }
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
  /** The model of the running call, from {@link configure}: {@link test} resets its `stopEvaluating`. */
  #model: CallbackModel | null = null;

  constructor(callbacks: CustomCallbackArgs | readonly CustomCallbackArgs[] | undefined) {
    this.#callbacks = callbacks === undefined ? [] : Array.isArray(callbacks) ? [...callbacks] : [callbacks as CustomCallbackArgs];
    this.#callbacks.forEach(checkCallback);
    this.#callbacks.forEach(checkHookNames);
    this.#callbacks.forEach(warnShadowedAliases);
  }

  /** Adds a callback at the end (or the start, for loggers that must print before the others). */
  add(callback: CustomCallbackArgs, first = false): void {
    if (first) this.#callbacks.unshift(callback);
    else this.#callbacks.push(callback);
  }

  /** Hands every callback the model and the settings of the `fit`, `evaluate` or `predict` call. */
  configure(model: CallbackModel, params: FitParams): void {
    this.#model = model;
    for (const callback of this.#callbacks) {
      callback.setModel?.(model);
      if (callback.setParams) callback.setParams(params);
      else if (isPlainObject(callback)) callback.params = params;
    }
  }

  /** Whether some callback has `hook`. */
  has(hook: Hook): boolean {
    return this.#callbacks.some((c) => c[hook]);
  }

  /**
   * Of `hooks`, those some callback has. A loop reads this once, and makes a batch's logs only when
   * it is not empty, so that a step with no batch hooks allocates nothing for them.
   */
  having<H extends Hook>(...hooks: H[]): readonly H[] {
    return hooks.filter((hook) => this.has(hook));
  }

  /**
   * Runs a validation or `evaluate` pass between `onTestBegin` and `onTestEnd`, which gets its logs;
   * `onTestEnd` runs even when the pass throws (with {} then), so a callback swapping weights
   * in for it (swapEmaWeights) swaps them back. The model's `stopEvaluating` is reset first, as
   * Keras 3's `evaluate` does (fit's validation pass is such a call, with fit's callbacks).
   */
  async test(evaluate: () => Promise<Logs>): Promise<Logs> {
    if (this.#model) this.#model.stopEvaluating = false;
    await this.call('onTestBegin');
    let logs: Logs | undefined;
    try {
      logs = await evaluate();
      return logs;
    } finally {
      await this.call('onTestEnd', logs);
    }
  }

  /**
   * Calls `hook` of each callback in order, awaiting each. Given Keras' batch hook and then its tfjs
   * alias (`['onTrainBatchEnd', 'onBatchEnd']`), each callback runs one of them, the most derived
   * definition's (Keras' at one level), so one batch calls its code once (see {@link CustomCallbackArgs.onBatchEnd}).
   */
  async call(hook: 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd', logs?: Logs): Promise<void>;
  async call(hook: 'onEpochBegin' | 'onEpochEnd', index: number, logs?: Logs): Promise<void>;
  async call(hook: BatchHook | readonly BatchHook[], index: number, logs: Logs): Promise<void>;
  async call(hook: 'onYield', epoch: number, batch: number, logs: Logs): Promise<void>;
  async call(hook: Hook | readonly Hook[], ...args: (number | Logs | undefined)[]): Promise<void> {
    const hooks = typeof hook === 'string' ? [hook] : hook;
    // The logs get tfjs' names only when a hook will see them (evaluate returns its logs).
    let given: (number | Logs)[] | undefined;
    for (const callback of this.#callbacks) {
      const name = hookToRun(callback, hooks);
      if (name === undefined) continue;
      const fn = callback[name] as (...args: unknown[]) => unknown;
      // Every hook ends with a logs object, {} where there are none, as Keras 3's and tfjs' CallbackList pass them.
      given ??= [...args.filter((a) => typeof a === 'number'), withTfjsLogNames(args.find((a): a is Logs => typeof a === 'object') ?? {})];
      await fn.call(callback, ...given);
    }
  }

  /**
   * Calls a `predict` hook of each callback, without waiting: `predict` is synchronous, so a hook
   * returning a promise (an `async` one) is refused rather than left running unawaited.
   */
  callNow(hook: 'onPredictBegin' | 'onPredictEnd'): void;
  callNow(hook: 'onPredictBatchBegin', batch: number, logs: Logs): void;
  callNow(hook: 'onPredictBatchEnd', batch: number, logs: PredictBatchLogs): void;
  callNow(hook: 'onPredictBegin' | 'onPredictEnd' | 'onPredictBatchBegin' | 'onPredictBatchEnd', ...args: (number | Logs | PredictBatchLogs)[]): void {
    const given = args.length === 0 ? [{}] : args;
    this.#callbacks.forEach((callback, index) => {
      const fn = callback[hook] as ((...args: unknown[]) => unknown) | undefined;
      const result = fn?.call(callback, ...given);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
        throw new Error(`predict is synchronous and cannot wait for callbacks[${index}].${hook}, which returned a promise. Make the hook synchronous (not async), or do the asynchronous work after predict returns.`);
      }
    });
  }

  /** Gives the event loop the turn `turn` waits for, then tells the `onYield` hooks, reading `logs` only for them. */
  async yielded(turn: Promise<void>, epoch: number, batch: number, logs: () => Logs): Promise<void> {
    await turn;
    if (this.has('onYield')) await this.call('onYield', epoch, batch, logs());
  }
}
