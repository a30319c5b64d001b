// What computeLoss and computeMetrics share: a step's predictions and targets matched to the
// model's outputs and checked against each other, and its sample weights as the kernels take them.
import type { Backend, BufferId } from '../backend/backend.js';
import { positions } from '../losses/targets.js';
import { describeValue } from '../ops/operand.js';
import { sameShape, Tensor } from '../tensor.js';
import { tensorsFor, type OutputSpec } from './outputs.js';
import { resolveLossWeights, type SampleWeightInput } from './sample_weights.js';

/** The predictions of output `o` checked: a float32 tensor `[batch, ...o.shape]`. */
function checkedPrediction(where: string, o: OutputSpec, label: string, yPred: unknown): Tensor<'float32'> {
  if (!(yPred instanceof Tensor) || yPred.dtype !== 'float32' || !sameShape(yPred.shape.slice(1), o.shape)) {
    const received = yPred instanceof Tensor ? `a ${yPred.dtype} tensor of shape [${yPred.shape.join(', ')}]` : describeValue(yPred);
    throw new Error(`${where}: ${label} must be the model's output for the batch, a float32 tensor of shape [batch, ${o.shape.join(', ')}] (this.apply(x, { training: true })). Received: ${received}.`);
  }
  return yPred as Tensor<'float32'>;
}

/** A step's batch matched to the model's outputs. */
export interface StepOutputs {
  /** The predictions of the outputs read, in their order, checked. */
  readonly preds: Tensor<'float32'>[];
  /** Each output's targets, checked for the outputs read; null where none were given. */
  readonly ys: (Tensor | null)[];
  readonly batch: number;
  /** How errors name each output's targets (`y[1] ('label')`). */
  readonly targetLabels: string[];
}

/**
 * The predictions `yPred` and targets `y` (each one tensor, a list in output order or an object
 * keyed by output name) of the outputs `read`, checked to be of one batch. Outputs compiled without
 * a loss may go without targets unless `metricsRead` marks them; `targetsFrom` says where a step
 * gets its targets (`trainStep's data[1]`), and `where` names the call in errors.
 */
export function stepOutputs(where: string, outputs: readonly OutputSpec[], y: unknown, yPred: unknown, read: readonly number[], metricsRead: readonly boolean[], targetsFrom: string): StepOutputs {
  const names = outputs.map((o) => o.name);
  const predictions = tensorsFor(yPred, names, 'yPred', 'outputs');
  const targets = tensorsFor(y, names, 'y', 'outputs', outputs.map((o) => o.loss === null), metricsRead);
  const preds = read.map((k) => checkedPrediction(where, outputs[k], predictions.labels[k], predictions.tensors[k]));
  const batch = preds[0]?.shape[0] ?? 0;
  read.forEach((k, i) => {
    if (preds[i].shape[0] !== batch) throw new Error(`${where}: ${predictions.labels[k]} has ${preds[i].shape[0]} samples but ${predictions.labels[read[0]]} has ${batch}; pass every output of the same batch.`);
  });
  const ys = outputs.map((_, k) => targets.tensors[k] as Tensor | null);
  for (const k of read) {
    const target = ys[k];
    const label = targets.labels[k];
    if (!(target instanceof Tensor)) throw new Error(`${where}: ${label} must be the batch's targets, a km.Tensor (${targetsFrom}). Received: ${describeValue(target)}.`);
    if (target.shape[0] !== batch) throw new Error(`${where}: ${label} has ${target.shape[0]} samples but ${predictions.labels[k]} has ${batch}; pass the targets of the same batch.`);
  }
  return { preds, ys, batch, targetLabels: targets.labels };
}

/** A step's sample weights as fit reads its own: `row` per sample (1, or one per position). */
export interface StepWeights {
  readonly values: Float32Array;
  readonly row: number;
}

/** `sampleWeight` checked and read as fit reads its own, with errors that name `where`. */
export function stepWeights(where: string, outputs: readonly OutputSpec[], ys: readonly (Tensor | null)[], batch: number, sampleWeight: unknown): StepWeights {
  if (!(sampleWeight instanceof Tensor) && !(sampleWeight instanceof Float32Array) && !Array.isArray(sampleWeight)) {
    throw new Error(`${where}: sampleWeight must be the batch's weights, a km.Tensor of one weight per sample (trainStep's data[2]). Received: ${describeValue(sampleWeight)}.`);
  }
  try {
    const resolved = resolveLossWeights(outputs, ys, batch, sampleWeight as SampleWeightInput, undefined);
    return { values: resolved.weights!, row: resolved.weightRow ?? 1 };
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
}

/**
 * `weights` spread over output `o`'s positions for a batch of `batch` on `b`, in buffers added to
 * `owned`: normalized as a loss kernel takes them, or (`normalize` false) as weighted metrics count.
 */
export function positionWeightsOn(b: Backend, o: OutputSpec, batch: number, weights: StepWeights, normalize: boolean, owned: BufferId[]): BufferId {
  const perSample = positions(o.shape);
  const given = b.alloc(weights.values.length, 'float32');
  owned.push(given);
  b.write(given, weights.values);
  const spread = b.alloc(batch * perSample, 'float32');
  owned.push(spread);
  b.lossWeights(0, given, perSample / weights.row, spread, batch * perSample, normalize);
  return spread;
}
