import { Callback } from './callback.js';
import type { Logs } from './callbacks.js';
import { Monitor, registerMonitor, type MonitorMode } from './monitor.js';

/** Options of {@link ReduceLROnPlateau}; defaults are Keras'. */
export interface ReduceLROnPlateauArgs {
  monitor?: string;
  /** New rate = rate · factor (default 0.1; must be below 1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the learning rate (default 0). */
  minLr?: number;
  /** 1 prints each reduction, as Keras does: "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0005." (default 0). */
  verbose?: 0 | 1;
}

/** Multiplies the learning rate by `factor` when a monitored quantity plateaus (Keras' ReduceLROnPlateau). */
export class ReduceLROnPlateau extends Callback {
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly #args: ReduceLROnPlateauArgs;
  #monitor!: Monitor;
  #wait = 0;
  #cooldownLeft = 0;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    this.factor = args.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) {
      throw new Error(`ReduceLROnPlateau: factor must be in (0, 1) so the rate goes down. Received: factor=${this.factor}.`);
    }
    this.patience = nonNegativeInt('patience', args.patience ?? 10);
    this.cooldown = nonNegativeInt('cooldown', args.cooldown ?? 0);
    this.minLr = args.minLr ?? 0;
    if (args.verbose !== undefined && args.verbose !== 0 && args.verbose !== 1) throw new Error(`ReduceLROnPlateau: verbose must be 0 or 1. Received: verbose=${JSON.stringify(args.verbose)}.`);
    this.#args = args;
    this.onTrainBegin();
    registerMonitor(this, () => this.#monitor);
  }

  override onTrainBegin(): void {
    this.#monitor = new Monitor('ReduceLROnPlateau', this.#args.monitor ?? 'val_loss', this.#args.mode ?? 'auto', this.#args.minDelta ?? 1e-4);
    this.#wait = 0;
    this.#cooldownLeft = 0;
    this.#monitor.checkLogged(this.params);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const optimizer = this.optimizer;
    logs.learning_rate = optimizer.learningRate;
    const value = this.#monitor.read(logs, epoch, this.params);
    if (value === null) return;
    if (this.#cooldownLeft > 0) {
      this.#cooldownLeft--;
      this.#wait = 0;
    }
    if (this.#monitor.improved(value)) {
      this.#wait = 0;
    } else if (this.#cooldownLeft === 0) {
      this.#wait++;
      if (this.#wait >= this.patience && optimizer.learningRate > this.minLr) {
        optimizer.learningRate = Math.max(optimizer.learningRate * this.factor, this.minLr);
        if (this.#args.verbose === 1) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${optimizer.learningRate}.`);
        this.#cooldownLeft = this.cooldown;
        this.#wait = 0;
      }
    }
  }
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`ReduceLROnPlateau: ${name} must be a non-negative integer. Received: ${name}=${value}.`);
  return value;
}
