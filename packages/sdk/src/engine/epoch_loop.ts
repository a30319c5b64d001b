// What every `fit(x, y)` shares, whoever computes its steps (kerasm's planned batches, or a
// km.Model's own trainStep): its options checked, the epochs of shuffled batches, the callbacks'
// hooks around them, validation, and the History.
import { CallbackList, type Logs } from '../callbacks/callbacks.js';
import type { History } from '../callbacks/history.js';
import { skipsValidation, type CallbackModel, type FitParams } from '../callbacks/callback.js';
import { checkVerbosity, type Verbosity } from '../callbacks/progbar_logger.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { globalGenerator } from '../utils/random.js';
import { validationLogs } from './run_batch.js';
import { SamplePasses } from './sample_passes.js';
import type { ModelFitArgs } from './training_args.js';
import { checkEpochs, checkPositiveInt, checkSeed } from './validate_data.js';
import { Yielder } from './yield_every.js';
import { FitHooks } from './fit_hooks.js';

/** `fit`'s options, checked, with Keras' defaults filled in. */
export interface FitSettings {
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly seed: number | undefined;
  readonly batchSize: number;
  readonly validationSplit: number;
  readonly verbose: Verbosity;
  readonly yielder: Yielder;
  readonly validationFreq: number;
  readonly validationBatchSize: number;
  readonly stepsPerEpoch: number | undefined;
  readonly shuffle: boolean;
}

export function fitSettings(args: ModelFitArgs): FitSettings {
  const { epochs, initialEpoch } = checkEpochs(args);
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new Error(`validationSplit must be a number in [0, 1), the fraction of samples held out. Received: validationSplit=${JSON.stringify(split)}.`);
  return {
    epochs,
    initialEpoch,
    seed: checkSeed(args.seed),
    batchSize,
    validationSplit: split,
    verbose: checkVerbosity(args.verbose, 'fit'),
    yielder: new Yielder(args.yieldEvery),
    validationFreq: checkPositiveInt(args.validationFreq ?? 1, 'validationFreq'),
    validationBatchSize: checkPositiveInt(args.validationBatchSize ?? batchSize, 'validationBatchSize'),
    stepsPerEpoch: args.stepsPerEpoch == null ? undefined : checkPositiveInt(args.stepsPerEpoch, 'stepsPerEpoch'),
    shuffle: args.shuffle ?? true,
  };
}

/**
 * Where `validationSplit` cuts `n` samples: Keras holds out the last ones, before any shuffling,
 * and trains on the first `floor(n × (1 − split))`.
 */
export function splitPoint(n: number, split: number): number {
  const cut = Math.floor(n * (1 - split));
  if (cut === 0 || cut === n) throw new Error(`validationSplit=${split} leaves ${cut} training and ${n - cut} validation samples of ${n}; choose a split that leaves both non-empty.`);
  return cut;
}

/** One epoch's training steps and the logs they have made so far. */
export interface EpochSteps {
  /** Trains on `count` samples from `start` in the training order. */
  step(start: number, count: number): void | Promise<void>;
  logs(): Logs;
}

/** What {@link runEpochs} trains. */
export interface EpochLoop {
  /** The model as callbacks see it; its `stopTraining` ends training after the current batch. */
  readonly model: CallbackModel;
  readonly optimizer: Optimizer;
  readonly settings: FitSettings;
  /** The training samples' indices; each pass reorders them in place when shuffling. */
  readonly order: Int32Array;
  /** The names the epoch logs hold, for callbacks' `params.metrics`; undefined where they are known only once the steps run. */
  readonly logNames: string[] | undefined;
  newEpoch(): EpochSteps;
  /** The logs of a validation pass (without the `val_` prefix), or null when `fit` has no validation data. */
  readonly validate: ((callbacks: CallbackList) => Promise<Logs>) | null;
}

/** The epochs of `fit`: shuffled batches, the callbacks' hooks around them, validation, and the History. */
export async function runEpochs(loop: EpochLoop, callbackArgs: ModelFitArgs['callbacks']): Promise<History> {
  const { model, settings, order } = loop;
  const { epochs, batchSize, verbose, yielder, stepsPerEpoch } = settings;
  const shuffleSeed = settings.seed ?? Math.floor(globalGenerator().next() * 4294967296);
  const samples = order.length;
  if (stepsPerEpoch && samples === 0) throw new Error(`fit received no training samples, so stepsPerEpoch=${stepsPerEpoch} has no batches to read. Pass x and y with at least one sample.`);
  const steps = stepsPerEpoch ?? Math.ceil(samples / batchSize);
  const validation = loop.validate;
  const params: FitParams = {
    epochs, steps, samples, batchSize, verbose, initialEpoch: settings.initialEpoch, seed: shuffleSeed, ...(stepsPerEpoch && { stepsPerEpoch }),
    ...(validation && { validationFreq: settings.validationFreq }), doValidation: validation !== null, ...(loop.logNames && { metrics: loop.logNames }),
  };
  const hooks = new FitHooks(model, params, callbackArgs, yielder);
  const callbacks = hooks.callbacks;
  await callbacks.call('onTrainBegin');
  // Read after onTrainBegin: a callback resuming a run (backupAndRestore) moves the start and the seed.
  // Epoch e begins where the uninterrupted run's did, so fit({ seed, initialEpoch }) after loading a checkpoint repeats it.
  const passes = new SamplePasses(order, batchSize, settings.shuffle ? params.seed! : undefined);
  for (let epoch = params.initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    await callbacks.call('onEpochBegin', epoch);
    const epochSteps = loop.newEpoch();
    for (let step = 0; step < steps && !model.stopTraining; step++) {
      const { start, count } = passes.batch(epoch * steps + step);
      await hooks.batch(epoch, step, count, () => epochSteps.step(start, count), () => epochSteps.logs());
    }
    const logs = epochSteps.logs();
    if (validation && !skipsValidation(params, epoch)) {
      const validated = await callbacks.test(() => validation(callbacks));
      Object.assign(logs, validationLogs(validated));
    }
    await hooks.epochEnd(epoch, steps - 1, logs);
  }
  return hooks.trainEnd(loop.optimizer);
}
