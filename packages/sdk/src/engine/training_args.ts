import type { CustomCallbackArgs } from '../callbacks/callbacks.js';
import type { Verbosity } from '../callbacks/progbar_logger.js';
import { optionNames } from '../utils/options.js';
import type { TensorsSpec } from './outputs.js';
import type { ClassWeightSpec, SampleWeightInput } from './sample_weights.js';
import type { YieldEvery } from './yield_every.js';

/** Options of `model.fit`, with Keras' defaults. */
export interface ModelFitArgs {
  /** Number of passes over the data (default 1). */
  epochs?: number;
  /** Samples per gradient update (default 32). */
  batchSize?: number;
  /**
   * Batches per epoch (Keras' `steps_per_epoch`); default: one pass over the samples. The batches
   * read on across epochs, as Keras' iterator does: epoch 2 starts after the last batch of epoch
   * 1, and a pass that ends mid-epoch (with its partial batch) is followed at once by the next
   * one, reshuffled when `shuffle` is on. Each epoch trains exactly `stepsPerEpoch` batches (Keras
   * 3 ends an epoch early where a pass ends). Validation still reads all of its data.
   *
   * @example
   * ```ts
   * // 100 batches of 32 between validations, however many samples there are.
   * await model.fit(x, y, { epochs: 10, stepsPerEpoch: 100, validationSplit: 0.1 });
   * ```
   */
  stepsPerEpoch?: number;
  /** 0: silent; 1: a progress bar per epoch (default 1); 2: one line per epoch, as Keras' verbose=2. */
  verbose?: Verbosity;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** Validation data `[x, y]` or `[x, y, sampleWeight]`; overrides `validationSplit`. */
  validationData?: [TensorsSpec, TensorsSpec] | [TensorsSpec, TensorsSpec, SampleWeightInput];
  /**
   * Validate after every `validationFreq`-th epoch only (default 1, every epoch), as Keras'
   * `validation_freq`; the epochs between log no `val_` values, and callbacks monitoring them skip those epochs.
   */
  validationFreq?: number;
  /** Samples per batch of the validation pass (default: `batchSize`), as Keras' `validation_batch_size`. */
  validationBatchSize?: number;
  /**
   * A weight per sample: the loss becomes Σ wᵢ·Lᵢ / batch size (Keras' "sum_over_batch_size"),
   * so a weight of 0 removes a sample and 2 counts it twice. compile's `metrics` stay unweighted,
   * as Keras' are; its `weightedMetrics` count each sample with its weight. For an output with a
   * value per step (`[steps, classes]`), one weight per step, `[n, steps]`, as Keras' temporal
   * sample weights. A masked output's loss divides by its unmasked positions instead of all of them.
   *
   * @example
   * ```ts
   * await tagger.fit(tokens, tags, { sampleWeight: km.tensor(stepWeights, [n, steps]) });
   * ```
   */
  sampleWeight?: SampleWeightInput;
  /**
   * A weight per class index (`{ 0: 1, 1: 5 }`), turned into sample weights from the targets; classes
   * left out weigh 1. With several outputs, a list of them in output order (null for an output left
   * unweighted) or an object keyed by output name, as tfjs takes them (see {@link ClassWeightSpec}).
   */
  classWeight?: ClassWeightSpec;
  /** Seed for the shuffling order; defaults to a draw from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number;
  /**
   * Epoch to start from (for resuming): epoch e shuffles as it would have in an uninterrupted run
   * with the same `seed` and, with `stepsPerEpoch`, starts at the batch where that run's epoch e did.
   */
  initialEpoch?: number;
  /** Callbacks (from `km.callbacks`, `Callback` subclasses, or objects of hooks), called in Keras 3's order (see {@link CustomCallbackArgs}). */
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
  /**
   * How often to give the event loop a turn, so that a page training on its main thread stays
   * responsive and its callbacks' drawing shows: `'auto'` (every 125 ms, default), `'batch'`,
   * `'epoch'`, `'never'`, or a number of milliseconds, as in TensorFlow.js.
   */
  yieldEvery?: YieldEvery;
}

/** Options of `model.evaluate`. */
export interface ModelEvaluateArgs {
  batchSize?: number;
  /** A weight per sample for the loss, as in `fit`. */
  sampleWeight?: SampleWeightInput;
  verbose?: Verbosity;
  /** Return `{ loss, accuracy, ... }`, keyed as the logs are, instead of the list (Keras' `return_dict`). */
  returnDict?: boolean;
  /**
   * Callbacks whose test hooks run, `onTestEnd` with the result's logs, as Keras 3's `evaluate(callbacks=...)`.
   * @example `await model.evaluate(x, y, { callbacks: { onTestEnd: (logs) => console.log(logs) } })`
   */
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
}

/** The loss, then the metrics in compile order: the list `evaluate` returns, whose loss is always there. */
export type LossAndMetrics = [loss: number, ...metrics: number[]];

/**
 * What `evaluate` returns for options `A`: the list; with `returnDict: true` (written as a literal)
 * the object keyed by log names; either, when `returnDict` is a `boolean` only known at run time.
 */
export type EvaluateResult<A> = A extends { returnDict: true }
  ? Record<string, number>
  : MayReturnDict<A> extends true
    ? LossAndMetrics | Record<string, number>
    : LossAndMetrics;

/** Whether options `A` may hold `returnDict: true`: their `returnDict` is `true`, `boolean` or unknown till run time. */
export type MayReturnDict<A> = 'returnDict' extends keyof A ? (true extends A['returnDict' & keyof A] ? true : false) : false;

/** Options of `model.predict`. */
export interface ModelPredictArgs {
  batchSize?: number;
  /** Print the steps and time taken once done: true or 1 (or 2), as tfjs' and Keras' `verbose`; default silent, as in tfjs. */
  verbose?: boolean | Verbosity;
  /**
   * Callbacks whose predict hooks run (`onPredictBatchEnd` with the batch's `{ outputs }`), as Keras 3's
   * `predict(callbacks=...)`; synchronously, as `predict` runs, so a hook returning a promise is refused.
   * @example `model.predict(x, { callbacks: { onPredictBatchEnd: (batch, { outputs }) => console.log(batch) } })`
   */
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
}

/** The option names each call takes, for its check of unknown ones. */
export const FIT_OPTIONS = optionNames<ModelFitArgs>({
  epochs: true, batchSize: true, stepsPerEpoch: true, verbose: true, shuffle: true, validationSplit: true, validationData: true, validationFreq: true, validationBatchSize: true,
  sampleWeight: true, classWeight: true, seed: true, initialEpoch: true, callbacks: true, yieldEvery: true,
});
export const EVALUATE_OPTIONS = optionNames<ModelEvaluateArgs>({ batchSize: true, sampleWeight: true, verbose: true, returnDict: true, callbacks: true });
export const PREDICT_OPTIONS = optionNames<ModelPredictArgs>({ batchSize: true, verbose: true, callbacks: true });
