import type { CustomCallbackArgs } from './callbacks.js';
import { LearningRateScheduler } from './learning_rate_scheduler.js';
import { registeredMonitor, unloggedKeyProblem } from './monitor.js';
import { ReduceLROnPlateau } from './reduce_lr_on_plateau.js';
import { checkBooleanOption, checkOptions, optionNames } from '../utils/options.js';

/** What `fit` will log, for {@link checkMonitored}. */
export interface FitLogNames {
  /** The compiled model's `metricsNames`: `'loss'` then the metrics, as the logs name them. */
  metricsNames: readonly string[];
  /** Whether `fit` gets validation data (`validationSplit` above 0, or `validationData`), so its epoch logs hold the `val_` values too. */
  validates: boolean;
  /**
   * Keys your own callbacks add to the logs. Those the built-in callbacks add are known:
   * `learning_rate`, from reduceLROnPlateau and learningRateScheduler.
   */
  alsoLogged?: readonly string[];
}

/**
 * Thrown by {@link checkMonitored}: `callbacks[callbackIndex]` monitors `monitor`, a key `fit`
 * will not log. The message names the callback, the key, the keys `fit` logs and the fix.
 */
export class MonitorError extends Error {
  constructor(
    message: string,
    /** The index of the callback in the list given to `checkMonitored`. */
    readonly callbackIndex: number,
    /** The key the callback monitors. */
    readonly monitor: string,
  ) {
    super(message);
    this.name = 'MonitorError';
  }
}

const FIT_LOG_NAMES = optionNames<FitLogNames>({ metricsNames: true, validates: true, alsoLogged: true });

/**
 * Checks, before training, that every key the callbacks monitor is one `fit` will log: the
 * callbacks that watch a key are earlyStopping, reduceLROnPlateau, and modelCheckpoint with
 * `saveBestOnly` (which reads batch logs, training values only, with an integer `saveFreq`).
 * `fit` itself refuses a `val_` key without validation data, or a near miss of a logged name, when
 * it starts; this check also refuses any other key outside the logs, which `fit` would find
 * missing only at the end of the first epoch. Give it the callbacks `fit` will get, so that keys
 * they add (`learning_rate`) count as logged. Throws a {@link MonitorError}.
 *
 * @example
 * ```ts
 * const callbacks = [km.callbacks.earlyStopping({ monitor: 'val_acuracy', patience: 3 })];
 * km.callbacks.checkMonitored(callbacks, { metricsNames: model.metricsNames, validates: true });
 * // MonitorError: EarlyStopping monitors 'val_acuracy', which fit does not log; did you mean 'val_accuracy'? ...
 * ```
 */
export function checkMonitored(callbacks: CustomCallbackArgs | readonly CustomCallbackArgs[], logs: FitLogNames): void {
  checkOptions(logs, FIT_LOG_NAMES, 'km.callbacks.checkMonitored');
  const { metricsNames, validates, alsoLogged = [] } = logs ?? {};
  for (const [name, names] of [['metricsNames', metricsNames], ['alsoLogged', alsoLogged]] as const) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      throw new Error(`km.callbacks.checkMonitored: ${name} must be a list of log names, e.g. model.metricsNames. Received: ${name}=${JSON.stringify(names)}.`);
    }
  }
  checkBooleanOption(validates, 'validates', 'km.callbacks.checkMonitored');
  const list: readonly CustomCallbackArgs[] = Array.isArray(callbacks) ? callbacks : [callbacks as CustomCallbackArgs];
  const added = list.some((c) => c instanceof ReduceLROnPlateau || c instanceof LearningRateScheduler) ? ['learning_rate'] : [];
  const trainingKeys = [...metricsNames, ...alsoLogged];
  const epochKeys = [...metricsNames, ...(validates ? metricsNames.map((n) => `val_${n}`) : []), ...added, ...alsoLogged];
  list.forEach((callback, index) => {
    const watched = registeredMonitor(callback);
    if (!watched) return;
    const { monitor, batch } = watched;
    const problem = unloggedKeyProblem(monitor, batch ? trainingKeys : epochKeys, { validates: validates && !batch, batch, strict: true });
    if (problem) throw new MonitorError(problem, index, monitor.key);
  });
}
