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

  override onTrainBatchEnd(batch: number, logs: Logs): void {
    const { batch: _index, size: _size, ...shown } = logs;
    this.#bar.batchEnd(batch + 1, shown);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.#bar.epochEnd(logs);
  }
}

/** Keras' verbosity: 0 silent, 1 a progress bar per epoch, 2 one line per epoch. */
export type Verbosity = 0 | 1 | 2;

/** Checks a `verbose` option (default 1). */
export function checkVerbosity(verbose: unknown, where: string): Verbosity {
  const value = verbose ?? 1;
  if (value !== 0 && value !== 1 && value !== 2) throw new Error(`${where} verbose must be 0 (silent), 1 (a progress bar) or 2 (one line per epoch). Received: verbose=${JSON.stringify(verbose)}.`);
  return value;
}

/** The logger `fit` puts first among the callbacks for `verbose`, or null when silent. */
export function progressLogger(verbose: Verbosity): ProgbarLogger | null {
  return verbose === 0 ? null : new ProgbarLogger(new ProgressBar(undefined, verbose === 2));
}
