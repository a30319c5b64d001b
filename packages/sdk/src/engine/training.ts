import type { Backend, Scalar } from '../backend/backend.js';
import { CallbackList, type CustomCallbackArgs, type Logs } from '../callbacks/callbacks.js';
import { History } from '../callbacks/history.js';
import { skipsValidation, type CallbackModel, type FitParams } from '../callbacks/callback.js';
import { checkVerbosity, progressLogger, type Verbosity } from '../callbacks/progbar_logger.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { sameShape, shapeSize, Tensor } from '../tensor.js';
import { globalGenerator, Random } from '../utils/random.js';
import type { Graph } from './graph.js';
import type { ParamStore } from './params.js';
import { bufferCopy, deviceTensor, unreadBufferOn } from './device_tensor.js';
import type { BatchPlan } from './plan.js';
import { backwardPass, forwardPass, type PassContext } from './step.js';
import { activityPenalties, applyConstraints, regularizationPenalty, withPenalty } from './regularization.js';
import { resolveSampleWeights, type ClassWeight, type SampleWeightInput } from './sample_weights.js';
import { metricWeights, outputMask, positionWeights } from './loss_weights.js';
import { StepMetricBatch } from './step_metric_batch.js';
import { firstNonFinite } from '../backend/non_finite.js';
import { checkEpochs, checkFinite, checkPositiveInt, checkSeed, checkSameLength, checkTensor, nonFiniteError, readTensors } from './validate_data.js';
import { epochLogNames } from './metric_names.js';
import { modelInputValues } from './model_input_values.js';
import { modelOutputs, tensorsFor, type OutputSpec, type TensorsSpec } from './outputs.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { Yielder, type YieldEvery } from './yield_every.js';
import { positions } from '../losses/targets.js';
import { checkStatefulBatches } from './stateful.js';
import { Accumulator } from './accumulator.js';

/** Options of `model.fit`, with Keras' defaults. */
export interface ModelFitArgs {
  /** Number of passes over the data (default 1). */
  epochs?: number;
  /** Samples per gradient update (default 32). */
  batchSize?: number;
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
  /** A weight per class index (`{ 0: 1, 1: 5 }`), turned into sample weights from the targets; classes left out weigh 1. */
  classWeight?: ClassWeight;
  /** Seed for the shuffling order; defaults to a draw from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number;
  /** Epoch to start from (for resuming): epoch e shuffles as it would have in an uninterrupted run with the same `seed`. */
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

const FIT_OPTIONS = optionNames<ModelFitArgs>({
  epochs: true, batchSize: true, verbose: true, shuffle: true, validationSplit: true, validationData: true, validationFreq: true, validationBatchSize: true,
  sampleWeight: true, classWeight: true, seed: true, initialEpoch: true, callbacks: true, yieldEvery: true,
});
const EVALUATE_OPTIONS = optionNames<ModelEvaluateArgs>({ batchSize: true, sampleWeight: true, verbose: true, returnDict: true, callbacks: true });
const PREDICT_OPTIONS = optionNames<ModelPredictArgs>({ batchSize: true, verbose: true, callbacks: true });

/** What the training loop needs from a compiled, built model. */
export interface TrainingTarget {
  readonly backend: Backend;
  readonly graph: Graph;
  readonly params: ParamStore;
  /** Loss, loss weight and metrics of each model output, in order. */
  readonly outputs: readonly OutputSpec[];
  readonly optimizer: Optimizer;
  /** The reusable buffers for one batch size. */
  plan(batch: number): BatchPlan;
  /** Set by callbacks to end training after the current batch. */
  stopTraining: boolean;
  /** The model as callbacks see it. */
  readonly model: CallbackModel;
}

/** Host arrays ready for batching (also what one streamed batch becomes). */
export interface Dataset {
  /** Features per model input. */
  xs: Float32Array[];
  /** Targets per model output. */
  ys: (Float32Array | Int32Array)[];
  /** Sample indices in the order they are visited. */
  order: Int32Array;
  /** Values per sample of each input and of each output's targets. */
  xRows: number[];
  yRows: number[];
  /** Loss weights by sample index, `weightRow` per sample (1, or one per position: temporal), when any were given. */
  weights?: Float32Array;
  weightRow?: number;
}

/**
 * Validates x and y against the model's inputs and outputs (one tensor, a list, or an object keyed by
 * name each) and returns host arrays ready for batching. Tensors still on a device (another model's
 * predictions) are read without blocking first, which WebGPU requires.
 */
export async function prepare(target: TrainingTarget, xIn: unknown, yIn: unknown, xName: string, yName: string, sampleWeight?: SampleWeightInput, classWeight?: ClassWeight): Promise<Dataset> {
  await readTensors([xIn, yIn, sampleWeight]);
  const { graph, outputs } = target;
  const xsIn = tensorsFor(xIn, graph.inputNames, xName, 'inputs');
  const ysIn = tensorsFor(yIn, outputs.map((o) => o.name), yName, 'outputs', outputs.map((o) => o.loss === null));
  const xs = xsIn.tensors.map((t, k) => checkTensor(t, xsIn.labels[k]));
  // An output without a loss or metrics reads no targets: any given are ignored, as Keras does.
  const ys = ysIn.tensors.map((t, k) => (readsTargets(outputs[k]) ? checkTensor(outputs[k].loss === null ? (t ?? missingTargets(outputs[k], ysIn.labels[k])) : t, ysIn.labels[k]) : null));
  xs.forEach((x, k) => {
    graph.checkInput(x.shape, xsIn.labels[k], k);
    checkSameLength(xs[0], x, xsIn.labels[0], xsIn.labels[k]);
  });
  ys.forEach((y, k) => {
    if (!y) return;
    checkSameLength(xs[0], y, xsIn.labels[0], ysIn.labels[k]);
    const { loss, shape, name } = outputs[k];
    if (!loss) {
      // Only its metrics read them, as targets shaped like the output.
      const expected = [y.shape[0], ...shape];
      if (sameShape(y.shape, expected) || (shape[shape.length - 1] === 1 && sameShape(y.shape, expected.slice(0, -1)))) return;
      throw new Error(`${ysIn.labels[k]}, the targets of output '${name}' (which has no loss, only metrics): its metrics compare the predictions with targets shaped like the output, [${expected.join(', ')}], but received shape [${y.shape.join(', ')}] (${y.dtype}).`);
    }
    try {
      loss.validateTargets(y, shape);
    } catch (e) {
      if (outputs.length === 1) throw e;
      throw new Error(`${ysIn.labels[k]}, the targets of output '${name}': ${(e as Error).message}`);
    }
  });
  xs.forEach((x, k) => checkFinite(x, xsIn.labels[k]));
  ys.forEach((y, k) => y && checkFinite(y, ysIn.labels[k]));
  if (classWeight !== undefined && outputs.length > 1) {
    throw new Error(`classWeight is for models with one output, but this model has ${outputs.length} [${outputs.map((o) => `'${o.name}'`).join(', ')}]. Pass sampleWeight instead, with the class weights multiplied in.`);
  }
  if (classWeight !== undefined && positions(outputs[0].shape) > 1) {
    throw new Error(`classWeight weighs each sample by its one class, but this model's output (None, ${outputs[0].shape.join(', ')}) has a class at each of ${positions(outputs[0].shape)} positions per sample; Keras rejects class_weight here too. Pass sampleWeight, one weight per sample, instead.`);
  }
  // classWeight needs the one output's targets; sampleWeight, the sample count and the first trained output's positions.
  const first = outputs.findIndex((o) => o.loss !== null);
  const units = outputs[first].shape[outputs[first].shape.length - 1];
  // A single sigmoid unit classifies into 0 and 1.
  const weights = resolveSampleWeights(ys[first]!, sampleWeight, classWeight, outputs[first].shape.slice(0, -1), units === 1 ? 2 : units);
  const mismatched = weights && weights.row > 1 ? outputs.find((o) => (o.loss || o.weightedMetrics.length > 0) && positions(o.shape) !== weights.row) : undefined;
  if (mismatched) {
    throw new Error(`sampleWeight gives ${weights!.row} weights per sample (one per position), but output '${mismatched.name}' (None, ${mismatched.shape.join(', ')}) has ${positions(mismatched.shape)} positions per sample. Pass one weight per sample, shape [${xs[0].shape[0]}], for a model whose outputs differ in positions.`);
  }
  const n = xs[0].shape[0];
  const yValues = ys.map((y, k) => {
    if (!y) return new Float32Array(0);
    const { loss, shape } = outputs[k];
    if (!loss) return y.dtype === 'float32' ? (y.dataSync() as Float32Array) : Float32Array.from(y.dataSync());
    const raw = loss.sparseTargets
      ? y.dtype === 'int32' ? (y.dataSync() as Int32Array) : Int32Array.from(y.dataSync())
      : y.dtype === 'float32' ? (y.dataSync() as Float32Array) : Float32Array.from(y.dataSync());
    return loss.transformTargets ? loss.transformTargets(raw, shape, n) : raw;
  });
  return {
    xs: xs.map((x, k) => modelInputValues(graph, x, k, xsIn.labels[k])),
    ys: yValues,
    order: Int32Array.from({ length: n }, (_, i) => i),
    xRows: xs.map((x) => x.size / n),
    yRows: yValues.map((v) => v.length / n),
    weights: weights?.weights,
    weightRow: weights?.row,
  };
}

/** Whether training reads an output's targets: for its loss, or for its metrics when it has none. */
function readsTargets(o: OutputSpec): boolean {
  return o.loss !== null || o.metrics.length > 0 || o.weightedMetrics.length > 0;
}

function missingTargets(o: OutputSpec, label: string): never {
  const names = [...o.metrics, ...o.weightedMetrics].map((m) => `'${m.name}'`).join(', ');
  throw new Error(`${label}: output '${o.name}' has no loss, but compile gave it the metrics [${names}], which compare its predictions with targets. Pass its targets, or compile without metrics for it.`);
}

function subset(data: Dataset, start: number, end: number): Dataset {
  return { ...data, order: data.order.slice(start, end) };
}

/**
 * Each plan's pass contexts (training, inference), made on its first batch: nothing in them changes
 * from step to step, since a model remakes its plans on compile and on a new parameter layout.
 */
const PASS_CONTEXTS = new WeakMap<BatchPlan, [PassContext | null, PassContext | null]>();

function passContext(target: TrainingTarget, plan: BatchPlan, training: boolean): PassContext {
  let contexts = PASS_CONTEXTS.get(plan);
  if (!contexts) PASS_CONTEXTS.set(plan, (contexts = [null, null]));
  return (contexts[training ? 1 : 0] ??= newPassContext(target, plan, training));
}

function newPassContext(target: TrainingTarget, plan: BatchPlan, training: boolean): PassContext {
  // A softmax is left to the loss only where nothing but the loss reads the output, and no activity
  // penalty needs to see the probabilities.
  const deferSoftmax = target.outputs.map((o) => {
    const layer = target.graph.nodes[o.node].layer;
    return o.loss !== null && o.loss.fusesSoftmax && layer.outputActivation === 'softmax' && target.graph.consumers[o.node].length === 0 && !layer.activityRegularizer;
  });
  return { backend: target.backend, graph: target.graph, params: target.params, plan, training, deferSoftmax };
}

/** Loads one batch, runs the forward pass and each output's loss; returns the loss sums per output and the metric updates. */
function runBatch(target: TrainingTarget, data: Dataset, start: number, count: number, training: boolean): [Scalar[], (void | Promise<void>)[], PassContext] {
  // A callback may have run another model sharing layers with this one since the last batch.
  target.params.claim();
  const plan = target.plan(count);
  const { backend, outputs } = target;
  for (let k = 0; k < data.xs.length; k++) backend.gatherRows(plan.inputs[k], data.xs[k], data.order, start, count, data.xRows[k]);
  for (let k = 0; k < data.ys.length; k++) if (data.yRows[k] > 0) backend.gatherRows(plan.targetsList[k], data.ys[k], data.order, start, count, data.yRows[k]);
  const ctx = passContext(target, plan, training);
  forwardPass(ctx);
  const lossSums: Scalar[] = [];
  const updates: (void | Promise<void>)[] = [];
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k];
    const modelOutput = plan.modelOutput(target.graph, k);
    const grad = training ? modelOutput.grad : 0;
    if (o.loss === null) {
      // No loss term: the output's gradient starts at zero (layers reading it may still add theirs).
      if (grad) backend.fill(grad, count * shapeSize(o.shape), 0);
      lossSums.push(0);
      // Gathers the batch's sample weights, which its weighted metrics read.
      if (o.weightedMetrics.length > 0) positionWeights(target, plan, data, k, start, count);
      continue;
    }
    // A masked output, or sample weights: Keras' masked, weighted mean over the positions (loss_weights.ts).
    const weights = positionWeights(target, plan, data, k, start, count);
    lossSums.push(o.loss.compute(backend, modelOutput.output, plan.targetsList[k], grad, count, o.shape, ctx.deferSoftmax[k], weights));
    // The total loss is Σ weight·loss, so each output's gradient scales by its weight.
    if (grad && o.weight !== 1) backend.scale(grad, count * shapeSize(o.shape), o.weight);
  }
  for (let k = 0; k < outputs.length; k++) {
    const { metrics, weightedMetrics } = outputs[k];
    if (metrics.length === 0 && weightedMetrics.length === 0) continue;
    const batch = new StepMetricBatch(target, data, start, count, plan, k, outputMask(plan, outputs[k]));
    for (const m of metrics) updates.push(m.update(batch));
    if (weightedMetrics.length === 0) continue;
    const weighted = batch.withWeights(target, plan, metricWeights(target, plan, data, k, count));
    for (const m of weightedMetrics) updates.push(m.update(weighted));
  }
  return [lossSums, updates, ctx];
}

/**
 * One optimizer step on samples `[start, start + count)` of `data`, added to the epoch's
 * accumulator. Returns a promise only when something must be awaited (see {@link Accumulator.add}),
 * so a step on the wasm backend makes no promise.
 */
export function trainBatch(target: TrainingTarget, data: Dataset, start: number, count: number, acc: Accumulator): void | Promise<void> {
  const [lossSums, updates, ctx] = runBatch(target, data, start, count, true);
  const activity = backwardPass(ctx);
  const weightPenalties = regularizationPenalty(target.backend, target.graph, target.params, true);
  target.optimizer.apply(target.params.params, target.params.grads);
  applyConstraints(target.backend, target.graph, target.params);
  return acc.add(lossSums, withPenalty(0, activity.length === 0 ? weightPenalties : [...activity, ...weightPenalties], count), count, updates);
}

/** Adds the loss and metrics of samples `[start, start + count)` of `data` to `acc`, without training. */
export function evaluateBatch(target: TrainingTarget, data: Dataset, start: number, count: number, acc: Accumulator): void | Promise<void> {
  const [lossSums, updates, ctx] = runBatch(target, data, start, count, false);
  const penalty = [...activityPenalties(target.backend, target.graph, ctx.plan), ...regularizationPenalty(target.backend, target.graph, target.params, false)];
  return acc.add(lossSums, withPenalty(0, penalty, count), count, updates);
}

/** Evaluates `data` batch by batch into a fresh accumulator, calling the test batch hooks of `callbacks` around each batch. */
export async function evaluateData(target: TrainingTarget, data: Dataset, batchSize: number, callbacks?: CallbackList): Promise<Accumulator> {
  const acc = new Accumulator(target.outputs);
  const begin = callbacks?.having('onTestBatchBegin') ?? [];
  const end = callbacks?.having('onTestBatchEnd') ?? [];
  for (let start = 0, batch = 0; start < data.order.length; start += batchSize, batch++) {
    const count = Math.min(batchSize, data.order.length - start);
    if (begin.length > 0) await callbacks!.call(begin, batch, { batch, size: count });
    const pending = evaluateBatch(target, data, start, count, acc);
    if (pending) await pending;
    if (end.length > 0) await callbacks!.call(end, batch, { batch, size: count, ...acc.logs() });
  }
  return acc;
}

/** A validation pass's logs as the epoch logs hold them: `val_loss`, `val_accuracy`, ... */
export function validationLogs(logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).map(([key, value]) => [`val_${key}`, value]));
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

  let train = await prepare(target, x, y, 'x', 'y', args.sampleWeight, args.classWeight);
  let validation: Dataset | null = null;
  if (args.validationData) {
    validation = await prepare(target, args.validationData[0], args.validationData[1], 'validationData[0]', 'validationData[1]', args.validationData[2]);
  } else if (split > 0) {
    // Keras holds out the last samples, before any shuffling.
    const n = train.order.length;
    const cut = Math.floor(n * (1 - split));
    if (cut === 0 || cut === n) throw new Error(`validationSplit=${split} leaves ${cut} training and ${n - cut} validation samples of ${n}; choose a split that leaves both non-empty.`);
    validation = subset(train, cut, n);
    train = subset(train, 0, cut);
  }

  checkStatefulBatches(target.graph.layers, 'fit', batchSize, train.order.length, args.shuffle ?? true);
  if (validation) checkStatefulBatches(target.graph.layers, 'fit (its validation data)', validationBatchSize, validation.order.length);
  const shuffleSeed = seed ?? Math.floor(globalGenerator().next() * 4294967296);
  const unshuffled = train.order.slice();
  const samples = train.order.length;
  const steps = Math.ceil(samples / batchSize);
  const callbacks = new CallbackList(args.callbacks);
  const logger = progressLogger(verbose);
  if (logger) callbacks.add(logger, true);
  const params: FitParams = {
    epochs, steps, samples, batchSize, verbose, initialEpoch, seed: shuffleSeed, ...(validation && { validationFreq }),
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
  for (let epoch = params.initialEpoch; epoch < epochs && !target.stopTraining; epoch++) {
    await callbacks.call('onEpochBegin', epoch);
    if (args.shuffle ?? true) {
      // Epoch e's order depends only on (seed, e), so fit({ seed, initialEpoch }) after loading a checkpoint repeats the uninterrupted run.
      train.order.set(unshuffled);
      new Random(epochSeed(params.seed!, epoch)).shuffle(train.order);
    }
    const acc = new Accumulator(target.outputs);
    for (let step = 0; step < steps && !target.stopTraining; step++) {
      const start = step * batchSize;
      const count = Math.min(batchSize, samples - start);
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

/** Mixes a run's shuffle seed with an epoch index into an independent 32-bit seed (murmur3's finalizer). */
export function epochSeed(seed: number, epoch: number): number {
  let h = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
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

/**
 * `predict`: each model output for every sample, batch by batch (one tensor per output).
 * `training` runs the layers as `fit` does (Dropout drops, BatchNormalization uses and moves
 * towards the batch statistics), for `layer.apply(x, { training: true })`; undefined runs each
 * layer in its default mode, for `layer.apply(x)`.
 */
export function predict(target: Pick<TrainingTarget, 'backend' | 'graph' | 'params' | 'plan'> & { model?: CallbackModel }, xIn: unknown, args: ModelPredictArgs, training: boolean | undefined): Tensor<'float32'>[] {
  checkOptions(args, PREDICT_OPTIONS, 'predict');
  const callbacks = args.callbacks === undefined ? null : new CallbackList(args.callbacks);
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const verbose = Number(args.verbose ?? 0);
  if (![0, 1, 2].includes(verbose)) throw new Error(`predict verbose must be true or false (or Keras' 0, 1, 2). Received: verbose=${JSON.stringify(args.verbose)}.`);
  const began = performance.now();
  const { graph, backend } = target;
  const xsIn = tensorsFor(xIn, graph.inputNames, 'x', 'inputs');
  const xs = xsIn.tensors.map((t, k) => checkTensor(t, xsIn.labels[k]));
  xs.forEach((x, k) => {
    graph.checkInput(x.shape, xsIn.labels[k], k);
    checkSameLength(xs[0], x, xsIn.labels[0], xsIn.labels[k]);
  });
  // Another model's unread predictions on this backend (an encoder's codes) are copied on the device.
  const xOnDevice = xs.map((x) => unreadBufferOn(backend, x));
  const xValues = xs.map((x, k) => (xOnDevice[k] === undefined ? modelInputValues(graph, x, k, xsIn.labels[k]) : null));
  const n = xs[0].shape[0];
  if (!training) checkStatefulBatches(graph.layers, 'predict', batchSize, n);
  const xRows = xs.map((x) => x.size / n);
  const shapes = graph.outputs.map((_, k) => [n, ...graph.modelOutputShape(k)]);
  const outSizes = graph.outputs.map((_, k) => shapeSize(graph.modelOutputShape(k)));
  // Off the wasm heap, outputs are gathered on the device and read back only when the caller asks.
  const onDevice = !backend.hostResident;
  // Filled batch by batch; a single batch's read is the output itself, with no second copy.
  const hostOuts: (Float32Array | null)[] = onDevice ? [] : outSizes.map((s) => (n > 0 && n <= batchSize ? null : new Float32Array(n * s)));
  const deviceOuts = onDevice ? outSizes.map((s) => backend.alloc(n * s, 'float32')) : [];
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (callbacks && target.model) callbacks.configure(target.model, { epochs: 1, steps: Math.ceil(n / batchSize), samples: n, batchSize, verbose, initialEpoch: 0 });
  const batchBegin = callbacks?.has('onPredictBatchBegin') ?? false;
  const batchEnd = callbacks?.has('onPredictBatchEnd') ?? false;
  try {
    callbacks?.callNow('onPredictBegin');
    for (let start = 0, batch = 0; start < n; start += batchSize, batch++) {
      const count = Math.min(batchSize, n - start);
      if (batchBegin) callbacks!.callNow('onPredictBatchBegin', batch, { batch, size: count });
      const plan = target.plan(count);
      // Each batch is checked for NaN and ±Infinity as it is copied in (predict changes nothing, so
      // failing at a later batch loses nothing), which on the wasm core costs a SIMD scan of the copy.
      // Values already on the device are not: checking them would mean reading them back.
      xValues.forEach((x, k) => {
        const length = count * xRows[k];
        if (x === null) return backend.copy(backend.view(xOnDevice[k]!, start * xRows[k], length), plan.inputs[k], length);
        const bad = backend.gatherRows(plan.inputs[k], x, order, start, count, xRows[k], true);
        if (bad >= 0) {
          const row = (start + bad) * xRows[k];
          throw nonFiniteError(xsIn.labels[k], x, firstNonFinite(x, row, row + xRows[k]), xRows[k]);
        }
      });
      forwardPass({ backend, graph, params: target.params, plan, training, deferSoftmax: [] });
      graph.outputs.forEach((_, k) => {
        const length = count * outSizes[k];
        const { output } = plan.modelOutput(graph, k);
        if (onDevice) backend.copy(output, backend.view(deviceOuts[k], start * outSizes[k], length), length);
        else if (hostOuts[k]) hostOuts[k].set(backend.read(output, length, 'float32'), start * outSizes[k]);
        else hostOuts[k] = backend.read(output, length, 'float32') as Float32Array;
      });
      if (batchEnd) {
        // Copies, made only for these hooks: the plan's buffers are reused by the next batch.
        const outputs = graph.outputs.map((_, k) => bufferCopy(backend, plan.modelOutput(graph, k).output, [count, ...graph.modelOutputShape(k)]));
        callbacks!.callNow('onPredictBatchEnd', batch, { outputs: modelOutputs(graph, outputs) });
      }
    }
    callbacks?.callNow('onPredictEnd');
  } catch (error) {
    deviceOuts.forEach((id) => backend.free(id));
    throw error;
  }
  if (verbose !== 0) {
    const steps = Math.ceil(n / batchSize);
    const ms = performance.now() - began;
    console.log(`${steps}/${steps} - ${(ms / 1000).toFixed(1)}s - ${(ms / Math.max(1, steps)).toFixed(1)}ms/step`);
  }
  return onDevice ? deviceOuts.map((id, k) => deviceTensor(backend, id, shapes[k])) : hostOuts.map((out, k) => new Tensor(out!, shapes[k], 'float32'));
}
