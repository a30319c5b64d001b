import { CallbackList, type Logs } from '../callbacks/callbacks.js';
import { History } from '../callbacks/history.js';
import { skipsValidation, type FitParams } from '../callbacks/callback.js';
import { checkVerbosity, progressLogger } from '../callbacks/progbar_logger.js';
import { globalGenerator } from '../utils/random.js';
import { checkEpochs, checkPositiveInt, checkSeed } from './validate_data.js';
import { epochLogNames } from './metric_names.js';
import type { TensorsSpec } from './outputs.js';
import { checkOptions } from '../utils/options.js';
import { Yielder } from './yield_every.js';
import { checkStatefulBatches } from './stateful.js';
import { Accumulator } from './accumulator.js';
import { prepare, type Dataset } from './prepare_data.js';
import { evaluateData, trainBatch, validationLogs } from './run_batch.js';
import { EVALUATE_OPTIONS, FIT_OPTIONS, type ModelEvaluateArgs, type ModelFitArgs } from './training_args.js';
import type { TrainingTarget } from './training_target.js';
import { SamplePasses } from './sample_passes.js';

export { epochSeed } from './sample_passes.js';

/** Samples `[start, end)` of `data`'s order: `validationSplit`'s two parts. */
function subset(data: Dataset, start: number, end: number): Dataset {
  return { ...data, order: data.order.slice(start, end) };
}

/** The `fit` loop: shuffles, batches, steps the optimizer, reports to callbacks. */
export async function fit(target: TrainingTarget, x: TensorsSpec, y: TensorsSpec, args: ModelFitArgs = {}): Promise<History> {
  checkOptions(args, FIT_OPTIONS, 'fit');
  const { epochs, initialEpoch } = checkEpochs(args);
  const seed = checkSeed(args.seed);
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new Error(`validationSplit must be a number in [0, 1), the fraction of samples held out. Received: validationSplit=${JSON.stringify(split)}.`);
  const verbose = checkVerbosity(args.verbose, 'fit');
  const yielder = new Yielder(args.yieldEvery);
  const validationFreq = checkPositiveInt(args.validationFreq ?? 1, 'validationFreq');
  const validationBatchSize = checkPositiveInt(args.validationBatchSize ?? batchSize, 'validationBatchSize');
  const stepsPerEpoch = args.stepsPerEpoch == null ? undefined : checkPositiveInt(args.stepsPerEpoch, 'stepsPerEpoch');

  let train = await prepare(target, x, y, 'x', 'y', args.sampleWeight, args.classWeight);
  let validation: Dataset | null = null;
  if (args.validationData) {
    validation = await prepare(target, args.validationData[0], args.validationData[1], 'validationData[0]', 'validationData[1]', args.validationData[2]);
  } else if (split > 0) {
    // Keras holds out the last samples, before any shuffling.
    const n = train.order.length;
    const cut = Math.floor(n * (1 - split));
    if (cut === 0 || cut === n) throw new Error(`validationSplit=${split} leaves ${cut} training and ${n - cut} validation samples of ${n}; choose a split that leaves both non-empty.`);
    // Keras 3 and tfjs weigh only the training part by classWeight (sampleWeight is split with the samples).
    validation = { ...subset(train, cut, n), outputWeights: undefined };
    train = subset(train, 0, cut);
  }

  checkStatefulBatches(target.graph.layers, 'fit', batchSize, train.order.length, args.shuffle ?? true);
  if (validation) checkStatefulBatches(target.graph.layers, 'fit (its validation data)', validationBatchSize, validation.order.length);
  const shuffleSeed = seed ?? Math.floor(globalGenerator().next() * 4294967296);
  const samples = train.order.length;
  if (stepsPerEpoch && samples === 0) throw new Error(`fit received no training samples, so stepsPerEpoch=${stepsPerEpoch} has no batches to read. Pass x and y with at least one sample.`);
  const steps = stepsPerEpoch ?? Math.ceil(samples / batchSize);
  const callbacks = new CallbackList(args.callbacks);
  const logger = progressLogger(verbose);
  if (logger) callbacks.add(logger, true);
  const params: FitParams = {
    epochs, steps, samples, batchSize, verbose, initialEpoch, seed: shuffleSeed, ...(stepsPerEpoch && { stepsPerEpoch }), ...(validation && { validationFreq }),
    doValidation: validation !== null, metrics: epochLogNames(target.outputs, validation !== null),
  };
  callbacks.configure(target.model, params);
  // Keras' batch hooks and tfjs' aliases, with the same logs; none, and a step makes no logs for them.
  const batchBegin = callbacks.having('onTrainBatchBegin', 'onBatchBegin');
  const batchEnd = callbacks.having('onTrainBatchEnd', 'onBatchEnd');
  const history = new History(params);
  target.stopTraining = false;

  let lastLogs: Logs | undefined;
  await callbacks.call('onTrainBegin');
  // Read after onTrainBegin: a callback resuming a run (backupAndRestore) moves the start and the seed.
  // Epoch e begins where the uninterrupted run's did, so fit({ seed, initialEpoch }) after loading a checkpoint repeats it.
  const passes = new SamplePasses(train.order, batchSize, args.shuffle ?? true ? params.seed! : undefined);
  for (let epoch = params.initialEpoch; epoch < epochs && !target.stopTraining; epoch++) {
    await callbacks.call('onEpochBegin', epoch);
    const acc = new Accumulator(target.outputs);
    for (let step = 0; step < steps && !target.stopTraining; step++) {
      const { start, count } = passes.batch(epoch * steps + step);
      if (batchBegin.length > 0) await callbacks.call(batchBegin, step, { batch: step, size: count });
      const pending = trainBatch(target, train, start, count, acc);
      if (pending) await pending;
      if (batchEnd.length > 0) await callbacks.call(batchEnd, step, { batch: step, size: count, ...acc.logs() });
      const turn = yielder.afterBatch();
      if (turn) await callbacks.yielded(turn, epoch, step, () => ({ batch: step, size: count, ...acc.logs() }));
    }
    const logs = acc.logs();
    if (validation && !skipsValidation(params, epoch)) {
      Object.assign(logs, validationLogs(await callbacks.test(async () => (await evaluateData(target, validation, validationBatchSize, callbacks)).logs())));
    }
    // History records after the callbacks, so values they add (ReduceLROnPlateau's learning_rate) are kept.
    await callbacks.call('onEpochEnd', epoch, logs);
    history.record(epoch, logs);
    lastLogs = logs;
    const turn = yielder.afterEpoch();
    if (turn) await callbacks.yielded(turn, epoch, steps - 1, () => logs);
  }
  // Keras 3 swaps in the weights' moving average (useEma) before on_train_end.
  target.optimizer.finalizeVariableValues();
  await callbacks.call('onTrainEnd', lastLogs);
  return history;
}

/**
 * `evaluate`: the loss and metrics over all samples, `[loss, ...metrics]`; with several outputs
 * `[total loss, ...each output's loss, ...each output's metrics]`, in the order of the logs.
 */
export async function evaluate(target: TrainingTarget, x: TensorsSpec, y: TensorsSpec, args: ModelEvaluateArgs = {}): Promise<number[] | Record<string, number>> {
  checkOptions(args, EVALUATE_OPTIONS, 'evaluate');
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const verbose = checkVerbosity(args.verbose, 'evaluate');
  const callbacks = new CallbackList(args.callbacks);
  const start = performance.now();
  const data = await prepare(target, x, y, 'x', 'y', args.sampleWeight);
  const samples = data.order.length;
  checkStatefulBatches(target.graph.layers, 'evaluate', batchSize, samples);
  const steps = Math.ceil(samples / batchSize);
  // Keras' evaluate sets epochs 1 and the steps.
  callbacks.configure(target.model, { epochs: 1, steps, samples, batchSize, verbose, initialEpoch: 0 });
  const logs = await callbacks.test(async () => (await evaluateData(target, data, batchSize, callbacks)).logs());
  if (verbose !== 0) {
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    const text = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');
    console.log(`${steps}/${steps} - ${seconds}s - ${text}`);
  }
  return args.returnDict ? logs : Object.values(logs);
}
