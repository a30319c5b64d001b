// What `fit(dataset)` trains with: kerasm's planned steps over a training target, or a km.Model's own
// trainStep (own_steps.ts). The stream, the epochs and the callbacks' hooks are fit_dataset.ts'.
import type { CallbackModel } from '../callbacks/callback.js';
import type { CallbackList, Logs } from '../callbacks/callbacks.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { Accumulator } from './accumulator.js';
import { hostBatch } from './fit_dataset_batch.js';
import { epochLogNames } from './metric_names.js';
import type { TensorsSpec } from './outputs.js';
import { prepare } from './prepare_data.js';
import { inputSampleOf } from './input_sample.js';
import { evaluateBatch, evaluateData, trainBatch } from './run_batch.js';
import type { ClassWeightSpec } from './sample_weights.js';
import type { TrainingTarget } from './training_target.js';

/** One batch of the stream, read and checked: its number of samples, and the step that trains on it. */
export interface ReadyBatch {
  readonly size: number;
  train(): void | Promise<void>;
}

/** The steps of one epoch and the logs they have made so far. */
export interface DatasetEpoch {
  /** Reads batch `index` of the stream (`element`, as the dataset gave it). */
  ready(element: unknown, index: number): Promise<ReadyBatch>;
  logs(): Logs;
}

/** What `fit(dataset)` trains with. */
export interface DatasetTrainer {
  /** The model as callbacks see it; its `stopTraining` ends training. */
  readonly model: CallbackModel;
  readonly optimizer: Optimizer;
  /** The names the epoch logs hold, for `params.metrics`; undefined where known only once the steps run. */
  logNames(validates: boolean): string[] | undefined;
  newEpoch(): DatasetEpoch;
  /** A validation pass over `[x, y]` tensors in batches of `batchSize` (the test batch hooks of `callbacks` around each). */
  validateTensors(x: TensorsSpec, y: TensorsSpec, batchSize: number, callbacks: CallbackList): Promise<Logs>;
  /** A validation pass over a dataset's batches (the first `batches`), and how many batches it read. */
  validateStream(iterator: AsyncIterator<unknown>, batches: number | undefined, callbacks: CallbackList): Promise<{ logs: Logs; read: number }>;
}

/**
 * Evaluates every batch of a dataset (or the first `batches`) into a fresh accumulator, calling the
 * test batch hooks of `callbacks` around each, until a hook sets the model's `stopEvaluating`;
 * `read` is how many batches there were.
 */
export async function evaluateStream(target: TrainingTarget, iterator: AsyncIterator<unknown>, pending: IteratorResult<unknown> | null, batches: number | undefined, what: string, callbacks: CallbackList): Promise<{ acc: Accumulator; read: number }> {
  const acc = new Accumulator(target.outputs);
  let read = 0;
  const begin = callbacks.having('onTestBatchBegin');
  const end = callbacks.having('onTestBatchEnd');
  for (let index = 0; batches === undefined || index < batches; index++) {
    const next = pending ?? (await iterator.next());
    pending = null;
    if (next.done) break;
    const { target: batchTarget, data } = await hostBatch(target, next.value, index, what);
    const size = data.order.length;
    if (begin.length > 0) await callbacks.call(begin, index, { batch: index, size });
    await evaluateBatch(batchTarget, data, 0, size, acc);
    if (end.length > 0) await callbacks.call(end, index, { batch: index, size, ...acc.logs() });
    read++;
    if (target.model.stopEvaluating) break;
  }
  return { acc, read };
}

/** kerasm's own steps: each batch through the model's batch plans, the loss and metrics the compile set. */
export function plannedTrainer(target: TrainingTarget, classWeight: ClassWeightSpec | undefined): DatasetTrainer {
  return {
    model: target.model,
    optimizer: target.optimizer,
    logNames: (validates) => epochLogNames(target.outputs, validates),
    newEpoch: () => {
      const acc = new Accumulator(target.outputs);
      return {
        ready: async (element, index) => {
          const { target: batchTarget, data } = await hostBatch(target, element, index, 'fit(dataset)', classWeight);
          return { size: data.order.length, train: () => trainBatch(batchTarget, data, 0, data.order.length, acc) };
        },
        logs: () => acc.logs(),
      };
    },
    validateTensors: async (x, y, batchSize, callbacks) => {
      const tested = target.inference ?? target;
      const validationTarget = tested.forInputs?.(inputSampleOf(x)) ?? tested;
      return (await evaluateData(validationTarget, await prepare(validationTarget, x, y, 'validationData[0]', 'validationData[1]'), batchSize, callbacks)).logs();
    },
    validateStream: async (iterator, batches, callbacks) => {
      const { acc, read } = await evaluateStream(target.inference ?? target, iterator, null, batches, 'validationData', callbacks);
      return { logs: acc.logs(), read };
    },
  };
}
