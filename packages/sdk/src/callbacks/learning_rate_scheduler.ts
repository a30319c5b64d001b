import { Callback } from './callback.js';
import type { Logs } from './callbacks.js';

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, currentRate)`, and logs
 * the epoch's rate as `learning_rate` in its logs and History (Keras' LearningRateScheduler).
 */
export class LearningRateScheduler extends Callback {
  constructor(readonly schedule: (epoch: number, learningRate: number) => number) {
    super();
    if (typeof schedule !== 'function') {
      throw new Error(`LearningRateScheduler expects a function (epoch, learningRate) => newRate. Received: ${typeof schedule}.`);
    }
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.optimizer;
    const rate = this.schedule(epoch, optimizer.learningRate);
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
      throw new Error(`LearningRateScheduler: the schedule must return a finite number ≥ 0. Received: ${String(rate)} at epoch ${epoch}.`);
    }
    optimizer.learningRate = rate;
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = this.optimizer.learningRate;
  }
}
