import type { FitParams } from './callback.js';
import type { Logs } from './callbacks.js';
import { withTfjsLogNames } from './tfjs_log_aliases.js';

/** What `fit` returns: per-epoch values of the loss and metrics, as Keras' `History`. */
export class History {
  /** Epoch indices (0-based) that ran. */
  readonly epoch: number[] = [];
  /**
   * Per-key lists of per-epoch values, e.g. `history.history.loss`; `acc` and `val_acc` read
   * `accuracy` and `val_accuracy`, as tfjs names them. Every epoch logs `loss`, so it is typed as
   * always there (it is absent only when no epoch ran, as with `epochs: 0`).
   */
  readonly history: Record<string, number[]> & { loss: number[] } = {} as Record<string, number[]> & { loss: number[] };
  /**
   * The fit parameters, as callbacks receive them: tfjs' `epochs`, `initialEpoch`, `samples`,
   * `steps`, `batchSize`, `verbose`, `doValidation` and `metrics` (plus the shuffling `seed`).
   */
  readonly params: FitParams;

  constructor(params: History['params']) {
    this.params = params;
  }

  /** @internal Records one epoch's logs. */
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
    withTfjsLogNames(this.history);
  }
}
