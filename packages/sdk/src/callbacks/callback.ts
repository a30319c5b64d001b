import type { Optimizer } from '../optimizers/optimizer.js';
import type { Tensor } from '../tensor.js';
import type { CustomCallbackArgs, Logs } from './callbacks.js';

/** What a callback may use of the model being trained (a `LayersModel` provides all of it). */
export interface CallbackModel {
  stopTraining: boolean;
  readonly optimizer: Optimizer | undefined;
  getWeights(): Tensor<'float32'>[];
  setWeights(weights: readonly Tensor[]): void;
  save(url: string, options?: { includeOptimizer?: boolean }): Promise<unknown>;
  saveWeights(url: string): Promise<unknown>;
}

/** The settings of the running `fit`, as Keras passes them to `set_params`. */
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
 * Base of the built-in callbacks: `fit` hands it the model and its parameters before
 * `onTrainBegin`, then calls the Keras hooks it overrides.
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

  /** The model being trained; throws outside `fit`. */
  get model(): CallbackModel {
    if (!this.#model) throw new Error(`${this.constructor.name} is not attached to a model: pass it to model.fit({ callbacks: [...] }).`);
    return this.#model;
  }

  /** The model's optimizer, for callbacks that adjust it. */
  protected get optimizer(): Optimizer {
    const optimizer = this.model.optimizer;
    if (!optimizer) throw new Error(`${this.constructor.name} needs a compiled model: call model.compile({ optimizer, loss }) before fit.`);
    return optimizer;
  }

  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  onTestBegin?(logs?: Logs): void | Promise<void>;
  onTestEnd?(logs?: Logs): void | Promise<void>;
  onYield?(epoch: number, batch: number, logs: Logs): void | Promise<void>;
}
