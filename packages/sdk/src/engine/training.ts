import type { Backend, Scalar } from '../backend/backend.js';
import { CallbackList, type CustomCallbackArgs, type Logs } from '../callbacks/callbacks.js';
import { History } from '../callbacks/history.js';
import type { CallbackModel } from '../callbacks/callback.js';
import { ProgbarLogger } from '../callbacks/progbar_logger.js';
import type { Loss } from '../losses/losses.js';
import type { Metric, MetricBatch } from '../metrics/metric.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { Tensor } from '../tensor.js';
import { globalGenerator, Random } from '../utils/random.js';
import type { Graph } from './graph.js';
import type { ParamStore } from './params.js';
import type { BatchPlan } from './plan.js';
import { backwardPass, forwardPass, type PassContext } from './step.js';
import { activityPenalties, applyConstraints, regularizationPenalty, withPenalty } from './regularization.js';
import { makeRowViews, resolveSampleWeights, weightedLossSum, type ClassWeight, type RowViews, type SampleWeightInput } from './sample_weights.js';
import { checkFinite, checkPositiveInt, checkSameLength, checkTensor, featureValues } from './validate_data.js';

/** Options of `model.fit`, with Keras' defaults. */
export interface ModelFitArgs {
  /** Number of passes over the data (default 1). */
  epochs?: number;
  /** Samples per gradient update (default 32). */
  batchSize?: number;
  /** 0: silent; 1: a progress bar per epoch (default 1). */
  verbose?: 0 | 1;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** Validation data `[x, y]` or `[x, y, sampleWeight]`; overrides `validationSplit`. */
  validationData?: [Tensor, Tensor] | [Tensor, Tensor, SampleWeightInput];
  /**
   * A weight per sample: the loss becomes Σ wᵢ·Lᵢ / batch size (Keras' "sum_over_batch_size"),
   * so a weight of 0 removes a sample and 2 counts it twice. Metrics stay unweighted, as Keras'
   * `metrics` are.
   */
  sampleWeight?: SampleWeightInput;
  /** A weight per class index (`{ 0: 1, 1: 5 }`), turned into sample weights from the targets; classes left out weigh 1. */
  classWeight?: ClassWeight;
  /** Seed for the shuffling order; defaults to a draw from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number;
  /** Epoch to start from (for resuming): epoch e shuffles as it would have in an uninterrupted run with the same `seed`. */
  initialEpoch?: number;
  callbacks?: CustomCallbackArgs | CustomCallbackArgs[];
}

/** Options of `model.evaluate`. */
export interface ModelEvaluateArgs {
  batchSize?: number;
  /** A weight per sample for the loss, as in `fit`. */
  sampleWeight?: SampleWeightInput;
  verbose?: 0 | 1;
}

/** Options of `model.predict`. */
export interface ModelPredictArgs {
  batchSize?: number;
}

/** What the training loop needs from a compiled, built model. */
export interface TrainingTarget {
  readonly backend: Backend;
  readonly graph: Graph;
  readonly params: ParamStore;
  readonly loss: Loss;
  readonly metrics: readonly Metric[];
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
  x: Float32Array;
  y: Float32Array | Int32Array;
  /** Sample indices in the order they are visited. */
  order: Int32Array;
  xRow: number;
  yRow: number;
  /** Loss weight per sample (by sample index), when any were given. */
  weights?: Float32Array;
}

/** Validates x and y against the model and loss, and returns host arrays ready for batching. */
export function prepare(target: TrainingTarget, xIn: unknown, yIn: unknown, xName: string, yName: string, sampleWeight?: SampleWeightInput, classWeight?: ClassWeight): Dataset {
  const x = checkTensor(xIn, xName);
  const y = checkTensor(yIn, yName);
  target.graph.checkInput(x.shape, xName);
  checkSameLength(x, y, xName, yName);
  target.loss.validateTargets(y, target.graph.outputShape);
  checkFinite(x, xName);
  checkFinite(y, yName);
  const n = x.shape[0];
  const raw = target.loss.sparseTargets
    ? y.dtype === 'int32' ? (y.dataSync() as Int32Array) : Int32Array.from(y.dataSync())
    : y.dtype === 'float32' ? (y.dataSync() as Float32Array) : Float32Array.from(y.dataSync());
  const yValues = target.loss.transformTargets ? target.loss.transformTargets(raw, target.graph.outputShape) : raw;
  return {
    x: featureValues(x, xName),
    y: yValues,
    order: Int32Array.from({ length: n }, (_, i) => i),
    xRow: x.size / n,
    yRow: yValues.length / n,
    weights: resolveSampleWeights(y, sampleWeight, classWeight),
  };
}

function subset(data: Dataset, start: number, end: number): Dataset {
  return { ...data, order: data.order.slice(start, end) };
}

function passContext(target: TrainingTarget, plan: BatchPlan, training: boolean): PassContext {
  const output = target.graph.outputNode.layer;
  // An activity penalty must see the softmax output, so the loss cannot take logits instead.
  const deferSoftmax = target.loss.fusesSoftmax && output.outputActivation === 'softmax' && !output.activityRegularizer;
  return { backend: target.backend, graph: target.graph, params: target.params, plan, training, deferSoftmax };
}

/** Accumulates the loss over batches, weighted by samples, and resets and updates the stateful metrics. */
export class Accumulator {
  #loss = 0;
  #samples = 0;

  constructor(readonly metrics: readonly Metric[]) {
    for (const m of metrics) m.reset();
  }

  /** Adds one batch; awaits values that GPU backends read back asynchronously. */
  async add(lossSum: Scalar, samples: number, metricUpdates: (void | Promise<void>)[]): Promise<void> {
    this.#loss += await lossSum;
    this.#samples += samples;
    await Promise.all(metricUpdates);
  }

  logs(prefix = ''): Logs {
    const logs: Logs = { [`${prefix}loss`]: this.#loss / this.#samples };
    for (const m of this.metrics) logs[`${prefix}${m.name}`] = m.result();
    return logs;
  }
}

/** What the metrics see of one batch; the outputs are read back at most once, before the backward pass can touch them. */
function metricBatch(target: TrainingTarget, data: Dataset, start: number, count: number, output: number, targets: number): MetricBatch {
  let outputs: Promise<Float32Array> | null = null;
  const outputLength = count * target.graph.outputShape.reduce((a, b) => a * b, 1);
  return {
    backend: target.backend,
    output,
    targets,
    batch: count,
    outputShape: target.graph.outputShape,
    labelTargets: target.loss.sparseTargets,
    hostTargets: gatherHost(data.y, data.order, start, count, data.yRow),
    hostOutputs: () => (outputs ??= target.backend.readAsync(output, outputLength, 'float32') as Promise<Float32Array>),
  };
}

function gatherHost(src: Float32Array | Int32Array, order: Int32Array, start: number, count: number, row: number): Float32Array | Int32Array {
  const out = src instanceof Int32Array ? new Int32Array(count * row) : new Float32Array(count * row);
  for (let i = 0; i < count; i++) out.set(src.subarray(order[start + i] * row, (order[start + i] + 1) * row), i * row);
  return out;
}

const ROW_VIEWS = new WeakMap<BatchPlan, RowViews>();

function rowViews(target: TrainingTarget, plan: BatchPlan, data: Dataset): RowViews {
  let views = ROW_VIEWS.get(plan);
  if (!views) {
    const last = plan.outputs.length - 1;
    const outputRow = target.graph.outputShape.reduce((a, b) => a * b, 1);
    views = makeRowViews(target.backend, plan.batch, plan.outputs[last], plan.grads[last], plan.targets, outputRow, data.yRow);
    ROW_VIEWS.set(plan, views);
  }
  return views;
}

function batchWeights(data: Dataset, start: number, count: number): Float32Array {
  return Float32Array.from({ length: count }, (_, r) => data.weights![data.order[start + r]]);
}

/** Loads one batch, runs the forward pass and the loss; returns the loss sum and metric updates. */
function runBatch(target: TrainingTarget, data: Dataset, start: number, count: number, training: boolean): [Scalar, (void | Promise<void>)[], PassContext] {
  const plan = target.plan(count);
  const { backend } = target;
  backend.gatherRows(plan.input, data.x, data.order, start, count, data.xRow);
  backend.gatherRows(plan.targets, data.y, data.order, start, count, data.yRow);
  const ctx = passContext(target, plan, training);
  forwardPass(ctx);
  const last = target.graph.outputs[0];
  const lossSum = data.weights
    ? weightedLossSum(backend, target.loss, rowViews(target, plan, data), batchWeights(data, start, count), count, target.graph.outputShape, ctx.deferSoftmax, training)
    : target.loss.compute(backend, plan.outputs[last], plan.targets, training ? plan.grads[last] : 0, count, target.graph.outputShape, ctx.deferSoftmax);
  const batch = target.metrics.length > 0 ? metricBatch(target, data, start, count, plan.outputs[last], plan.targets) : null;
  const updates = target.metrics.map((m) => m.update(batch!));
  return [lossSum, updates, ctx];
}

/** One optimizer step on samples `[start, start + count)` of `data`, added to the epoch's accumulator. */
export async function trainBatch(target: TrainingTarget, data: Dataset, start: number, count: number, acc: Accumulator): Promise<void> {
  const [lossSum, updates, ctx] = runBatch(target, data, start, count, true);
  const activity = backwardPass(ctx);
  const penalty = [...activity, ...regularizationPenalty(target.backend, target.graph, target.params, true)];
  target.optimizer.apply(target.params.params, target.params.grads);
  applyConstraints(target.backend, target.graph, target.params);
  await acc.add(penalty.length ? withPenalty(lossSum, penalty, count) : lossSum, count, updates);
}

/** Adds the loss and metrics of samples `[start, start + count)` of `data` to `acc`, without training. */
export async function evaluateBatch(target: TrainingTarget, data: Dataset, start: number, count: number, acc: Accumulator): Promise<void> {
  const [lossSum, updates, ctx] = runBatch(target, data, start, count, false);
  const penalty = [...activityPenalties(target.backend, target.graph, ctx.plan), ...regularizationPenalty(target.backend, target.graph, target.params, false)];
  await acc.add(penalty.length ? withPenalty(lossSum, penalty, count) : lossSum, count, updates);
}

export async function evaluateData(target: TrainingTarget, data: Dataset, batchSize: number): Promise<Accumulator> {
  const acc = new Accumulator(target.metrics);
  for (let start = 0; start < data.order.length; start += batchSize) {
    const count = Math.min(batchSize, data.order.length - start);
    await evaluateBatch(target, data, start, count, acc);
  }
  return acc;
}

/** The `fit` loop: shuffles, batches, steps the optimizer, reports to callbacks. */
export async function fit(target: TrainingTarget, x: Tensor, y: Tensor, args: ModelFitArgs = {}): Promise<History> {
  const epochs = args.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`epochs must be a non-negative integer. Received: epochs=${epochs}.`);
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const split = args.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new Error(`validationSplit must be in [0, 1). Received: validationSplit=${split}.`);
  const verbose = args.verbose ?? 1;

  let train = prepare(target, x, y, 'x', 'y', args.sampleWeight, args.classWeight);
  let validation: Dataset | null = null;
  if (args.validationData) {
    validation = prepare(target, args.validationData[0], args.validationData[1], 'validationData[0]', 'validationData[1]', args.validationData[2]);
  } else if (split > 0) {
    // Keras holds out the last samples, before any shuffling.
    const n = train.order.length;
    const cut = Math.floor(n * (1 - split));
    if (cut === 0 || cut === n) throw new Error(`validationSplit=${split} leaves ${cut} training and ${n - cut} validation samples of ${n}; choose a split that leaves both non-empty.`);
    validation = subset(train, cut, n);
    train = subset(train, 0, cut);
  }

  const shuffleSeed = args.seed ?? Math.floor(globalGenerator().next() * 4294967296);
  const unshuffled = train.order.slice();
  const samples = train.order.length;
  const steps = Math.ceil(samples / batchSize);
  const callbacks = new CallbackList(args.callbacks);
  if (verbose === 1) callbacks.add(new ProgbarLogger(), true);
  callbacks.configure(target.model, { epochs, steps, samples, batchSize, verbose });
  const wantsBatchLogs = callbacks.has('onBatchEnd');
  const history = new History({ epochs, steps, samples, batchSize });
  target.stopTraining = false;

  await callbacks.call('onTrainBegin');
  for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !target.stopTraining; epoch++) {
    await callbacks.call('onEpochBegin', epoch);
    if (args.shuffle ?? true) {
      // Epoch e's order depends only on (seed, e), so fit({ seed, initialEpoch }) after loading a checkpoint repeats the uninterrupted run.
      train.order.set(unshuffled);
      new Random(epochSeed(shuffleSeed, epoch)).shuffle(train.order);
    }
    const acc = new Accumulator(target.metrics);
    for (let step = 0; step < steps && !target.stopTraining; step++) {
      const start = step * batchSize;
      const count = Math.min(batchSize, samples - start);
      if (callbacks.has('onBatchBegin')) await callbacks.call('onBatchBegin', step, { batch: step, size: count });
      await trainBatch(target, train, start, count, acc);
      if (wantsBatchLogs) await callbacks.call('onBatchEnd', step, { batch: step, size: count, ...acc.logs() });
    }
    const logs = acc.logs();
    if (validation) Object.assign(logs, (await evaluateData(target, validation, batchSize)).logs('val_'));
    // History records after the callbacks, so values they add (ReduceLROnPlateau's learning_rate) are kept.
    await callbacks.call('onEpochEnd', epoch, logs);
    history.record(epoch, logs);
  }
  await callbacks.call('onTrainEnd');
  return history;
}

/** Mixes a run's shuffle seed with an epoch index into an independent 32-bit seed (murmur3's finalizer). */
export function epochSeed(seed: number, epoch: number): number {
  let h = (seed ^ Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** `evaluate`: the loss and metrics over all samples, `[loss, ...metrics]`. */
export async function evaluate(target: TrainingTarget, x: Tensor, y: Tensor, args: ModelEvaluateArgs = {}): Promise<number[]> {
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const start = performance.now();
  const logs = (await evaluateData(target, prepare(target, x, y, 'x', 'y', args.sampleWeight), batchSize)).logs();
  if ((args.verbose ?? 1) === 1) {
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    const text = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');
    console.log(`${Math.ceil(x.shape[0] / batchSize)}/${Math.ceil(x.shape[0] / batchSize)} - ${seconds}s - ${text}`);
  }
  return Object.values(logs);
}

/** `predict`: the model's outputs for every sample, batch by batch. */
export function predict(target: Pick<TrainingTarget, 'backend' | 'graph' | 'params' | 'plan' | 'loss'>, xIn: unknown, args: ModelPredictArgs = {}): Tensor<'float32'> {
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const x = checkTensor(xIn, 'x');
  target.graph.checkInput(x.shape, 'x');
  checkFinite(x, 'x');
  const xValues = featureValues(x, 'x');
  const n = x.shape[0];
  const xRow = x.size / n;
  const outSize = target.graph.outputShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n * outSize);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const { backend } = target;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const plan = target.plan(count);
    backend.gatherRows(plan.input, xValues, order, start, count, xRow);
    forwardPass({ backend, graph: target.graph, params: target.params, plan, training: false, deferSoftmax: false });
    out.set(backend.read(plan.outputs[target.graph.outputs[0]], count * outSize, 'float32'), start * outSize);
  }
  return new Tensor(out, [n, ...target.graph.outputShape], 'float32');
}
