import type { Shape } from '../layers/layer.js';
import { sameShape, shapeSize, Tensor } from '../tensor.js';

/**
 * Sample weights as `fit` and `evaluate` take them: a tensor of shape [n] (or [n, 1]) or a plain
 * array, one weight per sample; or, for an output with several positions per sample ([steps,
 * classes]), a tensor [n, steps] with one weight per position (Keras' temporal sample weights).
 */
export type SampleWeightInput = Tensor | Float32Array | readonly number[];

/** Keras' `class_weight`: a weight per class index; classes left out weigh 1. */
export type ClassWeight = Readonly<Record<number, number>>;

function checkWeight(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${what} must be a finite, non-negative number. Received: ${value}. Give every sample (or class) a weight ≥ 0.`);
  }
}

/** The class index Keras weighs a sample by: its label, the argmax of its one-hot row, or its rounded binary target. */
function classOf(y: ArrayLike<number>, sample: number, row: number): number {
  if (row === 1) return Math.round(y[sample]);
  let best = 0;
  for (let j = 1; j < row; j++) if (y[sample * row + j] > y[sample * row + best]) best = j;
  return best;
}

/** Loss weights as the training loop gathers them: `row` values per sample (1, or one per position). */
export interface ResolvedWeights {
  readonly weights: Float32Array;
  readonly row: number;
}

/**
 * Resolves `sampleWeight` and `classWeight` into loss weights (undefined when neither is given),
 * with errors that name the argument and the expected form. `positionShape` is the output's shape
 * without its last axis ([] for one prediction per sample, [steps] for a per-step output), which a
 * temporal weight takes after the sample axis. `classes` bounds the class indices classWeight may name.
 */
export function resolveSampleWeights(y: Tensor, sampleWeight: SampleWeightInput | undefined, classWeight: ClassWeight | undefined, positionShape: Shape = [], classes = Infinity): ResolvedWeights | undefined {
  const n = y.shape[0];
  if (sampleWeight !== undefined && classWeight !== undefined) {
    throw new Error('fit received both sampleWeight and classWeight; Keras does not combine them. Multiply the class weights into sampleWeight yourself and pass only sampleWeight.');
  }
  if (sampleWeight !== undefined) {
    const isTensor = sampleWeight instanceof Tensor;
    const shape = isTensor ? sampleWeight.shape : [sampleWeight.length];
    const perPosition = shapeSize(positionShape);
    const perSample = shape[0] === n && (shape.length === 1 || (shape.length === 2 && shape[1] === 1));
    const temporal = perPosition > 1 && shape[0] === n && (sameShape(shape.slice(1), positionShape) || sameShape(shape.slice(1), [perPosition]));
    if (!perSample && !temporal) {
      const temporalForm = perPosition > 1 ? `, or one per position of the output, shape [${[n, ...positionShape].join(', ')}]` : '';
      throw new Error(
        `sampleWeight must hold one weight per sample, shape [${n}]${temporalForm}; received shape [${shape.join(', ')}]. ` +
          `Pass a 1-D tensor or array of length ${n}${perPosition > 1 ? `, or a tensor of shape [${[n, ...positionShape].join(', ')}]` : ''}.`,
      );
    }
    const weights = Float32Array.from(isTensor ? sampleWeight.dataSync() : sampleWeight);
    weights.forEach((w, i) => checkWeight(w, `sampleWeight[${i}]`));
    return { weights, row: temporal ? perPosition : 1 };
  }
  if (classWeight !== undefined) {
    if (typeof classWeight !== 'object' || classWeight === null) {
      throw new Error(`classWeight must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }; received ${classWeight === null ? 'null' : typeof classWeight}.`);
    }
    for (const [key, w] of Object.entries(classWeight)) {
      if (!/^\d+$/.test(key)) throw new Error(`classWeight keys must be class indices (0, 1, ...); received key '${key}'.`);
      if (Number(key) >= classes) throw new Error(`classWeight has class ${key}, but the model's output has ${classes} classes (0..${classes - 1}), so no sample would get its weight. Give weights for classes 0..${classes - 1}; classes left out weigh 1.`);
      checkWeight(w, `classWeight[${key}]`);
    }
    const values = y.dataSync();
    const row = y.size / n;
    return { weights: Float32Array.from({ length: n }, (_, i) => classWeight[classOf(values, i, row)] ?? 1), row: 1 };
  }
  return undefined;
}
