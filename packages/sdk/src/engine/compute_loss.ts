// Keras 3's `model.compute_loss(y, y_pred, sample_weight)` for a km.Model's own trainStep: the
// compiled loss of a batch's predictions, computed by each loss' own backend kernels (the value
// and dLoss/dOutput fit's step uses) and recorded on the tape, so km.variableGrads differentiates
// through it.
import type { Backend, BufferId } from '../backend/backend.js';
import { backend as activeBackend } from '../backend/registry.js';
import { hostValues } from '../ops/operand.js';
import { record, taping } from '../ops/tape.js';
import { Tensor } from '../tensor.js';
import type { OutputSpec } from './outputs.js';
import { lossTargets } from './prepare_data.js';
import { positionWeightsOn, stepOutputs, stepWeights, type StepWeights } from './step_outputs.js';

/** One output's part of the loss: its weighted mean loss and that mean's gradient with respect to its predictions. */
interface OutputLoss {
  readonly value: number;
  readonly gradient: Float32Array;
}

/**
 * The mean over the batch of output `o`'s loss between `y` and `yPred`, as fit's step computes it,
 * each position weighted by `weights` (`row` per sample) when given, with its gradient.
 */
function outputLoss(where: string, b: Backend, o: OutputSpec, y: Tensor, yPred: Tensor<'float32'>, weights: StepWeights | undefined): OutputLoss {
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
    const positionWeights = weights && positionWeightsOn(b, o, batch, weights, true, ids);
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
  const trained = outputs.flatMap((o, k) => (o.loss === null ? [] : [k]));
  const { preds, ys, batch } = stepOutputs(where, outputs, y, yPred, trained, [], "trainStep's data[1]");
  const weights = sampleWeight === undefined ? undefined : stepWeights(where, outputs, ys, batch, sampleWeight);
  const b = activeBackend();
  const parts = trained.map((k, i) => outputLoss(where, b, outputs[k], ys[k]!, preds[i], weights));
  const total = new Tensor(Float32Array.of(parts.reduce((sum, part, i) => sum + outputs[trained[i]].weight * part.value, 0)), [], 'float32');
  if (taping()) {
    record(total, preds, (dy) => parts.map((part, i) => part.gradient.map((g) => g * outputs[trained[i]].weight * dy[0])));
  }
  return total;
}
