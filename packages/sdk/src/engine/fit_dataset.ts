import { CallbackList, type CustomCallbackArgs, type Logs } from '../callbacks/callbacks.js';
import { skipsValidation, type FitParams } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { checkVerbosity, type Verbosity } from '../callbacks/progbar_logger.js';
import { Dataset } from '../data/dataset.js';
import { inputSampleOf, type InputSample } from './input_sample.js';
import { validationLogs } from './run_batch.js';
import type { TrainingTarget } from './training_target.js';
import type { TensorsSpec } from './outputs.js';
import type { ClassWeightSpec } from './sample_weights.js';
import { batchTensors, describe, firstBatch } from './fit_dataset_batch.js';
import { evaluateStream, type DatasetTrainer } from './dataset_trainer.js';
import { setShufflePasses, shufflePasses, TrainingStream } from './training_stream.js';
import { evaluatedFewer, knownSteps, ranOutOfData, refuseEndless } from './fit_dataset_limits.js';
import { Yielder, type YieldEvery } from './yield_every.js';
import { FitHooks } from './fit_hooks.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { checkEpochs, checkPositiveInt } from './validate_data.js';

/** Options of `model.fit(dataset, args)`. */
export interface ModelFitDatasetArgs {
  /** Number of epochs (default 1). */
  epochs?: number;
  /**
   * Batches per epoch. Without it every epoch is one full pass over the dataset (restarted each
   * epoch); with it the dataset is read on across epochs, as in `tf.data`, and training stops
   * early if it runs out. Required for an infinite dataset (`dataset.size === Infinity`, e.g.
   * after `.repeat()`), as Keras requires `steps_per_epoch`.
   */
  batchesPerEpoch?: number;
  /** 0: silent; 1: a progress bar per epoch (default 1); 2: one line per epoch, as Keras' verbose=2. */
  verbose?: Verbosity;
  /** A dataset of `{ xs, ys }` (or `{ xs, ys, sampleWeight }`) batches, or `[x, y]` tensors (lists or objects by name for several inputs/outputs), evaluated after each epoch. */
  validationData?: Dataset<unknown> | [TensorsSpec, TensorsSpec];
  /** Validate after every `validationFreq`-th epoch only (default 1), as in `fit(x, y)`. */
  validationFreq?: number;
  /** Evaluate only the first `validationBatches` batches of a validation dataset (Keras' `validation_steps`); required when that dataset is infinite. */
  validationBatches?: number;
  /**
   * Batch size for `[x, y]` validation tensors (default: the training batches' size), as tfjs'
   * fitDataset. A validation dataset is already batched, so it is refused there.
   */
  validationBatchSize?: number;
  /**
   * A weight per class index for the training loss, as `fit(x, y)`'s `classWeight` (Keras'
   * `class_weight`); classes left out weigh 1, and validation is not weighted. With several outputs,
   * a list in output order or an object keyed by output name (see {@link ClassWeightSpec}).
   * @example `await model.fit(ds, { classWeight: { 0: 1, 1: 10 } })`
   */
  classWeight?: ClassWeightSpec;
  /** Epoch to start counting from (for resuming). */
  initialEpoch?: number;
  /** Callbacks, called as in `fit(x, y)` (a batch's `size` is its number of samples). */
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
  /** How often to give the event loop a turn, as in `fit(x, y)` (default `'auto'`: every 125 ms). */
  yieldEvery?: YieldEvery;
}

const FIT_DATASET_OPTIONS = optionNames<ModelFitDatasetArgs>({
  epochs: true, batchesPerEpoch: true, verbose: true, validationData: true, validationFreq: true, validationBatches: true, validationBatchSize: true, initialEpoch: true, callbacks: true, yieldEvery: true,
  classWeight: true,
});

/** Options of `model.evaluate(dataset, args)`. */
export interface ModelEvaluateDatasetArgs {
  /** Evaluate only the first `batches` batches (Keras' `steps`); required for an infinite dataset. A warning says when the data ends before that many. */
  batches?: number;
  verbose?: Verbosity;
  /** Return `{ loss, accuracy, ... }` instead of the list, as `evaluate(x, y)` does. */
  returnDict?: boolean;
  /** Callbacks whose test hooks run, as in `evaluate(x, y)`. */
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
}

export const EVALUATE_DATASET_OPTIONS = optionNames<ModelEvaluateDatasetArgs>({ batches: true, verbose: true, returnDict: true, callbacks: true });

/** Gets the compiled model ready for batches of inputs like `sample` (the first batch's). */
export type TargetFor = (sample: InputSample) => Promise<TrainingTarget>;

/** Gets what trains the model on batches of inputs like `sample` (the first batch's). */
export type TrainerFor = (sample: InputSample) => Promise<DatasetTrainer>;

/** {@link evaluateStream} inside `callbacks.test` (the test hooks around it): its logs, and how many batches it read. */
async function testStream(target: TrainingTarget, iterator: AsyncIterator<unknown>, pending: IteratorResult<unknown> | null, batches: number | undefined, what: string, callbacks: CallbackList): Promise<{ logs: Logs; read: number }> {
  let read = 0;
  const logs = await callbacks.test(async () => {
    const pass = await evaluateStream(target, iterator, pending, batches, what, callbacks);
    read = pass.read;
    return pass.acc.logs();
  });
  return { logs, read };
}

function checkDataset(dataset: unknown, what: string): asserts dataset is Dataset<unknown> {
  if (!(dataset instanceof Dataset)) throw new Error(`${what} needs a km.data dataset. Received: ${describe(dataset)}. Make one with km.data.array, km.data.generator, km.data.zip or km.data.csv.`);
}

/** `fit` on a dataset of `{ xs, ys }` batches: streams each batch through `trainerFor`'s steps. */
export async function fitDataset(dataset: Dataset<unknown>, trainerFor: TrainerFor, args: ModelFitDatasetArgs = {}): Promise<History> {
  checkDataset(dataset, 'fit(dataset)');
  checkOptions(args, FIT_DATASET_OPTIONS, 'fit(dataset)');
  const { epochs, initialEpoch } = checkEpochs(args);
  const perEpoch = args.batchesPerEpoch;
  if (perEpoch !== undefined && (!Number.isInteger(perEpoch) || perEpoch < 1)) throw new Error(`batchesPerEpoch must be a positive integer. Received: batchesPerEpoch=${perEpoch}. Omit it to use one full pass over the dataset per epoch.`);
  refuseEndless(dataset, perEpoch, 'fit(dataset)', 'batchesPerEpoch', 'steps_per_epoch');
  const validationSet = args.validationData !== undefined && !Array.isArray(args.validationData) ? args.validationData : undefined;
  if (validationSet !== undefined) checkDataset(validationSet, 'fit(dataset, { validationData })');
  const verbose = checkVerbosity(args.verbose, 'fit(dataset)');
  const validationFreq = checkPositiveInt(args.validationFreq ?? 1, 'validationFreq');
  const validationBatches = args.validationBatches === undefined ? undefined : checkPositiveInt(args.validationBatches, 'validationBatches');
  const validationBatchSize = args.validationBatchSize === undefined ? undefined : checkPositiveInt(args.validationBatchSize, 'validationBatchSize');
  if (validationSet !== undefined) {
    refuseEndless(validationSet, validationBatches, 'fit(dataset, { validationData })', 'validationBatches', 'validation_steps');
    if (validationBatchSize !== undefined) {
      throw new Error(
        `fit(dataset): validationBatchSize (${validationBatchSize}) sets the batch size of [x, y] validation tensors, but validationData is a dataset, whose batches are already made. ` +
          'Drop validationBatchSize and batch the validation dataset at the size you want with .batch(n).',
      );
    }
  }

  const stream = new TrainingStream(dataset, perEpoch !== undefined);
  const first = batchTensors(await stream.first('fit(dataset)'), 0, 'fit(dataset)');
  const trainer = await trainerFor(inputSampleOf(first.xs));
  const model = trainer.model;
  const batchSize = first.first.shape[0];
  // Without batchesPerEpoch or a known size, Keras reports unknown steps until the first pass has counted them.
  const params: FitParams = {
    epochs, steps: knownSteps(dataset, perEpoch), samples: 0, batchSize, verbose, initialEpoch, ...(args.validationData && { validationFreq }),
    doValidation: args.validationData !== undefined, ...withLogNames(trainer.logNames(args.validationData !== undefined)), datasetPosition: stream.position,
    ...(validationSet && { validationShuffleIterations: shufflePasses(validationSet) }),
  };
  const hooks = new FitHooks(model, params, args.callbacks, new Yielder(args.yieldEvery));
  const callbacks = hooks.callbacks;
  let warnedFewerValidation = false;
  const opened = params.datasetPosition;
  const validationOpened = params.validationShuffleIterations;
  await callbacks.call('onTrainBegin');
  // A callback resuming a run (backupAndRestore) moves the positions to where that run had got to:
  // the validation's first, so that a shuffle both datasets read from ends at the training's.
  if (params.validationShuffleIterations !== validationOpened) setShufflePasses(validationSet!, params.validationShuffleIterations!);
  if (params.datasetPosition !== opened) await stream.seek(params.datasetPosition!);
  for (let epoch = params.initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    stream.startEpoch();
    params.datasetPosition = stream.position;
    await callbacks.call('onEpochBegin', epoch);
    const steps = trainer.newEpoch();
    let step = 0;
    let samples = 0;
    while ((perEpoch === undefined || step < perEpoch) && !model.stopTraining) {
      const next = await stream.next();
      if (next.done) {
        // A full pass per epoch may end anywhere but at the start: an empty pass means the source cannot restart.
        if (perEpoch !== undefined || step === 0) {
          console.warn(ranOutOfData(perEpoch, step, epoch));
          model.stopTraining = true;
        }
        break;
      }
      const batch = await steps.ready(next.value, step);
      await hooks.batch(epoch, step, batch.size, () => batch.train(), () => steps.logs());
      step++;
      samples += batch.size;
    }
    stream.endEpoch();
    if (step === 0) break;
    if (params.steps === 0) params.steps = step;
    if (params.samples === 0) params.samples = samples;
    const logs = steps.logs();
    const validation = skipsValidation(params, epoch) ? undefined : args.validationData;
    if (Array.isArray(validation)) {
      const [vx, vy] = validation;
      Object.assign(logs, validationLogs(await callbacks.test(() => trainer.validateTensors(vx, vy, validationBatchSize ?? batchSize, callbacks))));
    } else if (validation) {
      let read = 0;
      const validated = await callbacks.test(async () => {
        const pass = await trainer.validateStream(validation.iterator(), validationBatches, callbacks);
        read = pass.read;
        return pass.logs;
      });
      // Once per fit, as Python shows a repeated warning once.
      if (validationBatches !== undefined && read < validationBatches && !model.stopEvaluating && !warnedFewerValidation) {
        console.warn(evaluatedFewer('fit(dataset, { validationData })', 'validationBatches', validationBatches, read));
        warnedFewerValidation = true;
      }
      Object.assign(logs, validationLogs(validated));
    }
    // Read after validation, which begins a pass of the shuffles it reads, the training data's too if they share one.
    params.datasetPosition = stream.position;
    if (validationSet) params.validationShuffleIterations = shufflePasses(validationSet);
    await hooks.epochEnd(epoch, step - 1, logs);
  }
  return hooks.trainEnd(trainer.optimizer);
}

/** `evaluate` on a dataset of `{ xs, ys }` batches: `[loss, ...metrics]` over all of them (or the first `batches`). */
export async function evaluateDataset(dataset: Dataset<unknown>, targetFor: TargetFor, args: ModelEvaluateDatasetArgs = {}): Promise<number[] | Record<string, number>> {
  checkDataset(dataset, 'evaluate(dataset)');
  checkOptions(args, EVALUATE_DATASET_OPTIONS, 'evaluate(dataset)');
  if (args.batches !== undefined && (!Number.isInteger(args.batches) || args.batches < 1)) throw new Error(`batches must be a positive integer. Received: batches=${args.batches}.`);
  refuseEndless(dataset, args.batches, 'evaluate(dataset)', 'batches', 'steps');
  const verbose = checkVerbosity(args.verbose, 'evaluate(dataset)');
  const callbacks = new CallbackList(args.callbacks);
  const iterator = dataset.iterator();
  const first = await firstBatch(iterator, 'evaluate(dataset)');
  const { xs, first: batch } = batchTensors(first.value, 0, 'evaluate(dataset)');
  const target = await targetFor(inputSampleOf(xs));
  // As fit(dataset), the steps and samples are unknown (0) until counted; Keras' evaluate sets epochs 1.
  callbacks.configure(target.model, { epochs: 1, steps: knownSteps(dataset, args.batches), samples: 0, batchSize: batch.shape[0], verbose, initialEpoch: 0 });
  const start = performance.now();
  const { logs, read } = await testStream(target, iterator, first, args.batches, 'evaluate(dataset)', callbacks);
  // A callback's stopEvaluating, not the data, ended it early: nothing to warn about.
  if (args.batches !== undefined && read < args.batches && !target.model.stopEvaluating) console.warn(evaluatedFewer('evaluate(dataset)', 'batches', args.batches, read));
  if (verbose !== 0) {
    const text = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');
    console.log(`${((performance.now() - start) / 1000).toFixed(1)}s - ${text}`);
  }
  return args.returnDict ? logs : Object.values(logs);
}

/** `params.metrics` when the names are known before the steps run. */
function withLogNames(names: string[] | undefined): { metrics?: string[] } {
  return names ? { metrics: names } : {};
}
