import type { LayersModel } from '../engine/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor.js';
import type { CustomCallbackArgs, Logs, PredictBatchLogs, TrainLogs } from './callbacks.js';
import type { StreamPosition } from '../engine/training_stream.js';

/** What a callback may use of the model being trained (a `LayersModel` provides all of it). */
export interface CallbackModel {
  stopTraining: boolean;
  /** Set from a test hook to end `evaluate` (or `fit`'s validation pass) after the current batch. */
  stopEvaluating: boolean;
  /** Set from a predict hook to end `predict` after the current batch. */
  stopPredicting: boolean;
  readonly optimizer: Optimizer | undefined;
  getWeights(): Tensor<'float32'>[];
  setWeights(weights: readonly Tensor[]): void;
  save(url: string, options?: { includeOptimizer?: boolean }): Promise<unknown>;
  saveWeights(url: string): Promise<unknown>;
}

/**
 * The settings of the running `fit`, as Keras passes them to `set_params`; for `evaluate` and
 * `predict` (given `callbacks`), `epochs` is 1 and `steps` their number of batches, as in Keras.
 */
export interface FitParams {
  epochs: number;
  steps: number;
  samples: number;
  batchSize: number;
  verbose: number;
  /**
   * The epoch `fit` starts from. A callback may move it in `onTrainBegin`, as
   * `km.callbacks.backupAndRestore` does when it resumes a run (Keras sets `model._initial_epoch`).
   */
  initialEpoch: number;
  /**
   * The seed of the shuffling order (absent when fitting a dataset, which orders itself). A
   * callback may set it in `onTrainBegin` to repeat an earlier run's order.
   */
  seed?: number;
  /**
   * `fit(x, y)`'s `stepsPerEpoch`, when given: epochs of that many batches (`steps`) that read on
   * through the samples from epoch to epoch. Absent when each epoch is one pass over the data.
   */
  stepsPerEpoch?: number;
  /**
   * @internal Where `fit(dataset)` reads the training data from at the start of the current epoch
   * (after an epoch's batches: of the next). A callback may replace it in `onTrainBegin` to read on
   * where an earlier run had got to, as `km.callbacks.backupAndRestore` does.
   */
  datasetPosition?: StreamPosition;
  /**
   * @internal The passes each reshuffling `shuffle` of `fit(dataset)`'s validation dataset had
   * begun at the start of the current epoch (after its validation: of the next). A callback may
   * replace it in `onTrainBegin`, as `km.callbacks.backupAndRestore` does, so that the resumed
   * validation passes see the uninterrupted run's orders.
   */
  validationShuffleIterations?: number[];
  /** Validation runs after every `validationFreq`-th epoch (fit's option; absent: every epoch with validation data). */
  validationFreq?: number;
  /** Whether fit has validation data, as tfjs' `doValidation`. */
  doValidation?: boolean;
  /** The names of the values an epoch's logs hold (`['loss', 'accuracy', 'val_loss', 'val_accuracy']`), as tfjs' `metrics`. */
  metrics?: string[];
}

/**
 * Whether `fit` leaves out validation after `epoch` (0-based) under `validationFreq`, so that a
 * callback monitoring a `val_` key skips the epoch, as Keras' do, rather than finding it missing.
 */
export function skipsValidation(params: FitParams | null, epoch: number): boolean {
  return (epoch + 1) % (params?.validationFreq ?? 1) !== 0;
}

/**
 * Base of the built-in callbacks: `fit`, `evaluate` and `predict` (given `callbacks`) hand it the
 * model and their parameters before the first hook, then call the hooks it overrides (see
 * {@link CustomCallbackArgs} for when each runs). A method whose name starts with `on` must be one
 * of them: `onTrainBatchEnds` or Keras' `on_train_batch_end` is refused when the call starts.
 *
 * @example
 * ```ts
 * class PrintLoss extends km.callbacks.Callback {
 *   override onEpochEnd(epoch: number, logs: km.Logs) { console.log(epoch, logs.loss); }
 * }
 * await model.fit(x, y, { callbacks: [new PrintLoss()] });
 * ```
 */
export abstract class Callback implements CustomCallbackArgs {
  #model: CallbackModel | null = null;
  params: FitParams | null = null;

  /** @internal Called by `fit`. */
  setModel(model: CallbackModel): void {
    this.#model = model;
  }

  /** @internal Called by `fit`. */
  setParams(params: FitParams): void {
    this.params = params;
  }

  /**
   * The model being trained (or evaluated, or predicting), as tfjs' `this.model`: a hook may call
   * `this.model.predict(x)`, read `this.model.getWeights()` or set `this.model.stopTraining = true`
   * (`stopEvaluating`, `stopPredicting` in the test and predict hooks).
   * Throws outside `fit`, `evaluate` and `predict`.
   */
  get model(): LayersModel {
    if (!this.#model) throw new Error(`${this.constructor.name} is not attached to a model: pass it to model.fit({ callbacks: [...] }).`);
    // fit, evaluate and predict hand over the LayersModel itself; CallbackModel is the part they rely on.
    return this.#model as LayersModel;
  }

  /** The model's optimizer, for callbacks that adjust it. */
  protected get optimizer(): Optimizer {
    const optimizer = this.model.optimizer;
    if (!optimizer) throw new Error(`${this.constructor.name} needs a compiled model: call model.compile({ optimizer, loss }) before fit.`);
    return optimizer;
  }

  onTrainBegin?(logs?: Logs): void | Promise<void>;
  /** At the end of `fit`, with the last epoch's logs (none when no epoch ran), as Keras 3. */
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: TrainLogs): void | Promise<void>;
  /** Before each training batch (Keras' `on_train_batch_begin`), with `{ batch, size }`. */
  onTrainBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** After each training batch, with `{ batch, size, ...running logs }`. */
  onTrainBatchEnd?(batch: number, logs: TrainLogs): void | Promise<void>;
  /**
   * tfjs' name for `onTrainBatchBegin`, called in its place when the callback has no
   * `onTrainBatchBegin`, or defines `onBatchBegin` in a class extending the one that defines
   * `onTrainBatchBegin`: of the two, the most derived definition runs (Keras' at one level).
   */
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /**
   * tfjs' name for `onTrainBatchEnd`: of the two, the callback runs the most derived definition,
   * as an override replaces the method it overrides (and `onTrainBatchEnd` if one class defines
   * both, as Keras calls only an overridden `on_train_batch_end`). The built-in callbacks define
   * `onTrainBatchEnd`, so a subclass's `onBatchEnd` (or `onTrainBatchEnd`) replaces theirs, and
   * calls `super.onTrainBatchEnd(batch, logs)` to keep it.
   */
  onBatchEnd?(batch: number, logs: TrainLogs): void | Promise<void>;
  /** Before `evaluate`, or `fit`'s validation pass. */
  onTestBegin?(logs?: Logs): void | Promise<void>;
  /** After `evaluate` or `fit`'s validation pass, with its logs (unprefixed: `loss`, not `val_loss`). */
  onTestEnd?(logs?: Logs): void | Promise<void>;
  onTestBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onTestBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** The `predict` hooks are called synchronously, as `predict` runs: they must not return a promise. */
  onPredictBegin?(logs?: Logs): void;
  onPredictEnd?(logs?: Logs): void;
  onPredictBatchBegin?(batch: number, logs?: Logs): void;
  /** After each `predict` batch, with `{ outputs }`, copies of the batch's outputs. */
  onPredictBatchEnd?(batch: number, logs: PredictBatchLogs): void;
  onYield?(epoch: number, batch: number, logs: Logs): void | Promise<void>;
}
