import { CallbackList, type Logs } from '../callbacks/callbacks.js';
import type { History } from '../callbacks/history.js';
import { checkVerbosity } from '../callbacks/progbar_logger.js';
import { checkPositiveInt } from './validate_data.js';
import { epochLogNames } from './metric_names.js';
import type { TensorsSpec } from './outputs.js';
import { checkOptions } from '../utils/options.js';
import { checkStatefulBatches } from './stateful.js';
import { Accumulator } from './accumulator.js';
import { prepare, type Dataset } from './prepare_data.js';
import { inputSampleOf } from './input_sample.js';
import { evaluateData, trainBatch } from './run_batch.js';
import { EVALUATE_OPTIONS, FIT_OPTIONS, type ModelEvaluateArgs, type ModelFitArgs } from './training_args.js';
import type { TrainingTarget } from './training_target.js';
import { fitSettings, runEpochs, splitPoint } from './epoch_loop.js';

export { epochSeed } from './sample_passes.js';

/** Samples `[start, end)` of `data`'s order: `validationSplit`'s two parts. */
function subset(data: Dataset, start: number, end: number): Dataset {
  return { ...data, order: data.order.slice(start, end) };
}

/**
 * The `fit` loop: shuffles, batches, steps the optimizer, reports to callbacks. `ownValidation`,
 * where given, is the validation pass (a km.Model's testStep) in place of the compiled loss'.
 */
export async function fit(target: TrainingTarget, x: TensorsSpec, y: TensorsSpec, args: ModelFitArgs = {}, ownValidation?: (callbacks: CallbackList) => Promise<Logs>): Promise<History> {
  checkOptions(args, FIT_OPTIONS, 'fit');
  const settings = fitSettings(args);
  let train = await prepare(target, x, y, 'x', 'y', args.sampleWeight, args.classWeight);
  let validation: Dataset | null = null;
  // Validation runs the inference graph, reshaped for validation tensors of another size on unknown dimensions.
  const tested = target.inference ?? target;
  let validationTarget = tested;
  if (args.validationData) {
    validationTarget = tested.forInputs?.(inputSampleOf(args.validationData[0])) ?? tested;
    if (!ownValidation) validation = await prepare(validationTarget, args.validationData[0], args.validationData[1], 'validationData[0]', 'validationData[1]', args.validationData[2]);
  } else if (settings.validationSplit > 0) {
    const n = train.order.length;
    const cut = splitPoint(n, settings.validationSplit);
    // Keras 3 and tfjs weigh only the training part by classWeight (sampleWeight is split with the samples).
    validation = { ...subset(train, cut, n), outputWeights: undefined };
    train = subset(train, 0, cut);
  }
  checkStatefulBatches(target.graph.layers, 'fit', settings.batchSize, train.order.length, settings.shuffle);
  if (validation) checkStatefulBatches(target.graph.layers, 'fit (its validation data)', settings.validationBatchSize, validation.order.length);
  const held = validation;
  return runEpochs({
    model: target.model,
    optimizer: target.optimizer,
    settings,
    order: train.order,
    logNames: ownValidation ? undefined : epochLogNames(target.outputs, validation !== null),
    newEpoch: () => {
      const acc = new Accumulator(target.outputs);
      return { step: (start, count) => trainBatch(target, train, start, count, acc), logs: () => acc.logs() };
    },
    validate: ownValidation ?? (held && (async (callbacks) => (await evaluateData(validationTarget, held, settings.validationBatchSize, callbacks)).logs())),
  }, args.callbacks);
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
  if (verbose !== 0) printEvaluation(steps, start, logs);
  return args.returnDict ? logs : Object.values(logs);
}

/** evaluate's line, as Keras prints it: `steps/steps - seconds - name: value - ...`, `started` from performance.now(). */
export function printEvaluation(steps: number, started: number, logs: Logs): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const text = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');
  console.log(`${steps}/${steps} - ${seconds}s - ${text}`);
}
