import { skipsValidation, type FitParams } from './callback.js';
import { editDistance } from '../utils/options.js';
import type { Logs } from './callbacks.js';

/** Whether a monitored quantity should go down (`'min'`) or up (`'max'`); `'auto'` infers it from the name. */
export type MonitorMode = 'auto' | 'min' | 'max';

// The metrics Keras 3 maximises (their direction is 'up'), in any case: compile takes Keras' class
// names, so a metric may be logged as 'AUC', 'Precision' or 'val_F1Score'.
const MAXIMISED = /acc|auc|precision|recall|f1|f_?beta|io_?u|r2|cosine_similarity|sensitivity|specificity/i;

/** Tracks the best value of a logged quantity, as Keras' MonitorCallback does for EarlyStopping, ReduceLROnPlateau and ModelCheckpoint. */
export class Monitor {
  readonly direction: 'min' | 'max';
  best: number;

  constructor(
    readonly owner: string,
    readonly key: string,
    mode: MonitorMode,
    readonly minDelta: number,
  ) {
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
      throw new Error(`${owner}: mode must be 'auto', 'min' or 'max'. Received: mode=${JSON.stringify(mode)}.`);
    }
    if (!(minDelta >= 0)) throw new Error(`${owner}: minDelta must be a non-negative number. Received: minDelta=${minDelta}.`);
    this.direction = mode === 'auto' ? (MAXIMISED.test(key) ? 'max' : 'min') : mode;
    this.best = this.direction === 'min' ? Infinity : -Infinity;
  }

  /**
   * The monitored value in `logs` (an epoch's, or a batch's when `batch` is true), or null for a `val_`
   * key on an epoch that fit's `validationFreq` left unvalidated (the caller skips the epoch); throws
   * naming the available keys when it is missing otherwise.
   */
  read(logs: Logs, epoch: number, params: FitParams | null, batch = false): number | null {
    const value = logs[this.key];
    if (value === undefined && this.key.startsWith('val_') && !batch && skipsValidation(params, epoch)) return null;
    if (value === undefined) {
      throw new Error(
        `${this.owner} monitors '${this.key}', which is not in the ${batch ? 'batch' : 'epoch'} logs. Received logs with keys: ${Object.keys(logs).join(', ')}. ` +
          (batch ? `Batch logs hold training values only: monitor one of those, or save once per epoch (saveFreq: 'epoch') for 'val_' keys.` : `Monitor one of those, or give fit validation data for 'val_' keys.`),
      );
    }
    return value;
  }

  /**
   * Refuses before training a key that fit's logs (`params.metrics`) will plainly not hold: a
   * `val_` key without validation data (or in batch logs), or a near miss of a logged name. Another
   * unknown key is left to {@link read}, since a callback may add it to the logs.
   */
  checkLogged(params: FitParams | null, batch = false): void {
    if (!params?.metrics) return;
    const logged = batch ? params.metrics.filter((k) => !k.startsWith('val_')) : params.metrics;
    const problem = unloggedKeyProblem(this, logged, { validates: !batch && params.doValidation === true, batch, strict: false });
    if (problem) throw new Error(problem);
  }

  /** Whether `value` beats `reference` by more than minDelta in the monitored direction. */
  beats(value: number, reference: number): boolean {
    return this.direction === 'min' ? value < reference - this.minDelta : value > reference + this.minDelta;
  }

  /** True, and records the new best, when `value` beats the best by more than minDelta. */
  improved(value: number): boolean {
    const better = this.beats(value, this.best);
    if (better) this.best = value;
    return better;
  }
}

/** What {@link unloggedKeyProblem} knows of the logs a monitor reads. */
export interface LoggedKeys {
  /** Whether the logs hold the `val_` values (epoch logs of a fit with validation data). */
  validates: boolean;
  /** Whether the monitor reads batch logs (modelCheckpoint saving every n batches). */
  batch: boolean;
  /** Whether any key outside `logged` is refused, or only a near miss of a logged name. */
  strict: boolean;
}

/**
 * Why `monitor`'s key will not be in logs holding `logged`, worded as an error with the fix, or
 * undefined when it will be (or, unless `strict`, may be: a callback may add it).
 */
export function unloggedKeyProblem({ owner, key }: Pick<Monitor, 'owner' | 'key'>, logged: readonly string[], { validates, batch, strict }: LoggedKeys): string | undefined {
  if (logged.includes(key)) return undefined;
  if (key.startsWith('val_') && !validates) {
    const trained = key.slice(4);
    const keys = logged.includes(trained) ? [trained] : logged;
    const instead = keys.length === 1 ? `'${keys[0]}'` : `one of ${keys.join(', ')}`;
    return batch
      ? `${owner} monitors '${key}' every few batches, but batch logs hold training values only: monitor ${instead}, or save once per epoch (saveFreq: 'epoch').`
      : `${owner} monitors '${key}', but fit has no validation data: give fit validationData or validationSplit, or monitor ${instead}.`;
  }
  const meant = logged.find((name) => name.startsWith(key) || editDistance(key, name) <= 2);
  if (meant) return `${owner} monitors '${key}', which fit does not log; did you mean '${meant}'? fit logs: ${logged.join(', ')}.`;
  if (strict) return `${owner} monitors '${key}', which fit does not log. fit logs: ${logged.join(', ')}; monitor one of those.`;
  return undefined;
}

/** The monitor of each built-in callback that watches a logged key, and whether it reads batch logs, for `checkMonitored`. */
const monitors = new WeakMap<object, { monitor: () => Monitor; batch: boolean }>();

/** Records that `callback` watches `monitor()`'s key (in batch logs if `batch`), so `checkMonitored` checks it. */
export function registerMonitor(callback: object, monitor: () => Monitor, batch = false): void {
  monitors.set(callback, { monitor, batch });
}

/** The monitor `callback` registered, if any. */
export function registeredMonitor(callback: object): { monitor: Monitor; batch: boolean } | undefined {
  const entry = monitors.get(callback);
  return entry && { monitor: entry.monitor(), batch: entry.batch };
}
