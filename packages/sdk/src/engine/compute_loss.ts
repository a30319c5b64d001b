// Keras 3's `model.compute_loss(y, y_pred, sample_weight)` for a km.Model's own trainStep: the
// compiled loss of a batch's predictions, computed by each loss' own backend kernels (the value
// and dLoss/dOutput fit's step uses) and recorded on the tape, so km.variableGrads differentiates
// through it.
import type { Backend, BufferId } from '../backend/backend.js';
import { backend as activeBackend } from '../backend/registry.js';
import { positions } from '../losses/targets.js';
import { describeValue, hostValues } from '../ops/operand.js';
import { record, taping } from '../ops/tape.js';
import { sameShape, Tensor } from '../tensor.js';
import type { OutputSpec } from './outputs.js';
import { tensorsFor } from './outputs.js';
import { lossTargets } from './prepare_data.js';
import { resolveLossWeights, type SampleWeightInput } from './sample_weights.js';

/** One output's part of the loss: its weighted mean loss and that mean's gradient with respect to its predictions. */
interface OutputLoss {
  readonly value: number;
  readonly gradient: Float32Array;
}

/** The predictions of output `o` checked: a float32 tensor `[batch, ...o.shape]`. */
export function checkedPrediction(where: string, o: OutputSpec, label: string, yPred: unknown): Tensor<'float32'> {
  if (!(yPred instanceof Tensor) || yPred.dtype !== 'float32' || !sameShape(yPred.shape.slice(1), o.shape)) {
    const received = yPred instanceof Tensor ? `a ${yPred.dtype} tensor of shape [${yPred.shape.join(', ')}]` : describeValue(yPred);
    throw new Error(`${where}: ${label} must be the model's output for the batch, a float32 tensor of shape [batch, ${o.shape.join(', ')}] (this.apply(x, { training: true })). Received: ${received}.`);
  }
  return yPred as Tensor<'float32'>;
}

/**
 * The mean over the batch of output `o`'s loss between `y` and `yPred`, as fit's step computes it,
 * each position weighted by `weights` (`row` per sample) when given, with its gradient.
 */
function outputLoss(where: string, b: Backend, o: OutputSpec, y: Tensor, yPred: Tensor<'float32'>, weights: { values: Float32Array; row: number } | undefined): OutputLoss {
  const loss = o.loss!;
  const batch = yPred.shape[0];
  loss.validateTargets(y, o.shape);
  const targets = lossTargets(loss, y, o.shape, batch);
  const size = yPred.size;
  const ids: BufferId[] = [];
  const alloc = (length: number, dtype: 'float32' | 'int32' = 'float32') => (ids.push(b.alloc(length, dtype)), ids[ids.length - 1]);
  try {
    const [output, target, grad] = [alloc(size), alloc(targets.length, targets instanceof Int32Array ? 'int32' : 'float32'), alloc(size)];
    b.write(output, hostValues(where, yPred));
    b.write(target, targets);
    let positionWeights: BufferId | undefined;
    if (weights) {
      const perSample = positions(o.shape);
      const given = alloc(weights.values.length);
      b.write(given, weights.values);
      positionWeights = alloc(batch * perSample);
      b.lossWeights(0, given, perSample / weights.row, positionWeights, batch * perSample);
    }
    const sum = loss.compute(b, output, target, grad, batch, o.shape, false, positionWeights);
    // The tfjs backends' loss kernels (tfjs-cpu's and tfjs-webgl's too) return their sums as promises.
    if (typeof sum !== 'number') {
      throw new Error(`${where} reads the loss back synchronously, which backend '${b.name}' cannot: its loss kernels give their values asynchronously. ` +
        "Run this model on the wasm backend (await km.setBackend('wasm')), or compute the loss with km.losses in trainStep (km.losses.meanSquaredError(y, yPred)), which runs on every backend.");
    }
    return { value: sum / batch, gradient: (b.read(grad, size, 'float32') as Float32Array).slice() };
  } finally {
    for (const id of ids) b.free(id);
  }
}

/**
 * The compiled loss of a batch, as fit's step computes it: Σ over the outputs compiled with a loss
 * of its `lossWeights` weight times its mean loss over the batch between targets `y` and
 * predictions `yPred` (each one tensor, a list in output order or an object keyed by output name,
 * as fit takes targets and the model returns outputs), each sample weighing its `sampleWeight`
 * (`[batch]`, or one per position) when given; recorded with its gradient with respect to each
 * output. `where` names the call in errors.
 */
export function compiledLossOf(where: string, outputs: readonly OutputSpec[], y: unknown, yPred: unknown, sampleWeight: unknown): Tensor<'float32'> {
  const names = outputs.map((o) => o.name);
  const noLoss = outputs.map((o) => o.loss === null);
  const predictions = tensorsFor(yPred, names, 'yPred', 'outputs');
  const targets = tensorsFor(y, names, 'y', 'outputs', noLoss);
  const trained = outputs.flatMap((o, k) => (o.loss === null ? [] : [k]));
  const preds = trained.map((k) => checkedPrediction(where, outputs[k], predictions.labels[k], predictions.tensors[k]));
  const batch = preds[0].shape[0];
  trained.forEach((k, i) => {
    if (preds[i].shape[0] !== batch) throw new Error(`${where}: ${predictions.labels[k]} has ${preds[i].shape[0]} samples but ${predictions.labels[trained[0]]} has ${batch}; pass every output of the same batch.`);
  });
  const ys = outputs.map((_, k) => targets.tensors[k] as Tensor | null);
  for (const k of trained) {
    const target = ys[k];
    const label = targets.labels[k];
    if (!(target instanceof Tensor)) throw new Error(`${where}: ${label} must be the batch's targets, a km.Tensor (trainStep's data[1]). Received: ${describeValue(target)}.`);
    if (target.shape[0] !== batch) throw new Error(`${where}: ${label} has ${target.shape[0]} samples but ${predictions.labels[k]} has ${batch}; pass the targets of the same batch.`);
  }
  const weights = sampleWeight === undefined ? undefined : lossWeightsOf(where, outputs, ys, batch, sampleWeight);
  const b = activeBackend();
  const parts = trained.map((k, i) => outputLoss(where, b, outputs[k], ys[k]!, preds[i], weights));
  const total = new Tensor(Float32Array.of(parts.reduce((sum, part, i) => sum + outputs[trained[i]].weight * part.value, 0)), [], 'float32');
  if (taping()) {
    record(total, preds, (dy) => parts.map((part, i) => part.gradient.map((g) => g * outputs[trained[i]].weight * dy[0])));
  }
  return total;
}

/** `sampleWeight` checked and read as fit reads its own, with errors that name `where`. */
export function lossWeightsOf(where: string, outputs: readonly OutputSpec[], ys: readonly (Tensor | null)[], batch: number, sampleWeight: unknown): { values: Float32Array; row: number } {
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
