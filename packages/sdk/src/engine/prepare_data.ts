import { sameShape } from '../tensor.js';
import { positions } from '../losses/targets.js';
import { resolveSampleWeights, type ClassWeight, type SampleWeightInput } from './sample_weights.js';
import { checkFinite, checkSameLength, checkTensor, readTensors } from './validate_data.js';
import { modelInputValues } from './model_input_values.js';
import { tensorsFor, type OutputSpec } from './outputs.js';
import type { TrainingTarget } from './training_target.js';

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
