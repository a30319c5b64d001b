import type { Logs } from '../callbacks/callbacks.js';
import type { ClassWeightSpec, SampleWeightInput } from './sample_weights.js';
import type { TensorsSpec } from './outputs.js';
import { Accumulator } from './accumulator.js';
import { evaluateBatch, trainBatch } from './run_batch.js';
import { prepare } from './prepare_data.js';
import type { LossAndMetrics, MayReturnDict } from './training_args.js';
import type { TrainingTarget } from './training_target.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of `model.trainOnBatch`. */
export interface TrainOnBatchArgs {
  /** A loss weight per sample (Keras' `sample_weight`). */
  sampleWeight?: SampleWeightInput;
  /** A loss weight per class index (Keras' `class_weight`); with several outputs, a list or an object keyed by output name (see {@link ClassWeightSpec}). */
  classWeight?: ClassWeightSpec;
  /** Return `{ loss, ...metrics }` keyed by the log names (Keras' `return_dict`). */
  returnDict?: boolean;
}

/** Options of `model.testOnBatch`. */
export interface TestOnBatchArgs {
  /** A loss weight per sample (Keras' `sample_weight`). */
  sampleWeight?: SampleWeightInput;
  /** Return `{ loss, ...metrics }` keyed by the log names (Keras' `return_dict`). */
  returnDict?: boolean;
}

/**
 * What trainOnBatch and testOnBatch return for options `A`: the loss alone or `[loss, ...metrics]`;
 * with `returnDict: true` (a literal) the logs' object; any of them when `returnDict` is a `boolean`.
 */
export type OnBatchResult<A> = A extends { returnDict: true }
  ? Record<string, number>
  : MayReturnDict<A> extends true
    ? number | LossAndMetrics | Record<string, number>
    : number | LossAndMetrics;

export const TRAIN_ON_BATCH_OPTIONS = optionNames<TrainOnBatchArgs>({ sampleWeight: true, classWeight: true, returnDict: true });
export const TEST_ON_BATCH_OPTIONS = optionNames<TestOnBatchArgs>({ sampleWeight: true, returnDict: true });

/**
 * The logs keyed by name with `returnDict`; else the loss alone when it is the only log (one output,
 * no metrics), or every log in order, as Keras and tfjs return them.
 */
export function onBatchResult(logs: Logs, returnDict: boolean | undefined): number | number[] | Logs {
  const values = Object.values(logs);
  return returnDict ? logs : values.length === 1 ? values[0] : values;
}

/** One optimizer step on all of x and y as a single batch, without shuffling or callbacks; returns its loss and metrics. */
export async function trainOnBatch(target: TrainingTarget, x: TensorsSpec, y: TensorsSpec, args: TrainOnBatchArgs = {}): Promise<number | number[] | Logs> {
  checkOptions(args, TRAIN_ON_BATCH_OPTIONS, 'trainOnBatch');
  const data = await prepare(target, x, y, 'x', 'y', args.sampleWeight, args.classWeight);
  const acc = new Accumulator(target.outputs);
  await trainBatch(target, data, 0, data.order.length, acc);
  return onBatchResult(acc.logs(), args.returnDict);
}

/** The loss and metrics of all of x and y as a single batch, without training. */
export async function testOnBatch(target: TrainingTarget, x: TensorsSpec, y: TensorsSpec, args: TestOnBatchArgs = {}): Promise<number | number[] | Logs> {
  checkOptions(args, TEST_ON_BATCH_OPTIONS, 'testOnBatch');
  const data = await prepare(target, x, y, 'x', 'y', args.sampleWeight);
  const acc = new Accumulator(target.outputs);
  await evaluateBatch(target, data, 0, data.order.length, acc);
  return onBatchResult(acc.logs(), args.returnDict);
}
