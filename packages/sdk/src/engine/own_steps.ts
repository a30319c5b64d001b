// Keras' "customizing what happens in fit()": a km.Model that defines trainStep(data) (and
// testStep) keeps fit's epochs, shuffling, callbacks, progress bar, validation and History, and
// computes each batch's step itself, with km ops, km.variableGrads and optimizer.applyGradients.
import { CallbackList, type Logs } from '../callbacks/callbacks.js';
import type { History } from '../callbacks/history.js';
import { describeValue } from '../ops/operand.js';
import { Tensor } from '../tensor.js';
import { closeScope, openScope } from '../tensor_scopes.js';
import { checkOptions } from '../utils/options.js';
import type { Dataset } from '../data/dataset.js';
import { EVALUATE_DATASET_OPTIONS, type ModelEvaluateDatasetArgs } from './fit_dataset.js';
import { isPlainObject } from '../utils/plain_object.js';
import { fitSettings, runEpochs, splitPoint } from './epoch_loop.js';
import type { LayersModel } from './model.js';
import type { TensorsSpec } from './outputs.js';
import { StepRows, type StepData } from './step_data.js';
import { stepsClassName, type OwnSteps, type Step, type StepLogs, type TrainingSteps } from './own_steps_of.js';
import { RunningMetrics } from './running_metrics.js';
import { checkedClassWeight, classSampleWeights } from './step_class_weights.js';
import type { DatasetTrainer } from './dataset_trainer.js';
import { batchTensors } from './fit_dataset_batch.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { EVALUATE_OPTIONS, FIT_OPTIONS, type ModelEvaluateArgs, type ModelFitArgs } from './training_args.js';
import { checkPositiveInt } from './validate_data.js';
import { printEvaluation } from './training.js';
import { checkVerbosity } from '../callbacks/progbar_logger.js';
import { onBatchResult, TEST_ON_BATCH_OPTIONS, TRAIN_ON_BATCH_OPTIONS, type TestOnBatchArgs, type TrainOnBatchArgs } from './on_batch.js';
import type { ClassWeight, SampleWeightInput } from './sample_weights.js';

/**
 * The logs of one epoch or test pass of a model's own step: each value the step returns is its mean
 * over the batches so far, weighted by their samples, as fit's loss is; a key computeMetrics gave in
 * the step is its metric's latest running result instead, the value Keras logs.
 */
class StepPassLogs {
  readonly #sums = new Map<string, number>();
  readonly #latest = new Map<string, number>();
  readonly #metrics: RunningMetrics;
  #samples = 0;

  constructor(model: LayersModel) {
    this.#metrics = new RunningMetrics(model);
  }

  /**
   * Runs `step` on one batch of `samples` as inside `km.tidy` (the tensors it makes are freed when
   * it returns) and adds what it logs, once the counts of computeMetrics' metrics are in.
   * `where` names the step in errors (`MLP.trainStep`).
   */
  run(step: Step, data: StepData, where: string, samples: number): void | Promise<void> {
    openScope();
    let logged: Record<string, number>;
    try {
      logged = this.#metrics.during(() => loggedValues(step(data), where));
    } finally {
      closeScope(new Set());
    }
    const results = this.#metrics.results();
    if (results instanceof Promise) return results.then((read) => this.#add(logged, read, samples));
    this.#add(logged, results, samples);
  }

  #add(logged: Readonly<Record<string, number>>, running: ReadonlyMap<string, number>, samples: number): void {
    for (const [key, value] of Object.entries(logged)) {
      const result = running.get(key);
      if (result !== undefined) this.#latest.set(key, result);
      this.#sums.set(key, (this.#sums.get(key) ?? 0) + value * samples);
    }
    this.#samples += samples;
  }

  logs(): Logs {
    return Object.fromEntries([...this.#sums].map(([key, sum]) => [key, this.#latest.get(key) ?? sum / this.#samples]));
  }
}

/** The numbers a step logs, read from what it returned. */
function loggedValues(returned: unknown, where: string): Record<string, number> {
  if (returned instanceof Promise) throw new Error(`${where} returned a Promise. Steps run synchronously, as Keras' train_step does, and free the tensors they make when they return: make it a plain method.`);
  if (!isPlainObject(returned)) {
    throw new Error(`${where} must return the values to log, by name: return { loss } (numbers or one-value tensors). Received: ${describeValue(returned)}.`);
  }
  const logs: Record<string, number> = {};
  for (const [key, value] of Object.entries(returned)) {
    if (typeof value === 'number') logs[key] = value;
    else if (value instanceof Tensor && value.size === 1) logs[key] = value.dataSync()[0];
    else throw new Error(`${where} returned '${key}' as ${value instanceof Tensor ? `a tensor of shape [${value.shape.join(', ')}]` : describeValue(value)}; each logged value must be a number or a one-value tensor (reduce it, e.g. with km.mean).`);
  }
  return logs;
}

/** One batch a test pass runs its step on, and what to free once it has. */
interface TestBatch {
  readonly data: StepData;
  readonly size: number;
  release(): void;
}

/**
 * The logs of `step` over the batches `next` gives (null when there are no more), calling the
 * test batch hooks of `callbacks` around each, as evaluate's own loop does, until a hook sets the
 * model's `stopEvaluating`; `read` is how many batches it ran on.
 */
async function testPass(step: Step, where: string, next: () => Promise<TestBatch | null>, callbacks: CallbackList, model: LayersModel): Promise<{ logs: Logs; read: number }> {
  const pass = new StepPassLogs(model);
  const begin = callbacks.having('onTestBatchBegin');
  const end = callbacks.having('onTestBatchEnd');
  let read = 0;
  for (let batch = await next(); batch !== null; batch = await next()) {
    const { data, size } = batch;
    if (begin.length > 0) await callbacks.call(begin, read, { batch: read, size });
    try {
      await pass.run(step, data, where, size);
    } finally {
      batch.release();
    }
    if (end.length > 0) await callbacks.call(end, read, { batch: read, size, ...pass.logs() });
    read++;
    if (model.stopEvaluating) break;
  }
  return { logs: pass.logs(), read };
}

/** A test pass' batches: the rows `order` lists, `batchSize` at a time, each freed once its step has run. */
function rowBatches(rows: StepRows, order: Int32Array, batchSize: number): () => Promise<TestBatch | null> {
  let start = 0;
  return async () => {
    if (start >= order.length) return null;
    const count = Math.min(batchSize, order.length - start);
    const { data, tensors } = rows.batch(order, start, count);
    start += count;
    return { data, size: count, release: () => tensors.forEach((t) => t.dispose()) };
  };
}

/** The logs of `step` over `rows` in batches of `batchSize`, in order (see {@link testPass}). */
async function meanOverBatches(step: Step, where: string, rows: StepRows, order: Int32Array, batchSize: number, callbacks: CallbackList, model: LayersModel): Promise<Logs> {
  return (await testPass(step, where, rowBatches(rows, order, batchSize), callbacks, model)).logs;
}

/**
 * `evaluate` over a model's testStep: the batches `next` gives, inside the test hooks of
 * `callbacks`, configured with `params` (`steps` 0 where unknown until counted), and Keras' line.
 */
async function evaluateOver(model: LayersModel, test: Step, next: () => Promise<TestBatch | null>, args: { verbose?: unknown; returnDict?: boolean; callbacks?: ModelEvaluateArgs['callbacks'] }, params: { steps: number; samples: number; batchSize: number }, what: string): Promise<number[] | Record<string, number>> {
  const verbose = checkVerbosity(args.verbose, what);
  const callbacks = new CallbackList(args.callbacks);
  callbacks.configure(model, { epochs: 1, ...params, verbose, initialEpoch: 0 });
  const started = performance.now();
  let read = 0;
  const logs = await callbacks.test(async () => {
    const pass = await testPass(test, `${stepsClassName(model)}.testStep`, next, callbacks, model);
    read = pass.read;
    return pass.logs;
  });
  if (verbose !== 0) printEvaluation(params.steps || read, started, logs);
  return args.returnDict ? logs : Object.values(logs);
}

/** Runs `step` on the rows `order[start, start + count)` and adds what it logs to `pass`. */
function stepOnBatch(pass: StepPassLogs, step: Step, where: string, rows: StepRows, order: Int32Array, start: number, count: number): void | Promise<void> {
  const { data, tensors } = rows.batch(order, start, count);
  try {
    return pass.run(step, data, where, count);
  } finally {
    // The step has read them: what computeMetrics still counts was copied to the host.
    for (const t of tensors) t.dispose();
  }
}

/** What a model's own step logs on all of `rows` as one batch, as trainOnBatch and testOnBatch return it. */
async function onBatchLogs(model: LayersModel, step: Step, where: string, rows: StepRows): Promise<Logs> {
  const pass = new StepPassLogs(model);
  await stepOnBatch(pass, step, where, rows, allRows(rows.size), 0, rows.size);
  return pass.logs();
}

const allRows = (n: number, from = 0): Int32Array => Int32Array.from({ length: n - from }, (_, i) => from + i);

/**
 * `trainOnBatch` of a model that defines trainStep (Keras' `train_on_batch` runs `train_step`):
 * the step on all of x and y as one batch, in order, with `sampleWeight` or `classWeight`'s
 * per-sample weights as `data[2]`; returns what it logs, as trainOnBatch returns logs.
 */
export async function trainOnBatchWithOwnStep(model: LayersModel, steps: TrainingSteps, x: TensorsSpec, y: TensorsSpec, args: TrainOnBatchArgs = {}): Promise<number | number[] | Logs> {
  checkOptions(args, TRAIN_ON_BATCH_OPTIONS, 'trainOnBatch');
  const { classWeight } = trainingParts(model, args.classWeight);
  if (classWeight && args.sampleWeight !== undefined) throw new Error(`trainOnBatch: pass classWeight or sampleWeight, not both, as Keras requires: ${stepsClassName(model)}.trainStep receives one set of weights as data[2]. Multiply the class weights into sampleWeight.`);
  const weights = classWeight ? classSampleWeights('trainOnBatch', classWeight, y) : (args.sampleWeight as TensorsSpec | undefined);
  const rows = new StepRows([x, y, weights], ['x', 'y', classWeight ? 'classWeight' : 'sampleWeight']);
  return onBatchResult(await onBatchLogs(model, steps.train, `${stepsClassName(model)}.trainStep`, rows), args.returnDict);
}

/** `testOnBatch` of a model that defines testStep (Keras' `test_on_batch` runs `test_step`): the step on all of x and y as one batch. */
export async function testOnBatchWithTestStep(model: LayersModel, test: Step, x: TensorsSpec, y: TensorsSpec, args: TestOnBatchArgs = {}): Promise<number | number[] | Logs> {
  checkOptions(args, TEST_ON_BATCH_OPTIONS, 'testOnBatch');
  const rows = new StepRows([x, y, args.sampleWeight as TensorsSpec | undefined], ['x', 'y', 'sampleWeight']);
  return onBatchResult(await onBatchLogs(model, test, `${stepsClassName(model)}.testStep`, rows), args.returnDict);
}

/** `fit(x, y)` of a model that defines trainStep: fit's loop around the model's own steps. */
export async function fitWithOwnSteps(model: LayersModel, steps: TrainingSteps, x: TensorsSpec, y: TensorsSpec, args: ModelFitArgs = {}): Promise<History> {
  checkOptions(args, FIT_OPTIONS, 'fit');
  const className = stepsClassName(model);
  const train = steps.train;
  const { optimizer, classWeight } = trainingParts(model, args.classWeight);
  const settings = fitSettings(args);
  if (classWeight && args.sampleWeight !== undefined) throw new Error(`fit: pass classWeight or sampleWeight, not both, as Keras requires: ${className}.trainStep receives one set of weights as data[2]. Multiply the class weights into sampleWeight.`);
  const given = new StepRows([x, y, args.sampleWeight as TensorsSpec | undefined], ['x', 'y', 'sampleWeight']);
  // Class weights weigh the training samples only, as in Keras: validationSplit's rows come from `given`.
  const rows = classWeight ? new StepRows([x, y, classSampleWeights('fit', classWeight, y)], ['x', 'y', 'classWeight']) : given;
  const validation = heldOut(given, args.validationData, settings.validationSplit);
  const order = allRows(validation?.trained ?? rows.size);
  const where = `${className}.trainStep`;
  return runEpochs({
    model,
    optimizer,
    settings,
    order,
    logNames: undefined,
    newEpoch: () => {
      const pass = new StepPassLogs(model);
      return { step: (start, count) => stepOnBatch(pass, train, where, rows, order, start, count), logs: () => pass.logs() };
    },
    validate: validation && validator(model, steps, validation.rows, validation.order, settings.validationBatchSize),
  }, args.callbacks);
}

/**
 * fit's validation rows: `validationData`'s, or the last `validationSplit` of `given`, and how many
 * of `given`'s first rows then train; null without validation.
 */
function heldOut(given: StepRows, validationData: ModelFitArgs['validationData'], split: number): { rows: StepRows; order: Int32Array; trained: number } | null {
  if (validationData) {
    const [vx, vy, vw] = validationData;
    const held = new StepRows([vx, vy, vw as TensorsSpec | undefined], ['validationData[0]', 'validationData[1]', 'validationData[2]']);
    return { rows: held, order: allRows(held.size), trained: given.size };
  }
  if (split === 0) return null;
  const cut = splitPoint(given.size, split);
  return { rows: given, order: allRows(given.size, cut), trained: cut };
}

/**
 * fit(x, y)'s validation pass over a model's testStep where the model trains with the compiled
 * loss (Keras' default train_step beside its own test_step): over `validationData`, or the rows
 * `validationSplit` holds out, as fit's own split cuts them; null without validation.
 */
export function testStepValidation(model: LayersModel, test: Step, x: TensorsSpec, y: TensorsSpec, args: ModelFitArgs): ((callbacks: CallbackList) => Promise<Logs>) | null {
  const settings = fitSettings(args);
  const held = heldOut(new StepRows([x, y, args.sampleWeight as TensorsSpec | undefined], ['x', 'y', 'sampleWeight']), args.validationData, settings.validationSplit);
  return held && ((callbacks) => meanOverBatches(test, `${stepsClassName(model)}.testStep`, held.rows, held.order, settings.validationBatchSize, callbacks, model));
}

/** The optimizer and the class weights fit steps a model of its own trainStep with; throws naming what is missing. */
function trainingParts(model: LayersModel, classWeight: unknown): { optimizer: Optimizer; classWeight: ClassWeight | null } {
  const optimizer = model.optimizer;
  if (!optimizer) throw new Error(`${stepsClassName(model)} must be compiled before fit, so that trainStep has this.optimizer to step with: model.compile({ optimizer: 'adam' }).`);
  return { optimizer, classWeight: classWeight === undefined ? null : checkedClassWeight('fit', classWeight) };
}

/**
 * `fit(dataset)`'s steps for a model that defines trainStep: each batch `{ xs, ys, sampleWeight? }`
 * becomes its data `[xs, ys]` (`[xs, ys, sampleWeight]`); validation runs testStep.
 */
export function ownStepsTrainer(model: LayersModel, steps: TrainingSteps, classWeight: unknown): DatasetTrainer {
  const train = steps.train;
  const { optimizer, classWeight: weights } = trainingParts(model, classWeight);
  const where = `${stepsClassName(model)}.trainStep`;
  return {
    model,
    optimizer,
    logNames: () => undefined,
    newEpoch: () => {
      const pass = new StepPassLogs(model);
      return {
        ready: async (element, index) => {
          const { data, size } = stepData(element, index, 'fit(dataset)');
          if (weights) {
            if (data.length > 2) throw new Error(`fit(dataset): batch ${index} has a sampleWeight beside classWeight; ${stepsClassName(model)}.trainStep receives one set of weights as data[2]. Multiply the class weights into the batches' sampleWeight.`);
            data.push(classSampleWeights(`fit(dataset) batch ${index}`, weights, data[1]));
          }
          return { size, train: () => pass.run(train, data, where, size) };
        },
        logs: () => pass.logs(),
      };
    },
    ...testStepValidators(model, steps),
  };
}

/**
 * fit(dataset)'s validation passes over the model's testStep, over `[x, y]` tensors or a dataset's
 * batches; without a testStep, tensors validate with the compiled loss and a dataset is refused.
 */
export function testStepValidators(model: LayersModel, steps: OwnSteps): Pick<DatasetTrainer, 'validateTensors' | 'validateStream'> {
  return {
    validateTensors: (x, y, batchSize, callbacks) => {
      const rows = new StepRows([x, y], ['validationData[0]', 'validationData[1]']);
      return validator(model, steps, rows, allRows(rows.size), batchSize)(callbacks);
    },
    validateStream: (iterator, batches, callbacks) => {
      const test = steps.test;
      if (!test) throw new Error(`${stepsClassName(model)} defines trainStep, so a validation dataset runs its testStep(data), which it does not define. Define testStep(data), returning the values to log ({ loss }) computed without training.`);
      return testPass(test, `${stepsClassName(model)}.testStep`, streamBatches(iterator, batches, 'validationData'), callbacks, model);
    },
  };
}

/** The data of a dataset's `{ xs, ys, sampleWeight? }` batches (the first `batches`), as a step receives them. */
function stepData(element: unknown, index: number, what: string): { data: StepData; size: number } {
  const { xs, ys, sampleWeight, first } = batchTensors(element, index, what);
  return { data: sampleWeight ? [xs, ys, sampleWeight] : [xs, ys], size: first.shape[0] };
}

/** A test pass' batches read from `iterator`, the first `batches` of them (all without). */
function streamBatches(iterator: AsyncIterator<unknown>, batches: number | undefined, what: string): () => Promise<TestBatch | null> {
  let index = 0;
  return async () => {
    if (batches !== undefined && index >= batches) return null;
    const element = await iterator.next();
    if (element.done) return null;
    return { ...stepData(element.value, index++, what), release: () => {} };
  };
}

/** `evaluate(dataset)` of a model that defines testStep: its logs over the batches (the first `args.batches`). */
export async function evaluateDatasetWithTestStep(model: LayersModel, test: Step, dataset: Dataset<unknown>, args: ModelEvaluateDatasetArgs = {}): Promise<number[] | Record<string, number>> {
  checkOptions(args, EVALUATE_DATASET_OPTIONS, 'evaluate(dataset)');
  const batches = args.batches === undefined ? undefined : checkPositiveInt(args.batches, 'batches');
  return evaluateOver(model, test, streamBatches(dataset.iterator(), batches, 'evaluate(dataset)'), args, { steps: 0, samples: 0, batchSize: 0 }, 'evaluate(dataset)');
}

/** `evaluate(x, y)` of a model that defines testStep: its logs over the batches. */
export async function evaluateWithTestStep(model: LayersModel, test: Step, x: TensorsSpec, y: TensorsSpec, args: ModelEvaluateArgs = {}): Promise<number[] | Record<string, number>> {
  checkOptions(args, EVALUATE_OPTIONS, 'evaluate');
  const batchSize = checkPositiveInt(args.batchSize ?? 32, 'batchSize');
  const rows = new StepRows([x, y, args.sampleWeight as TensorsSpec | undefined], ['x', 'y', 'sampleWeight']);
  const params = { steps: Math.ceil(rows.size / batchSize), samples: rows.size, batchSize };
  return evaluateOver(model, test, rowBatches(rows, allRows(rows.size), batchSize), args, params, 'evaluate');
}

/**
 * fit's validation pass: the model's testStep, or without one Keras' default test step, `evaluate`
 * with the compiled loss and metrics.
 */
function validator(model: LayersModel, steps: OwnSteps, rows: StepRows, order: Int32Array, batchSize: number): (callbacks: CallbackList) => Promise<Logs> {
  const test = steps.test;
  if (test) return (callbacks) => meanOverBatches(test, `${stepsClassName(model)}.testStep`, rows, order, batchSize, callbacks, model);
  if (model.loss === undefined) {
    throw new Error(
      `${stepsClassName(model)} was compiled without a loss, so fit cannot validate it: define testStep(data), returning the values to log ({ loss }) computed without training, ` +
        "or compile with the loss validation reports (model.compile({ optimizer, loss: 'meanSquaredError' })).",
    );
  }
  return async () => {
    const { data, tensors } = rows.batch(order, 0, order.length);
    try {
      return (await model.evaluate(data[0], data[1], { batchSize, verbose: 0, returnDict: true, ...(data[2] && { sampleWeight: data[2] as SampleWeightInput }) })) as Logs;
    } finally {
      for (const t of tensors) t.dispose();
    }
  };
}
