import type { Tensor } from '../tensor.js';
import { Callback } from './callback.js';
import type { Logs } from './callbacks.js';
import { weightSnapshot } from './weight_snapshot.js';

function allFinite(weights: readonly Tensor[]): boolean {
  return weights.every((w) => w.dataSync().every(Number.isFinite));
}

/**
 * Stops training when a batch loss is NaN or infinite (Keras' TerminateOnNaN), and puts back the
 * last finite weights (taken at each epoch start), so the model is not left holding NaNs.
 */
export class TerminateOnNaN extends Callback {
  /** Batch at which training stopped, or -1. */
  stoppedBatch = -1;
  #lastFinite: Tensor<'float32'>[] | null = null;

  override onTrainBegin(): void {
    this.stoppedBatch = -1;
    this.#lastFinite = null;
  }

  override async onEpochBegin(): Promise<void> {
    const weights = await weightSnapshot(this.model);
    if (allFinite(weights)) this.#lastFinite = weights;
  }

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    if (Number.isFinite(logs.loss)) return;
    this.stoppedBatch = batch;
    this.model.stopTraining = true;
    if (this.#lastFinite) this.model.setWeights(this.#lastFinite);
  }
}
