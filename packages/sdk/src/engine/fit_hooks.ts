// The callbacks' hooks around fit's batches and epochs, and its History: what fit(x, y) and
// fit(dataset) share, whatever reads their batches.
import type { CallbackModel, FitParams } from '../callbacks/callback.js';
import { CallbackList, type CustomCallbackArgs, type Logs } from '../callbacks/callbacks.js';
import { History } from '../callbacks/history.js';
import { progressLogger, type Verbosity } from '../callbacks/progbar_logger.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Yielder } from './yield_every.js';

/** One fit's callbacks, History and yield turns, around the batches and epochs its loop trains. */
export class FitHooks {
  readonly callbacks: CallbackList;
  readonly history: History;
  readonly #yielder: Yielder;
  readonly #batchBegin: readonly ('onTrainBatchBegin' | 'onBatchBegin')[];
  readonly #batchEnd: readonly ('onTrainBatchEnd' | 'onBatchEnd')[];
  #lastLogs: Logs | undefined;

  /** fit's callbacks (`callbackArgs` and, where `params.verbose` asks for it, the progress bar), configured with `params`. */
  constructor(model: CallbackModel, params: FitParams, callbackArgs: CustomCallbackArgs | CustomCallbackArgs[] | undefined, yielder: Yielder) {
    this.callbacks = new CallbackList(callbackArgs);
    const logger = progressLogger(params.verbose as Verbosity);
    if (logger) this.callbacks.add(logger, true);
    this.callbacks.configure(model, params);
    this.history = new History(params);
    this.#yielder = yielder;
    // Keras' batch hooks and tfjs' aliases, with the same logs; none, and a step makes no logs for them.
    this.#batchBegin = this.callbacks.having('onTrainBatchBegin', 'onBatchBegin');
    this.#batchEnd = this.callbacks.having('onTrainBatchEnd', 'onBatchEnd');
    model.stopTraining = false;
  }

  /** Trains batch `step` of `count` samples between the batch hooks; `logs` gives the epoch's logs so far. */
  async batch(epoch: number, step: number, count: number, train: () => void | Promise<void>, logs: () => Logs): Promise<void> {
    if (this.#batchBegin.length > 0) await this.callbacks.call(this.#batchBegin, step, { batch: step, size: count });
    const pending = train();
    if (pending) await pending;
    if (this.#batchEnd.length > 0) await this.callbacks.call(this.#batchEnd, step, { batch: step, size: count, ...logs() });
    const turn = this.#yielder.afterBatch();
    if (turn) await this.callbacks.yielded(turn, epoch, step, () => ({ batch: step, size: count, ...logs() }));
  }

  /** The end of an epoch whose last batch was `lastStep`, with its logs, validation's included. */
  async epochEnd(epoch: number, lastStep: number, logs: Logs): Promise<void> {
    // History records after the callbacks, so values they add (ReduceLROnPlateau's learning_rate) are kept.
    await this.callbacks.call('onEpochEnd', epoch, logs);
    this.history.record(epoch, logs);
    this.#lastLogs = logs;
    const turn = this.#yielder.afterEpoch();
    if (turn) await this.callbacks.yielded(turn, epoch, lastStep, () => logs);
  }

  /** The end of training: `onTrainEnd` with the last epoch's logs; returns the History. */
  async trainEnd(optimizer: Optimizer): Promise<History> {
    // Keras 3 swaps in the weights' moving average (useEma) before on_train_end.
    optimizer.finalizeVariableValues();
    await this.callbacks.call('onTrainEnd', this.#lastLogs);
    return this.history;
  }
}
