import { Callback } from './callback.js';
import type { Logs } from './callbacks.js';
import { ProgressBar } from './progress_bar.js';

/** Keras' progress bar as a callback: what `fit` adds for `verbose: 1`, usable on its own. */
export class ProgbarLogger extends Callback {
  readonly #bar: ProgressBar;

  constructor(bar: ProgressBar = new ProgressBar()) {
    super();
    this.#bar = bar;
  }

  override onEpochBegin(epoch: number): void {
    this.#bar.epochBegin(epoch, this.params?.epochs ?? epoch + 1, this.params?.steps ?? 1);
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const { batch: _index, size: _size, ...shown } = logs;
    this.#bar.batchEnd(batch + 1, shown);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.#bar.epochEnd(logs);
  }
}
