import type { Shape } from '../layers/layer.js';
import { positions } from '../losses/targets.js';
import { sameShape, shapeSize, Tensor } from '../tensor.js';
import type { OutputSpec } from './outputs.js';

/**
 * Sample weights as `fit` and `evaluate` take them: a tensor of shape [n] (or [n, 1]) or a plain
 * array, one weight per sample; or, for an output with several positions per sample ([steps,
 * classes]), a tensor [n, steps] with one weight per position (Keras' temporal sample weights).
 */
export type SampleWeightInput = Tensor | Float32Array | readonly number[];

/** Keras' `class_weight`: a weight per class index; classes left out weigh 1. */
export type ClassWeight = Readonly<Record<number, number>>;

/** Class weights per output, keyed by output name (tfjs' `ClassWeightMap`, Keras 2's dict of dicts). */
export type ClassWeightMap = Readonly<Record<string, ClassWeight | null>>;

/**
 * What `classWeight` takes: one {@link ClassWeight} for a model with one output; for several, a
 * list in output order (null for an output left unweighted) or an object keyed by output name,
 * as tfjs' `ClassWeight | ClassWeight[] | ClassWeightMap`. Each output's loss (and its
 * `weightedMetrics`) weighs a sample by the weight of that output's class for it.
 *
 * @example
 * ```ts
 * await model.fit(x, { species: labels, size: sizes }, { classWeight: { species: { 0: 1, 1: 5 } } });
 * ```
 */
export type ClassWeightSpec = ClassWeight | readonly (ClassWeight | null)[] | ClassWeightMap;

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
 * Checks `sampleWeight` for `n` samples and reads it into loss weights, with errors that name the
 * expected form. `positionShape` is the output's shape without its last axis ([] for one prediction
 * per sample, [steps] for a per-step output), which a temporal weight takes after the sample axis.
 */
function sampleWeightsOf(n: number, sampleWeight: SampleWeightInput, positionShape: Shape): ResolvedWeights {
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

/**
 * One weight per sample of `y` from the weight of its class, after checking `classWeight`'s keys and
 * weights; `what` names it in errors (`classWeight`, `classWeight['species']`) and `output` the output.
 */
function classSampleWeights(y: Tensor, classWeight: ClassWeight, what: string, output: string, classes: number): Float32Array {
  for (const [key, w] of Object.entries(classWeight)) {
    if (!/^\d+$/.test(key)) throw new Error(`${what} keys must be class indices (0, 1, ...); received key '${key}'.`);
    if (Number(key) >= classes) throw new Error(`${what} has class ${key}, but ${output} has ${classes} classes (0..${classes - 1}), so no sample would get its weight. Give weights for classes 0..${classes - 1}; classes left out weigh 1.`);
    checkWeight(w, `${what}[${key}]`);
  }
  return weightsByClass(y, classWeight);
}

/** One weight per sample of `y`, the weight of its class ({@link classOf}); classes left out weigh 1. */
export function weightsByClass(y: Tensor, classWeight: ClassWeight): Float32Array {
  const n = y.shape[0];
  const values = y.dataSync();
  const row = y.size / n;
  return Float32Array.from({ length: n }, (_, i) => classWeight[classOf(values, i, row)] ?? 1);
}

const quoted = (names: readonly string[]) => `[${names.map((n) => `'${n}'`).join(', ')}]`;

function isClassWeightObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Tensor);
}

/**
 * Each output's class weights (undefined where it has none) from a {@link ClassWeightSpec}, as tfjs'
 * standardizeClassWeights reads it: one object of numbers for a model with one output, a list in
 * output order, or an object keyed by output name; with errors that name the outputs.
 */
export function classWeightsPerOutput(spec: ClassWeightSpec, names: readonly string[]): (ClassWeight | undefined)[] {
  const forms = `a list of ${names.length} (one per output, in that order; null for an output left unweighted) or an object keyed by output name, e.g. { ${names[0]}: { 0: 1, 1: 5 } }`;
  if (Array.isArray(spec)) {
    if (spec.length !== names.length) {
      throw new Error(`classWeight is a list of ${spec.length}, but the model has ${names.length} output${names.length > 1 ? 's' : ''} ${quoted(names)}. Give ${forms}.`);
    }
    return spec.map((entry, k) => {
      if (entry === null || entry === undefined) return undefined;
      if (!isClassWeightObject(entry)) throw new Error(`classWeight[${k}] ('${names[k]}') must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }, or null; received ${typeof entry}.`);
      return entry as ClassWeight;
    });
  }
  if (!isClassWeightObject(spec)) {
    throw new Error(`classWeight must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }${names.length > 1 ? `, or for this model's outputs ${quoted(names)} ${forms}` : ''}; received ${spec === null ? 'null' : typeof spec}.`);
  }
  const entries = Object.entries(spec);
  // Keyed by output name when any value is an object (or null); else one output's class weights.
  if (!entries.some(([, v]) => typeof v === 'object')) {
    if (names.length === 1 || entries.length === 0) return names.map(() => (entries.length === 0 ? undefined : (spec as ClassWeight)));
    throw new Error(`classWeight ${JSON.stringify(spec)} gives weights for one output's classes, but the model has ${names.length} outputs ${quoted(names)}, so it is unclear which it weighs. Give ${forms}.`);
  }
  const unknown = entries.filter(([key]) => !names.includes(key)).map(([key]) => key);
  if (unknown.length > 0) {
    throw new Error(`classWeight names ${quoted(unknown)}, which ${unknown.length > 1 ? 'are not outputs' : 'is not an output'} of the model; its outputs are ${quoted(names)}. Key classWeight by those names (see model.outputNames), or give ${forms}.`);
  }
  return names.map((name) => {
    const entry = (spec as Record<string, unknown>)[name];
    if (entry === null || entry === undefined) return undefined;
    if (!isClassWeightObject(entry)) throw new Error(`classWeight['${name}'] must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }, or null; received ${typeof entry}.`);
    return entry as ClassWeight;
  });
}

/** The loss weights of a dataset: fit's `sampleWeight`, shared by every output, or `classWeight`'s, per output. */
export interface LossWeights {
  /** Loss weights by sample index, `weightRow` per sample (1, or one per position: temporal), shared by every output. */
  weights?: Float32Array;
  weightRow?: number;
  /** One weight per sample for each output, from its class weights; undefined for an output left unweighted. */
  outputWeights?: (Float32Array | undefined)[];
}

/**
 * Resolves fit's `sampleWeight` or `classWeight` for a model's outputs and their checked targets
 * (`ys`, null where an output reads none) into the dataset's {@link LossWeights}, with errors that
 * name the argument, the output and the fix. As in tfjs, each output's class weights weigh that
 * output's loss by the class of its own targets; the two arguments are not combined (Keras 3 and
 * tfjs refuse them together too).
 */
export function resolveLossWeights(outputs: readonly OutputSpec[], ys: readonly (Tensor | null)[], n: number, sampleWeight: SampleWeightInput | undefined, classWeight: ClassWeightSpec | undefined): LossWeights {
  if (sampleWeight !== undefined && classWeight !== undefined) throw new Error('fit received both sampleWeight and classWeight; Keras does not combine them. Multiply the class weights into sampleWeight yourself and pass only sampleWeight.');
  if (classWeight !== undefined) return { outputWeights: outputClassWeights(outputs, ys, classWeight) };
  // sampleWeight needs the sample count and the first trained output's positions.
  const first = outputs.findIndex((o) => o.loss !== null);
  if (sampleWeight === undefined) return {};
  const weights = sampleWeightsOf(n, sampleWeight, outputs[first].shape.slice(0, -1));
  const mismatched = weights.row > 1 ? outputs.find((o) => (o.loss || o.weightedMetrics.length > 0) && positions(o.shape) !== weights.row) : undefined;
  if (mismatched) {
    throw new Error(`sampleWeight gives ${weights.row} weights per sample (one per position), but output '${mismatched.name}' (None, ${mismatched.shape.join(', ')}) has ${positions(mismatched.shape)} positions per sample. Pass one weight per sample, shape [${n}], for a model whose outputs differ in positions.`);
  }
  if (weights.row > 1) for (const o of outputs) o.loss?.checkPositionWeights?.(o.shape, 'sampleWeight');
  return { weights: weights.weights, weightRow: weights.row };
}

function outputClassWeights(outputs: readonly OutputSpec[], ys: readonly (Tensor | null)[], spec: ClassWeightSpec): (Float32Array | undefined)[] {
  const names = outputs.map((o) => o.name);
  const single = outputs.length === 1;
  return classWeightsPerOutput(spec, names).map((classWeight, k) => {
    if (!classWeight) return undefined;
    const o = outputs[k];
    const y = ys[k];
    if (!y) throw new Error(`classWeight gives class weights for output '${o.name}', which has no loss and no metrics, so nothing would read them. Leave it out of classWeight (null in a list).`);
    const output = single ? "this model's output" : `output '${o.name}'`;
    if (positions(o.shape) > 1) {
      throw new Error(`classWeight weighs each sample by its one class, but ${output} (None, ${o.shape.join(', ')}) has a class at each of ${positions(o.shape)} positions per sample; Keras rejects class_weight here too. ${single ? 'Pass sampleWeight, one weight per sample, instead.' : `Leave '${o.name}' out of classWeight, or pass sampleWeight, one weight per sample, instead.`}`);
    }
    const units = o.shape[o.shape.length - 1];
    // A single sigmoid unit classifies into 0 and 1.
    return classSampleWeights(y, classWeight, single ? 'classWeight' : `classWeight['${o.name}']`, single ? "the model's output" : `output '${o.name}'`, units === 1 ? 2 : units);
  });
}
