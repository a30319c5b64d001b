import { CallbackList, type CustomCallbackArgs, type Logs } from '../callbacks/callbacks.js';
import { skipsValidation, type FitParams } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { checkVerbosity, progressLogger, type Verbosity } from '../callbacks/progbar_logger.js';
import { Dataset } from '../data/dataset.js';
import type { Shape } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { Accumulator } from './accumulator.js';
import { evaluateBatch, evaluateData, prepare, trainBatch, validationLogs, type Dataset as HostData, type TrainingTarget } from './training.js';
import type { TensorsSpec } from './outputs.js';
import { Yielder, type YieldEvery } from './yield_every.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { checkEpochs, checkPositiveInt } from './validate_data.js';
import { epochLogNames } from './metric_names.js';

/** Options of `model.fit(dataset, args)`. */
export interface ModelFitDatasetArgs {
  /** Number of epochs (default 1). */
  epochs?: number;
  /**
   * Batches per epoch. Without it every epoch is one full pass over the dataset (restarted each
   * epoch); with it the dataset is read on across epochs, as in `tf.data`, and training stops
   * early if it runs out.
   */
  batchesPerEpoch?: number;
  /** 0: silent; 1: a progress bar per epoch (default 1); 2: one line per epoch, as Keras' verbose=2. */
  verbose?: Verbosity;
  /** A dataset of `{ xs, ys }` (or `{ xs, ys, sampleWeight }`) batches, or `[x, y]` tensors (lists or objects by name for several inputs/outputs), evaluated after each epoch. */
  validationData?: Dataset<unknown> | [TensorsSpec, TensorsSpec];
  /** Validate after every `validationFreq`-th epoch only (default 1), as in `fit(x, y)`. */
  validationFreq?: number;
  /** Evaluate only the first `validationBatches` batches of a validation dataset (Keras' `validation_steps`). */
  validationBatches?: number;
  /** Epoch to start counting from (for resuming). */
  initialEpoch?: number;
  /** Callbacks, called as in `fit(x, y)` (a batch's `size` is its number of samples). */
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
  /** How often to give the event loop a turn, as in `fit(x, y)` (default `'auto'`: every 125 ms). */
  yieldEvery?: YieldEvery;
}

const FIT_DATASET_OPTIONS = optionNames<ModelFitDatasetArgs>({
  epochs: true, batchesPerEpoch: true, verbose: true, validationData: true, validationFreq: true, validationBatches: true, initialEpoch: true, callbacks: true, yieldEvery: true,
});

/** Options of `model.evaluate(dataset, args)`. */
export interface ModelEvaluateDatasetArgs {
  /** Evaluate only the first `batches` batches. */
  batches?: number;
  verbose?: Verbosity;
  /** Return `{ loss, accuracy, ... }` instead of the list, as `evaluate(x, y)` does. */
  returnDict?: boolean;
  /** Callbacks whose test hooks run, as in `evaluate(x, y)`. */
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
}

/** Gets the compiled model ready for batches whose samples have this shape. */
export type TargetFor = (sampleShape: Shape) => Promise<TrainingTarget>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}

/** The tensors of a batch's xs or ys: one tensor, or (several inputs/outputs) a list of them in order or an object of them keyed by name. */
function batchParts(value: unknown): Tensor[] | null {
  if (value instanceof Tensor) return [value];
  if (typeof value !== 'object' || value === null) return null;
  const parts = Object.values(value);
  return parts.length > 0 && parts.every((t) => t instanceof Tensor) ? parts : null;
}

const BATCH_KEYS = ['xs', 'ys', 'sampleWeight'];

/** The `{ xs, ys, sampleWeight? }` tensors of one batch, with errors that say how to build a dataset fit can read. */
function batchTensors(element: unknown, index: number, what: string): { xs: TensorsSpec; ys: TensorsSpec; sampleWeight?: Tensor; first: Tensor } {
  const fix = 'Build it as km.data.zip({ xs, ys }).batch(batchSize) (or map elements to { xs, ys } before .batch).';
  if (typeof element !== 'object' || element === null || !('xs' in element) || !('ys' in element)) {
    const keys = typeof element === 'object' && element !== null ? `an object with keys [${Object.keys(element).join(', ')}]` : describe(element);
    throw new Error(`${what}: batch ${index} is ${keys}; expected { xs, ys }. ${fix}`);
  }
  const unread = Object.keys(element).filter((key) => !BATCH_KEYS.includes(key));
  if (unread.length > 0) {
    throw new Error(`${what}: batch ${index} has ${unread.map((k) => `'${k}'`).join(', ')}, which fit does not read: a batch is { xs, ys }, or { xs, ys, sampleWeight } with one weight per sample. Map the elements to those keys before .batch.`);
  }
  const { xs, ys, sampleWeight } = element as { xs: unknown; ys: unknown; sampleWeight?: unknown };
  const notBatched = (name: string, value: unknown) =>
    new Error(`${what}: batch ${index} has ${name} = ${describe(value)}, not a batch tensor. Call .batch(batchSize) on the dataset so elements are stacked into tensors (for several inputs or outputs, lists of them in order or objects keyed by name).`);
  for (const [name, value] of [['xs', xs], ['ys', ys]] as const) if (!batchParts(value)) throw notBatched(name, value);
  if (sampleWeight !== undefined && !(sampleWeight instanceof Tensor)) throw notBatched('sampleWeight', sampleWeight);
  return { xs: xs as TensorsSpec, ys: ys as TensorsSpec, sampleWeight: sampleWeight as Tensor | undefined, first: batchParts(xs)![0] };
}

async function hostBatch(target: TrainingTarget, element: unknown, index: number, what: string): Promise<HostData> {
  const { xs, ys, sampleWeight } = batchTensors(element, index, what);
  return prepare(target, xs, ys, `${what} batch ${index} xs`, `${what} batch ${index} ys`, sampleWeight);
}

async function firstBatch(iterator: AsyncIterator<unknown>, what: string): Promise<IteratorResult<unknown>> {
  const first = await iterator.next();
  if (first.done) throw new Error(`${what}: the dataset is empty. Check its source, and that take()/skip()/batch(n, false) leave at least one batch.`);
  return first;
}

/** Evaluates every batch of a dataset (or the first `batches`) into a fresh accumulator, calling the test batch hooks of `callbacks` around each. */
async function evaluateStream(target: TrainingTarget, iterator: AsyncIterator<unknown>, pending: IteratorResult<unknown> | null, batches: number | undefined, what: string, callbacks: CallbackList): Promise<Accumulator> {
  const acc = new Accumulator(target.outputs);
  const begin = callbacks.having('onTestBatchBegin');
  const end = callbacks.having('onTestBatchEnd');
  for (let index = 0; batches === undefined || index < batches; index++) {
    const next = pending ?? (await iterator.next());
    pending = null;
    if (next.done) break;
    const data = await hostBatch(target, next.value, index, what);
    const size = data.order.length;
    if (begin.length > 0) await callbacks.call(begin, index, { batch: index, size });
    await evaluateBatch(target, data, 0, size, acc);
    if (end.length > 0) await callbacks.call(end, index, { batch: index, size, ...acc.logs() });
  }
  return acc;
}

function checkDataset(dataset: unknown, what: string): asserts dataset is Dataset<unknown> {
  if (!(dataset instanceof Dataset)) throw new Error(`${what} needs a km.data dataset. Received: ${describe(dataset)}. Make one with km.data.array, km.data.generator, km.data.zip or km.data.csv.`);
}

/** Keras' "Your input ran out of data" warning, saying how to give fit enough batches. */
function ranOutOfData(perEpoch: number | undefined, step: number, epoch: number): string {
  if (perEpoch !== undefined) {
    return `fit(dataset): batchesPerEpoch is ${perEpoch}, but the dataset ran out after ${step} batches of epoch ${epoch + 1}; training stops here. Give the dataset at least batchesPerEpoch × epochs batches (e.g. with .repeat()).`;
  }
  return (
    `fit(dataset): your input ran out of data; interrupting training. Epoch ${epoch + 1} restarted the dataset, but it yielded no batches, so training stops after epoch ${epoch}. ` +
    'Each epoch calls dataset.iterator() again: pass km.data.generator a function that makes a fresh iterator on each call (not one already-made iterator), ' +
    'or read a long or endless source on across epochs with .repeat() and batchesPerEpoch.'
  );
}

/** `fit` on a dataset of `{ xs, ys }` batches: streams each batch through the model's batch plans. */
export async function fitDataset(dataset: Dataset<unknown>, targetFor: TargetFor, args: ModelFitDatasetArgs = {}): Promise<History> {
  checkDataset(dataset, 'fit(dataset)');
  checkOptions(args, FIT_DATASET_OPTIONS, 'fit(dataset)');
  const { epochs, initialEpoch } = checkEpochs(args);
  const perEpoch = args.batchesPerEpoch;
  if (perEpoch !== undefined && (!Number.isInteger(perEpoch) || perEpoch < 1)) throw new Error(`batchesPerEpoch must be a positive integer. Received: batchesPerEpoch=${perEpoch}. Omit it to use one full pass over the dataset per epoch.`);
  if (args.validationData !== undefined && !Array.isArray(args.validationData)) checkDataset(args.validationData, 'fit(dataset, { validationData })');
  const verbose = checkVerbosity(args.verbose, 'fit(dataset)');
  const validationFreq = checkPositiveInt(args.validationFreq ?? 1, 'validationFreq');
  const validationBatches = args.validationBatches === undefined ? undefined : checkPositiveInt(args.validationBatches, 'validationBatches');

  let iterator = dataset.iterator();
  let pending: IteratorResult<unknown> | null = await firstBatch(iterator, 'fit(dataset)');
  const first = batchTensors(pending.value, 0, 'fit(dataset)');
  const target = await targetFor(first.first.shape.slice(1));
  const batchSize = first.first.shape[0];
  // Keras reports unknown steps until the first pass has counted them.
  const params: FitParams = {
    epochs, steps: perEpoch ?? 0, samples: 0, batchSize, verbose, initialEpoch, ...(args.validationData && { validationFreq }),
    doValidation: args.validationData !== undefined, metrics: epochLogNames(target.outputs, args.validationData !== undefined),
  };
  const callbacks = new CallbackList(args.callbacks);
  const logger = progressLogger(verbose);
  if (logger) callbacks.add(logger, true);
  callbacks.configure(target.model, params);
  const history = new History(params);
  const yielder = new Yielder(args.yieldEvery);
  // Keras' batch hooks and tfjs' aliases, with the same logs.
  const batchBegin = callbacks.having('onTrainBatchBegin', 'onBatchBegin');
  const batchEnd = callbacks.having('onTrainBatchEnd', 'onBatchEnd');
  target.stopTraining = false;

  let lastLogs: Logs | undefined;
  await callbacks.call('onTrainBegin');
  for (let epoch = params.initialEpoch; epoch < epochs && !target.stopTraining; epoch++) {
    if (perEpoch === undefined && !pending) iterator = dataset.iterator();
    await callbacks.call('onEpochBegin', epoch);
    const acc = new Accumulator(target.outputs);
    let step = 0;
    let samples = 0;
    while ((perEpoch === undefined || step < perEpoch) && !target.stopTraining) {
      const next = pending ?? (await iterator.next());
      pending = null;
      if (next.done) {
        // A full pass per epoch may end anywhere but at the start: an empty pass means the source cannot restart.
        if (perEpoch !== undefined || step === 0) {
          console.warn(ranOutOfData(perEpoch, step, epoch));
          target.stopTraining = true;
        }
        break;
      }
      const data = await hostBatch(target, next.value, step, 'fit(dataset)');
      const count = data.order.length;
      if (batchBegin.length > 0) await callbacks.call(batchBegin, step, { batch: step, size: count });
      await trainBatch(target, data, 0, count, acc);
      if (batchEnd.length > 0) await callbacks.call(batchEnd, step, { batch: step, size: count, ...acc.logs() });
      const turn = yielder.afterBatch();
      if (turn) await callbacks.yielded(turn, epoch, step, () => ({ batch: step, size: count, ...acc.logs() }));
      step++;
      samples += count;
    }
    if (step === 0) break;
    if (params.steps === 0) params.steps = step;
    if (params.samples === 0) params.samples = samples;
    const logs = acc.logs();
    const validation = skipsValidation(params, epoch) ? undefined : args.validationData;
    if (Array.isArray(validation)) {
      const data = await prepare(target, validation[0], validation[1], 'validationData[0]', 'validationData[1]');
      Object.assign(logs, validationLogs(await callbacks.test(async () => (await evaluateData(target, data, batchSize, callbacks)).logs())));
    } else if (validation) {
      Object.assign(logs, validationLogs(await callbacks.test(async () => (await evaluateStream(target, validation.iterator(), null, validationBatches, 'validationData', callbacks)).logs())));
    }
    await callbacks.call('onEpochEnd', epoch, logs);
    history.record(epoch, logs);
    lastLogs = logs;
    const turn = yielder.afterEpoch();
    if (turn) await callbacks.yielded(turn, epoch, step - 1, () => logs);
  }
  // Keras 3 swaps in the weights' moving average (useEma) before on_train_end.
  target.optimizer.finalizeVariableValues();
  await callbacks.call('onTrainEnd', lastLogs);
  return history;
}

/** `evaluate` on a dataset of `{ xs, ys }` batches: `[loss, ...metrics]` over all of them (or the first `batches`). */
export async function evaluateDataset(dataset: Dataset<unknown>, targetFor: TargetFor, args: ModelEvaluateDatasetArgs = {}): Promise<number[] | Record<string, number>> {
  checkDataset(dataset, 'evaluate(dataset)');
  checkOptions(args, optionNames<ModelEvaluateDatasetArgs>({ batches: true, verbose: true, returnDict: true, callbacks: true }), 'evaluate(dataset)');
  if (args.batches !== undefined && (!Number.isInteger(args.batches) || args.batches < 1)) throw new Error(`batches must be a positive integer. Received: batches=${args.batches}.`);
  const verbose = checkVerbosity(args.verbose, 'evaluate(dataset)');
  const callbacks = new CallbackList(args.callbacks);
  const iterator = dataset.iterator();
  const first = await firstBatch(iterator, 'evaluate(dataset)');
  const batch = batchTensors(first.value, 0, 'evaluate(dataset)').first;
  const target = await targetFor(batch.shape.slice(1));
  // As fit(dataset), the steps and samples are unknown (0) until counted; Keras' evaluate sets epochs 1.
  callbacks.configure(target.model, { epochs: 1, steps: args.batches ?? 0, samples: 0, batchSize: batch.shape[0], verbose, initialEpoch: 0 });
  const start = performance.now();
  const logs = await callbacks.test(async () => (await evaluateStream(target, iterator, first, args.batches, 'evaluate(dataset)', callbacks)).logs());
  if (verbose !== 0) {
    const text = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');
    console.log(`${((performance.now() - start) / 1000).toFixed(1)}s - ${text}`);
  }
  return args.returnDict ? logs : Object.values(logs);
}
