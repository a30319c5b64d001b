import { checkNoLossTargets, noLossTargets } from '../metrics/no_loss_targets.js';
import { resolveLossWeights, type ClassWeightSpec, type LossWeights, type SampleWeightInput } from './sample_weights.js';
import { checkFinite, checkSameLength, checkTensor, readTensors } from './validate_data.js';
import { declaredInputDTypes, modelInputValues } from './model_input_values.js';
import { tensorsFor, type OutputSpec } from './outputs.js';
import type { TrainingTarget } from './training_target.js';
import type { Shape } from '../layers/layer.js';
import type { Loss } from '../losses/losses.js';
import type { Tensor } from '../tensor.js';

/** Host arrays ready for batching (also what one streamed batch becomes), with their loss weights when any were given. */
export interface Dataset extends LossWeights {
  /** Features per model input. */
  xs: Float32Array[];
  /** Targets per model output. */
  ys: (Float32Array | Int32Array)[];
  /** Sample indices in the order they are visited. */
  order: Int32Array;
  /** Values per sample of each input and of each output's targets. */
  xRows: number[];
  yRows: number[];
}

/**
 * Validates x and y against the model's inputs and outputs (one tensor, a list, or an object keyed by
 * name each) and returns host arrays ready for batching. Tensors still on a device (another model's
 * predictions) are read without blocking first, which WebGPU requires.
 */
export async function prepare(target: TrainingTarget, xIn: unknown, yIn: unknown, xName: string, yName: string, sampleWeight?: SampleWeightInput, classWeight?: ClassWeightSpec): Promise<Dataset> {
  await readTensors([xIn, yIn, sampleWeight]);
  const { graph, outputs } = target;
  const xsIn = tensorsFor(xIn, graph.inputNames, xName, 'inputs');
  const ysIn = tensorsFor(yIn, outputs.map((o) => o.name), yName, 'outputs', outputs.map((o) => o.loss === null), outputs.map((o) => o.loss === null && readsTargets(o)));
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
    // Only its metrics read them: shaped like the output, or class labels for label metrics such as 'accuracy'.
    if (!loss) return checkNoLossTargets(y, outputs[k], ysIn.labels[k]);
    try {
      loss.validateTargets(y, shape);
    } catch (e) {
      if (outputs.length === 1) throw e;
      throw new Error(`${ysIn.labels[k]}, the targets of output '${name}': ${(e as Error).message}`);
    }
  });
  xs.forEach((x, k) => checkFinite(x, xsIn.labels[k]));
  ys.forEach((y, k) => y && checkFinite(y, ysIn.labels[k]));
  const n = xs[0].shape[0];
  const declared = declaredInputDTypes(target.model);
  const weights = resolveLossWeights(outputs, ys, n, sampleWeight, classWeight);
  const yValues = ys.map((y, k) => {
    if (!y) return new Float32Array(0);
    const { loss, shape } = outputs[k];
    if (!loss) return noLossTargets(y, outputs[k]);
    return lossTargets(loss, y, shape, n);
  });
  return {
    xs: xs.map((x, k) => modelInputValues(graph, x, k, xsIn.labels[k], declared[k])),
    ys: yValues,
    order: Int32Array.from({ length: n }, (_, i) => i),
    xRows: xs.map((x) => x.size / n),
    yRows: yValues.map((v) => v.length / n),
    ...weights,
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

/** Checked targets `y` of `n` samples as `loss` reads them: int32 labels or float32 rows, then its transform (label smoothing). */
export function lossTargets(loss: Loss, y: Tensor, outputShape: Shape, n: number): Float32Array | Int32Array {
  const raw = loss.sparseTargets
    ? y.dtype === 'int32' ? (y.dataSync() as Int32Array) : Int32Array.from(y.dataSync())
    : y.dtype === 'float32' ? (y.dataSync() as Float32Array) : Float32Array.from(y.dataSync());
  return loss.transformTargets ? loss.transformTargets(raw, outputShape, n) : raw;
}
