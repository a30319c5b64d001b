import type { Tensor } from '../tensor.js';
import { Callback } from './callback.js';
import type { Logs } from './callbacks.js';
import { Monitor, registerMonitor, type MonitorMode } from './monitor.js';
import { weightSnapshot } from './weight_snapshot.js';

/** Options of {@link EarlyStopping}; defaults are Keras'. */
export interface EarlyStoppingArgs {
  /** Logged quantity to watch (default `'val_loss'`). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  mode?: MonitorMode;
  /** Put back the weights of the best epoch when training ends, early or not (default false). */
  restoreBestWeights?: boolean;
  /**
   * A value the monitored quantity must beat: an epoch that improves on the best so far but not on
   * the baseline does not restart the patience count, so training stops after `patience` epochs
   * unless the baseline is beaten (Keras' `baseline`; default none).
   */
  baseline?: number;
  /** Epochs to train before watching the quantity at all, a warm-up (Keras 3's `start_from_epoch`; default 0). */
  startFromEpoch?: number;
  /** 1 prints the epoch training stopped at and the epoch whose weights were put back (default 0). */
  verbose?: 0 | 1;
}

/** Stops training when a monitored quantity has stopped improving (Keras' EarlyStopping). */
export class EarlyStopping extends Callback {
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epoch at which training was stopped, or -1. */
  stoppedEpoch = -1;
  /** Epoch with the best monitored value. */
  bestEpoch = -1;
  readonly #args: EarlyStoppingArgs;
  #monitor!: Monitor;
  #wait = 0;
  #bestWeights: Tensor<'float32'>[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    const patience = args.patience ?? 0;
    if (!Number.isInteger(patience) || patience < 0) {
      throw new Error(`EarlyStopping: patience must be a non-negative integer. Received: patience=${patience}.`);
    }
    this.patience = patience;
    const startFromEpoch = args.startFromEpoch ?? 0;
    if (!Number.isInteger(startFromEpoch) || startFromEpoch < 0) {
      throw new Error(`EarlyStopping: startFromEpoch must be a non-negative integer. Received: startFromEpoch=${startFromEpoch}.`);
    }
    if (args.baseline !== undefined && !Number.isFinite(args.baseline)) throw new Error(`EarlyStopping: baseline must be a finite number. Received: baseline=${args.baseline}.`);
    if (args.verbose !== undefined && args.verbose !== 0 && args.verbose !== 1) throw new Error(`EarlyStopping: verbose must be 0 or 1. Received: verbose=${JSON.stringify(args.verbose)}.`);
    this.startFromEpoch = startFromEpoch;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.#args = args;
    this.#reset();
    registerMonitor(this, () => this.#monitor);
  }

  #reset(): void {
    this.#monitor = new Monitor('EarlyStopping', this.#args.monitor ?? 'val_loss', this.#args.mode ?? 'auto', this.#args.minDelta ?? 0);
    this.#wait = 0;
    this.#bestWeights = null;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
  }

  override onTrainBegin(): void {
    this.#reset();
    this.#monitor.checkLogged(this.params);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const value = this.#monitor.read(logs, epoch, this.params);
    if (value === null || epoch < this.startFromEpoch) return;
    this.#wait++;
    if (this.#monitor.improved(value)) {
      this.bestEpoch = epoch;
      const { baseline } = this.#args;
      if (baseline === undefined || this.#monitor.beats(value, baseline)) this.#wait = 0;
      if (this.restoreBestWeights) this.#bestWeights = await weightSnapshot(this.model);
      return;
    }
    // As Keras 3: until an epoch improves (the first one's value was NaN), the first watched epoch's weights count as the best.
    if (this.restoreBestWeights && this.#bestWeights === null) {
      this.#bestWeights = await weightSnapshot(this.model);
      this.bestEpoch = epoch;
    }
    if (this.#wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  /** Puts back the best epoch's weights with `restoreBestWeights`, whether training stopped early or ran every epoch, as Keras 3 does. */
  override onTrainEnd(): void {
    if (this.stoppedEpoch >= 0) this.#print(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.#bestWeights) {
      this.model.setWeights(this.#bestWeights);
      this.#print(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
    }
  }

  #print(line: string): void {
    if (this.#args.verbose === 1) console.log(line);
  }
}
