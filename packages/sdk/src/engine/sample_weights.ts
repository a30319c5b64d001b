import { mapScalar, type Backend, type BufferId, type Scalar } from '../backend/backend.js';
import type { Shape } from '../layers/layer.js';
import type { Loss } from '../losses/losses.js';
import { Tensor } from '../tensor.js';

/** Per-sample weights as `fit` and `evaluate` take them: a tensor of shape [n] (or [n, 1]) or a plain array. */
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

/**
 * Resolves `sampleWeight` and `classWeight` into one weight per sample (undefined when neither is
 * given), with errors that name the argument and the expected form.
 */
export function resolveSampleWeights(y: Tensor, sampleWeight: SampleWeightInput | undefined, classWeight: ClassWeight | undefined): Float32Array | undefined {
  const n = y.shape[0];
  if (sampleWeight !== undefined && classWeight !== undefined) {
    throw new Error('fit received both sampleWeight and classWeight; Keras does not combine them. Multiply the class weights into sampleWeight yourself and pass only sampleWeight.');
  }
  if (sampleWeight !== undefined) {
    const isTensor = sampleWeight instanceof Tensor;
    const shape = isTensor ? sampleWeight.shape : [sampleWeight.length];
    if (!(shape[0] === n && (shape.length === 1 || (shape.length === 2 && shape[1] === 1)))) {
      throw new Error(`sampleWeight must hold one weight per sample, shape [${n}]; received shape [${shape.join(', ')}]. Pass a 1-D tensor or array of length ${n}.`);
    }
    const weights = Float32Array.from(isTensor ? sampleWeight.dataSync() : sampleWeight);
    weights.forEach((w, i) => checkWeight(w, `sampleWeight[${i}]`));
    return weights;
  }
  if (classWeight !== undefined) {
    if (typeof classWeight !== 'object' || classWeight === null) {
      throw new Error(`classWeight must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }; received ${classWeight === null ? 'null' : typeof classWeight}.`);
    }
    for (const [key, w] of Object.entries(classWeight)) {
      if (!/^\d+$/.test(key)) throw new Error(`classWeight keys must be class indices (0, 1, ...); received key '${key}'.`);
      checkWeight(w, `classWeight[${key}]`);
    }
    const values = y.dataSync();
    const row = y.size / n;
    return Float32Array.from({ length: n }, (_, i) => classWeight[classOf(values, i, row)] ?? 1);
  }
  return undefined;
}

/** Per-row views of a plan's output, gradient and target buffers, made once per plan. */
export interface RowViews {
  readonly outputs: readonly BufferId[];
  readonly grads: readonly BufferId[];
  readonly targets: readonly BufferId[];
}

export function makeRowViews(backend: Backend, batch: number, output: BufferId, grad: BufferId, targets: BufferId, outputRow: number, targetRow: number): RowViews {
  const rows = (id: BufferId, row: number) => Array.from({ length: batch }, (_, r) => (id ? backend.view(id, r * row, row) : 0));
  return { outputs: rows(output, outputRow), grads: rows(grad, outputRow), targets: rows(targets, targetRow) };
}

/**
 * Keras' weighted "sum over batch size" reduction: Σ wᵢ·Lᵢ, with the gradient of Σ wᵢ·Lᵢ / batch.
 * Runs the loss kernel once per row on views of the batch, so every loss (fused softmax included)
 * gets weights without a weighted variant of each kernel.
 */
export async function weightedLossSum(
  backend: Backend, loss: Loss, views: RowViews, weights: ArrayLike<number>, batch: number, outputShape: Shape, fusedSoftmax: boolean, training: boolean,
): Promise<number> {
  const outputRow = outputShape.reduce((a, b) => a * b, 1);
  const terms: Scalar[] = [];
  for (let r = 0; r < batch; r++) {
    const grad = training ? views.grads[r] : 0;
    const w = weights[r];
    terms.push(mapScalar(loss.compute(backend, views.outputs[r], views.targets[r], grad, 1, outputShape, fusedSoftmax), (l) => l * w));
    if (grad) backend.scale(grad, outputRow, w / batch);
  }
  let sum = 0;
  for (const term of terms) sum += await term;
  return sum;
}
